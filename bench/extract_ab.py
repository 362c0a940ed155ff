"""The whole `extract` stage of two (or more) versions of the code against pdftotext, in
interleaved rounds on fresh copies of one archive; and whether their output is the same.

Each round, for each code tree: copy the archive, drop its pages.json files and mark every
document for extraction again; run pdftotext over the same PDFs (2 jobs, bench/fts5.py); run
`kooperacja extract` with that tree first on the path (CPU of the whole process tree:
bench/procs.py). Printed: wall and CPU seconds, the ratios to pdftotext, the load average, and a
digest of every pages.json and of the catalogue's tables (the `runs` rows left out: they hold
the run's own times), which must be the same for every tree.

    .venv/bin/python bench/extract_ab.py bench/work/run-5000 /tmp/main/pipeline pipeline \
        --rounds 3 --work /tmp/extract-ab
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from fts5 import pdftotext_all  # noqa: E402
from procs import run_measured  # noqa: E402


def fresh_copy(run_dir: Path, work: Path) -> Path:
    """A copy of the run's archive and config with every document to extract again."""
    archive = work / "archive"
    shutil.rmtree(archive, ignore_errors=True)
    shutil.copytree(run_dir / "archive", archive)
    for pages in archive.glob("blobs/*/*.pages.json"):
        pages.unlink()
    with sqlite3.connect(archive / "catalog.sqlite") as db:
        db.execute("UPDATE documents SET extract_version = 1")
    config = (run_dir / "config.yaml").read_text(encoding="utf-8")
    (work / "config.yaml").write_text(
        config.replace("archive_dir: archive", f"archive_dir: {archive}"), encoding="utf-8"
    )
    return archive


def output_digest(archive: Path) -> str:
    """Every pages.json and every catalogue row but the runs', in a stable order."""
    digest = hashlib.sha256()
    for pages in sorted(archive.glob("blobs/*/*.pages.json")):
        digest.update(pages.name.encode() + pages.read_bytes())
    with sqlite3.connect(archive / "catalog.sqlite") as db:
        for line in sorted(db.iterdump()):
            if not line.startswith('INSERT INTO "runs"'):
                digest.update(line.encode())
    return digest.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run_dir", type=Path, help="a bench run folder: archive/, config.yaml")
    parser.add_argument("trees", nargs="+", help="pipeline folders to put first on the path")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/extract-ab"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    pdfs = sorted((args.run_dir / "archive").glob("blobs/*/*.pdf"))
    for n in range(args.rounds):
        for tree in args.trees:
            archive = fresh_copy(args.run_dir, args.work)
            load = os.getloadavg()[0]
            shutil.rmtree(args.work / "ref", ignore_errors=True)
            ref = pdftotext_all(pdfs, args.work / "ref", 2)
            env = dict(os.environ, PYTHONPATH=str(Path(tree).resolve()))
            cmd = [sys.executable, "-m", "kooperacja", "--config", str(args.work / "config.yaml"),
                   "-q", "extract", "--json"]  # fmt: skip
            ours = run_measured(cmd, env=env)
            if ours.returncode not in (0, 1):
                sys.exit(f"{tree}: extract failed: {ours.tail()}")
            statuses = json.loads(ours.stdout)["extract"]["by_text_status"]
            print(
                f"round {n + 1} {tree}: extract {ours.seconds:.2f} s wall, "
                f"{ours.cpu_seconds:.2f} s CPU; pdftotext {ref['seconds']:.2f} s, "
                f"{ref['cpu_seconds']:.2f} s CPU; ratio wall {ref['seconds'] / ours.seconds:.3f}"
                f", CPU {ref['cpu_seconds'] / ours.cpu_seconds:.3f}; load {load:.2f} -> "
                f"{os.getloadavg()[0]:.2f}; output {output_digest(archive)} {statuses}",
                flush=True,
            )


if __name__ == "__main__":
    main()
