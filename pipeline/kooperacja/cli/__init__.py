"""The command line: the only place that prints or exits."""

from kooperacja.cli.commands import cli, main

__all__ = ["cli", "main"]
