"""The command line: the only place that prints or exits. Each command is a few lines over the
library (`main.py`: the group and its errors; `stages.py`, `reading.py`: the commands;
`render.py`: what people read)."""

from kooperacja.cli import (  # noqa: F401  (each module adds its commands)
    reading,
    recommendations,
    stages,
)
from kooperacja.cli.main import cli, main

__all__ = ["cli", "main"]
