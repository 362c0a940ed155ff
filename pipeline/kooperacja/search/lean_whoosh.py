"""Importing whoosh without the modules it loads at import time but a search never uses.

A one-shot `kooperacja search` pays for every import. whoosh-reloaded 2.7.5 loads, at import:
`urllib.request` (with http.client, email and ssl: ~40 ms) for a download helper in
`whoosh.compat`; the `cached_property` backport, which imports asyncio (~17 ms), where
`functools.cached_property` does the same job; and the English morphology of `whoosh.lang.morph_en`
(~8 ms of regex compiling) for the `Variations` query, which Polish search never builds.

While whoosh imports, those three names are bound to small stand-ins; afterwards the stand-ins
leave `sys.modules`, so any later `import urllib.request` gets the real module. Each stand-in's
function loads the real one on first call, so nothing whoosh can do is lost. When a module is
already loaded (requests loads urllib.request, so `update` always has it), it is used as it is.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def _deferred(module: str, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = name
    call.__qualname__ = name
    call.__doc__ = f"{module}.{name}, imported on first call."
    return call


def _stand_ins() -> dict[str, types.ModuleType]:
    request = types.ModuleType("urllib.request")
    request.urlretrieve = _deferred("urllib.request", "urlretrieve")  # type: ignore[attr-defined]
    backport = types.ModuleType("cached_property")
    backport.cached_property = functools.cached_property  # type: ignore[attr-defined]
    morph = types.ModuleType("whoosh.lang.morph_en")
    morph.variations = _deferred("whoosh.lang.morph_en", "variations")  # type: ignore[attr-defined]
    return {"urllib.request": request, "cached_property": backport, "whoosh.lang.morph_en": morph}


@contextmanager
def _standing_in() -> Iterator[None]:
    placed = [
        name for name, mod in _stand_ins().items() if sys.modules.setdefault(name, mod) is mod
    ]
    stand_ins = {name: sys.modules[name] for name in placed}
    try:
        yield
    finally:
        for name, mod in stand_ins.items():
            if sys.modules.get(name) is mod:
                del sys.modules[name]


def import_whoosh() -> None:
    """Import the whoosh modules searching and indexing use, once, without the dead weight."""
    if "whoosh.index" in sys.modules:
        return
    with _standing_in():
        import whoosh.index  # noqa: F401
        import whoosh.query  # noqa: F401
        import whoosh.reading  # noqa: F401
        import whoosh.scoring  # noqa: F401
