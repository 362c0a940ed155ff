"""Writing files safely: every file (archive files, exports, the curation file) through a
temporary file beside it, fsynced, then renamed, so a failure leaves the old file whole; and a
path the user named (`export --output`, the curation file), where nothing is destroyed:

- a regular file or a new path: written to a temporary file beside it, fsynced, renamed over it
  (an existing file keeps its permissions), so a failed write leaves the old file whole;
- a symbolic link: its target is written that way; the link stays a link;
- a device, a FIFO, a socket or "-" (stdout): streamed to, as there is nothing to replace;
- missing folders on the way are made;
- a read-only file (no write permission bits, even for root) is refused, not replaced;
- a folder, no permission, a read-only or full disk, a name too long: `OutputError`, one line
  naming the path as the user gave it (never a temporary file), exit code 2;
- a binary format refuses to write to a terminal.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO

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
    """Refuse a folder (unless `folder_ok`) and a read-only file, and make missing parent
    folders, before anything is written."""
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:  # a name too long, a loop of links, no permission on the way
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None
    if mode is not None and stat.S_ISDIR(mode) and not folder_ok:
        raise OutputError(f"cannot write {path}: it is a folder; give a file name inside it")
    if mode is not None and stat.S_ISREG(mode) and not mode & 0o222:
        raise OutputError(
            f"cannot write {path}: the file is read-only; make it writable (chmod u+w) or "
            "choose another name"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {_reason(exc)}") from None


def new_folder_mode() -> int:
    """The permissions a new folder gets here (0777 less the umask), read without changing the
    umask (os.umask would, for every thread at once)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o777 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o755


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
    try:
        target = resolve_output(given)
    except OSError as exc:  # a name too long, a loop of links
        raise OutputError(f"cannot write {given}: {_reason(exc)}") from None
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


@contextmanager
def atomic_writer(path: Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write an archive file through a temp file in the same folder; fsync, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as raw:
        if "b" in mode:
            yield raw
            return
        text = io.TextIOWrapper(raw, encoding="utf-8")
        yield text
        text.flush()
        text.detach()


@contextmanager
def atomic_file(target: Path, temp_names: list[str] | None = None) -> Iterator[BinaryIO]:
    """Write `target` through a temporary file beside it, fsynced, then renamed over it: a
    failure leaves the old file whole. An existing file keeps its permissions; a new one is
    0644 (exports and archive files are meant to be read). `temp_names` receives the temporary
    file's name, so a caller can tell its own errors from this file's."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    try:
        # The name cut: a name near the 255-byte limit still leaves room for the temporary's.
        prefix = f".{target.name[:64]}."
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".part")
    except OSError as exc:  # name the file being written, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    if temp_names is not None:
        temp_names.append(tmp)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
