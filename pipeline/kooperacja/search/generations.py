"""Index generations: each complete index lives in `index_dir/gen-<n>/`; the file `CURRENT` names
the live one and is replaced atomically (os.replace), so a search never sees a half-built index."""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

logger = logging.getLogger(__name__)

CURRENT = "CURRENT"
_GEN = re.compile(r"^gen-(\d+)$")


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder, or None when there is no complete index."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not _GEN.match(name):
        return None
    folder = index_dir / name
    return folder if folder.is_dir() else None


def new_generation(index_dir: Path) -> Path:
    """Create an empty folder for the next generation (numbers only grow, never reused)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    numbers = [int(m.group(1)) for p in index_dir.iterdir() if (m := _GEN.match(p.name))]
    folder = index_dir / f"gen-{max(numbers, default=0) + 1:06d}"
    folder.mkdir()
    return folder


def activate(index_dir: Path, generation: Path) -> None:
    """Point CURRENT at `generation` atomically, then remove the other generations."""
    tmp = index_dir / f".{CURRENT}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(generation.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)
    for folder in index_dir.iterdir():
        if folder != generation and _GEN.match(folder.name) and folder.is_dir():
            # A search that opened the old generation keeps its open files (POSIX unlink).
            shutil.rmtree(folder, ignore_errors=True)


def discard(generation: Path) -> None:
    shutil.rmtree(generation, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on every platform; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        logger.debug("fsync of %s not supported", folder)
    finally:
        os.close(fd)
