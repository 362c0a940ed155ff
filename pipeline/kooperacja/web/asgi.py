"""The application as an ASGI server imports it (`kooperacja serve`, or uvicorn/gunicorn
directly): the configuration named by KOOPERACJA_CONFIG, as for the command line."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette

from kooperacja.config import load_config
from kooperacja.web.app import create_app


def app_from_environment() -> Starlette:
    path = Path(os.environ.get("KOOPERACJA_CONFIG", "config.yaml"))
    return create_app(load_config(path))
