"""`make screenshot` (scripts/screenshot.py): the README's pictures of the web page, taken by
headless Chromium over `kooperacja serve`, here of the test archive into a folder of the test."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_shows_the_pictures_the_script_takes(web_archive, tmp_path, capsys):
    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshot import SIZE, main

    assert main(["--config", str(web_archive.config_path), "--out", str(tmp_path)]) == 0
    for name in ("web-results.png", "web-document.png"):
        taken = Image.open(tmp_path / name)
        assert taken.size == SIZE, name
        assert len(taken.convert("L").getcolors(256 * 256) or ()) > 50, name  # a page, not blank
    # The results page and the document page differ; the committed pictures are of this script.
    assert Image.open(tmp_path / "web-results.png").tobytes() != Image.open(
        tmp_path / "web-document.png").tobytes()  # fmt: skip
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]+\]\((docs/web-[a-z]+\.png)\)", readme)
    assert shown == ["docs/web-results.png", "docs/web-document.png"]
    for path in shown:
        assert Image.open(ROOT / path).size == SIZE, path
    assert "make screenshot" in readme
    assert "screenshot:" in (ROOT / "Makefile").read_text() and "scripts/screenshot.py" in (
        ROOT / "Makefile").read_text()  # fmt: skip


def test_without_an_archive_it_says_to_make_the_demo(tmp_path, capsys):
    sys.path.insert(0, str(ROOT / "scripts"))
    from screenshot import main

    config = tmp_path / "config.yaml"
    config.write_text(
        "archive_dir: nowhere\nindex_dir: index\npartners:\n  - {id: a, name: A, region: r,"
        " start_urls: ['http://127.0.0.1:1/']}\n",
        encoding="utf-8",
    )
    assert main(["--config", str(config), "--out", str(tmp_path)]) == 2
    assert "run 'make demo' first" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.png"))
