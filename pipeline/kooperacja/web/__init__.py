"""The staff web page (`kooperacja serve`): a thin Starlette layer over the same search and the
same catalogue as the command line; read-only, Polish by default, no JavaScript needed."""

from __future__ import annotations

from kooperacja.web.app import create_app

__all__ = ["create_app"]
