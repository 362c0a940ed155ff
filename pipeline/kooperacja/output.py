"""Writing a path the user named (`export --output`, the curation file): nothing is destroyed.

- a regular file or a new path: written to a temporary file beside it, fsynced, renamed over it
  (an existing file keeps its permissions), so a failed write leaves the old file whole;
- a symbolic link: its target is written that way; the link stays a link;
- a device, a FIFO, a socket or "-" (stdout): streamed to, as there is nothing to replace;
- missing folders on the way are made;
- a folder, no permission, a read-only or full disk: `OutputError`, one line
  naming the path as the user gave it (never a temporary file), exit code 2;
- a binary format refuses to write to a terminal.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from kooperacja.archive.store import atomic_file
from kooperacja.errors import UsageError

STDOUT = "-"


class OutputError(UsageError):
    """The place given for output cannot be written; nothing was written there."""


def is_stdout(path: Path | str | None) -> bool:
    return path is None or str(path) == STDOUT


def resolve_output(path: Path) -> Path:
    """The file that writing `path` must change: a symbolic link's final target, else `path`."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def is_stream(path: Path) -> bool:
    """A device, FIFO or socket: written to as it is, never replaced."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def prepare_place(path: Path, target: Path, *, folder_ok: bool = False) -> None:
    """Refuse a folder (unless `folder_ok`) and make missing parent folders, before anything
    is written."""
    if target.is_dir() and not folder_ok:
        raise OutputError(f"cannot write {path}: it is a folder; give a file name inside it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None


@contextmanager
def open_output(
    path: Path | str | None, *, binary: bool = False, stdout: BinaryIO | None = None
) -> Iterator[BinaryIO]:
    """A binary stream for `path` by the rules of this module (None or "-": stdout)."""
    if is_stdout(path):
        out = stdout if stdout is not None else sys.stdout.buffer
        if binary and out.isatty():
            raise OutputError(
                "this format is binary and stdout is a terminal: pass --output FILE "
                "or redirect stdout to a file"
            )
        with _naming(STDOUT, ()):
            yield out
            out.flush()
        return
    given = Path(path)  # type: ignore[arg-type]
    target = resolve_output(given)
    if is_stream(target):
        with _naming(given, (str(target),)), target.open("wb") as out:
            if binary and out.isatty():
                raise OutputError(f"cannot write {given}: a binary format to a terminal")
            yield out
        return
    prepare_place(given, target)
    with _naming(given, (str(target),)) as names, atomic_file(target, names) as out:
        yield out


@contextmanager
def _naming(given: Path | str, own: tuple[str, ...]) -> Iterator[list[str]]:
    """Turn an OSError of writing the output into one line naming the path the user gave."""
    names = list(own)
    try:
        yield names
    except OSError as exc:
        if exc.filename is not None and str(exc.filename) not in names:
            raise  # not the output: a file being read, say
        raise OutputError(f"cannot write {given}: {_reason(exc)}") from None


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def written_file(path: Path | str | None, stream: BinaryIO) -> Path | None:
    """The regular file the output lands in, for links relative to it: the target of --output,
    or the file stdout is redirected to (`> katalog.html`); None for a pipe or a terminal."""
    if not is_stdout(path):
        target = resolve_output(Path(path))  # type: ignore[arg-type]
        return None if is_stream(target) else target.absolute()
    try:
        fd = stream.fileno()
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return Path(os.readlink(f"/proc/self/fd/{fd}"))
    except (OSError, ValueError, AttributeError):
        return None
