"""Without ../shared beside the repository the suite still collects: tests that need the real
material are skipped, saying what is missing, instead of stopping the run with a collection error.
"""

import shutil
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_the_suite_collects_without_the_shared_test_material(tmp_path: Path) -> None:
    repo = tmp_path / "clone"  # no "shared" folder beside it
    shutil.copytree(TESTS, repo / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_titles.py"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "error" not in result.stdout.lower()
    assert "skipped" in result.stdout
