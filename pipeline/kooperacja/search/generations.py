"""Index generations: each complete index lives in `index_dir/gen-<n>/`; the file `CURRENT` names
the live one and is replaced atomically (os.replace), so a search never sees a half-built index.

A search reads its generation under a lease: a shared lock on the generation's `LEASE` file, held
for the search (`leased`). A writer removes an old generation only when it can take that lock
exclusively, i.e. when no search of any process reads it; one still read stays until the next
writer (`remove_unused`). So a rebuild never pulls a generation from under a search."""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger(__name__)

CURRENT = "CURRENT"
LEASE = ".readers"  # empty; searches hold a shared lock on it, a remover an exclusive one
_GEN = re.compile(r"^gen-(\d+)$")
_REMOVING = ".removing-"  # an old generation renamed away while it is deleted


class GenerationGone(Exception):
    """The generation a search was about to read was removed meanwhile: read the current one."""


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder, or None when there is no complete index. CURRENT is read
    again when the folder it named was removed meanwhile (a rebuild swapped it away)."""
    for _ in range(3):
        try:
            name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not _GEN.match(name):
            return None
        folder = index_dir / name
        if folder.is_dir():
            return folder
    return None


def new_generation(index_dir: Path) -> Path:
    """Create an empty folder for the next generation (numbers only grow, never reused)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    numbers = [int(m.group(1)) for p in index_dir.iterdir() if (m := _GEN.match(p.name))]
    folder = index_dir / f"gen-{max(numbers, default=0) + 1:06d}"
    folder.mkdir()
    (folder / LEASE).touch()
    return folder


@contextmanager
def leased(generation: Path) -> Iterator[None]:
    """Hold a reader's lease on `generation` while the block runs; GenerationGone when it is
    being removed or is gone. A generation from before leases (no LEASE file) is read as is."""
    try:
        fd = os.open(generation / LEASE, os.O_RDONLY)
    except FileNotFoundError:
        if not generation.is_dir():
            raise GenerationGone(generation.name) from None
        yield  # written by an older version: nothing to lock
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:  # a writer is removing it right now
            raise GenerationGone(generation.name) from None
        if not generation.is_dir():  # removed between opening the lease and locking it
            raise GenerationGone(generation.name)
        yield
    finally:
        os.close(fd)  # releases the lock


def activate(index_dir: Path, generation: Path) -> None:
    """Point CURRENT at `generation` atomically, then remove the other generations no search
    reads."""
    tmp = index_dir / f".{CURRENT}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(generation.name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / CURRENT)
    _fsync_dir(index_dir)
    remove_unused(index_dir)


def remove_unused(index_dir: Path) -> list[str]:
    """Remove the generations other than the live one that no search holds a lease on; those
    still read are left for the next writer. Returns the names removed."""
    live = current_generation(index_dir)
    removed = []
    for folder in sorted(index_dir.iterdir()) if index_dir.is_dir() else ():
        if folder.name.startswith(_REMOVING):  # an earlier removal was interrupted
            shutil.rmtree(folder, ignore_errors=True)
        elif (
            folder != live
            and _GEN.match(folder.name)
            and folder.is_dir()
            and _remove_if_unread(folder)
        ):
            removed.append(folder.name)
    return removed


def _remove_if_unread(folder: Path) -> bool:
    try:
        fd = os.open(folder / LEASE, os.O_RDONLY)
    except FileNotFoundError:
        fd = None  # from before leases: no search of this version reads it under a lease
    try:
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                logger.debug("%s is still read by a search: left for the next writer", folder)
                return False
        # Renamed while the lock is held: a search that locks the lease later finds the
        # generation gone (leased() checks), never half of it.
        doomed = folder.with_name(_REMOVING + folder.name)
        os.rename(folder, doomed)
    finally:
        if fd is not None:
            os.close(fd)
    shutil.rmtree(doomed, ignore_errors=True)
    return True


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
