"""The archive lock: one writer at a time. flock is released by the kernel when the holder
dies, so a crashed run never leaves a stale lock behind."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kooperacja.dates import now_iso
from kooperacja.errors import ArchiveError, ArchiveLocked

LOCK_NAME = ".lock"


@contextmanager
def archive_lock(archive_dir: Path, command: str) -> Iterator[None]:
    try:
        archive_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(archive_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ArchiveError(
            f"cannot write to the archive folder {archive_dir}: {exc.strerror}: "
            "check archive_dir in the config and the folder's permissions"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ArchiveLocked(
                f"another run holds the archive lock ({_holder(fd)}); "
                "try again when it has finished"
            ) from None
        os.ftruncate(fd, 0)
        os.write(
            fd, json.dumps({"pid": os.getpid(), "started": now_iso(), "command": command}).encode()
        )
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return f"pid {info['pid']}, '{info.get('command', '?')}' started {info['started']}"
    except (OSError, ValueError, KeyError):
        return "holder unknown"
