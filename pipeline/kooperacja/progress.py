"""Progress is injected: core code takes `progress=no_progress`; the command line passes a bar
on stderr when stderr is a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
Progress = Callable[[Iterable[T], str, int | None], Iterable[T]]


def no_progress(items: Iterable[T], label: str = "", total: int | None = None) -> Iterable[T]:
    return items
