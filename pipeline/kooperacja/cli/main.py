"""The command group: global options, the state every command reads, and the one place where
domain errors become one-line messages and the contract's exit codes."""

from __future__ import annotations

import json
import logging
import sqlite3
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from kooperacja.errors import KooperacjaError

T = TypeVar("T")
logger = logging.getLogger("kooperacja")


class State:
    def __init__(self, config_path: Path, verbosity: int, quiet: bool, config_from: str = ""):
        self.config_path = config_path
        self.config_from = config_from  # how the path was chosen, for "no config" messages
        self.verbosity = verbosity
        self.quiet = quiet
        self._config = None

    @property
    def config(self):
        if self._config is None:
            from kooperacja.config import load_config
            from kooperacja.tag.rules import rules_from_config

            self._config = load_config(
                self.config_path, tagging_rules=rules_from_config, given_by=self.config_from
            )
        return self._config

    @property
    def reading_config(self):
        """The config for commands that only read the archive: tagging rules not compiled."""
        if self._config is not None:
            return self._config
        from kooperacja.config import load_config

        return load_config(self.config_path, given_by=self.config_from)

    def say(self, message: str) -> None:
        """A note for a person on stderr; -q keeps a successful run silent."""
        if not self.quiet:
            click.echo(message, err=True)

    def progress(
        self, items: Iterable[T], label: str = "", total: int | None = None
    ) -> Iterable[T]:
        """A progress bar on stderr, only when stderr is a terminal and not quiet."""
        if self.quiet or not sys.stderr.isatty():
            return items
        return _bar(items, label, total)


def _bar(items: Iterable[T], label: str, total: int | None) -> Iterable[T]:
    with click.progressbar(
        items, length=total, label=f"{label:<8}", file=sys.stderr, show_pos=True
    ) as bar:
        yield from bar


def emit(data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8 (a query typed in another encoding)
        text = json.dumps(data, ensure_ascii=True, indent=2, default=str)  # escaped: valid JSON
    click.echo(text)


def json_option(f):
    return click.option(
        "--json", "as_json", is_flag=True, help="Print one JSON document on stdout."
    )(f)


_GLOBAL_FLAGS = ("-q", "--quiet", "-v", "-vv", "-vvv", "--verbose")


class KooperacjaGroup(click.Group):
    """Turns domain errors into one-line messages and the contract's exit codes."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # -q and -v may also come after the command (`kooperacja search x -q`): move them
        # before it, where the group reads them. An argument after `--` is left alone.
        end = args.index("--") if "--" in args else len(args)
        command_at = next(
            (i for i, a in enumerate(args[:end]) if a in self.commands), None
        )
        if command_at is not None:
            moved = [a for a in args[command_at + 1 : end] if a in _GLOBAL_FLAGS]
            if moved:
                rest = [a for a in args[command_at + 1 : end] if a not in _GLOBAL_FLAGS]
                args = [*moved, *args[: command_at + 1], *rest, *args[end:]]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        verbose = ctx.params.get("verbose", 0)
        try:
            return super().invoke(ctx)
        except KooperacjaError as exc:
            if verbose >= 2:
                logger.exception("details")
            for line in str(exc).splitlines() or [type(exc).__name__]:
                click.echo(f"error: {line}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except OSError as exc:
            if verbose >= 2:
                raise
            where = f" {exc.filename}" if exc.filename else " a file of the archive"
            reason = (exc.strerror or str(exc)).lower()
            click.echo(f"error: cannot read or write{where}: {reason}", err=True)
            # No space, a read-only disk, permissions, I/O: whichever it is, the archive needs a
            # person, and one kind of failure gets one exit code. (--output has its own: 2.)
            ctx.exit(3)
        except sqlite3.OperationalError as exc:
            if verbose >= 2:
                raise
            click.echo(
                f"error: the catalogue could not be read or written ({exc}): check free "
                "space and permissions of the archive folder",
                err=True,
            )
            ctx.exit(3)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if verbose >= 2:
                raise
            click.echo(
                f"error: internal error {type(exc).__name__}: {exc} (run with -vv for details)",
                err=True,
            )
            ctx.exit(1)


@click.group(
    cls=KooperacjaGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    envvar="KOOPERACJA_CONFIG",
    default=Path("config.yaml"),
    show_default=True,
    help="Configuration file (or set KOOPERACJA_CONFIG).",
)
@click.option(
    "-v", "--verbose", count=True, help="-v: progress details; -vv: debug and tracebacks."
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (for cron).")
@click.pass_context
def cli(ctx: click.Context, config_path: Path, verbose: int, quiet: bool) -> None:
    """Archive and search the publications of "Kooperacja – efektywna i skuteczna".

    Harvests the partners' project pages, archives every document, extracts PDF text page by page,
    tags metadata and keeps a Polish full-text index. Start with `kooperacja update`, then
    `kooperacja search "asystent rodziny"`.
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    if quiet:
        level = logging.ERROR
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s: %(message)s")
    source = ctx.get_parameter_source("config_path")
    config_from = {
        click.core.ParameterSource.COMMANDLINE: "given with --config",
        click.core.ParameterSource.ENVIRONMENT: "named by KOOPERACJA_CONFIG",
    }.get(source, "the default: neither --config nor KOOPERACJA_CONFIG is set")  # type: ignore
    ctx.obj = State(config_path, verbose, quiet, config_from)


pass_state = click.make_pass_decorator(State)


def partner_option(f):
    return click.option(
        "--partner", "partners", multiple=True, metavar="ID", help="Only this partner (repeatable)."
    )(f)


def main(argv: list[str] | None = None) -> None:
    try:
        code = cli.main(args=argv, prog_name="kooperacja", standalone_mode=False)
    except click.exceptions.Abort:  # click's form of Ctrl-C
        click.echo("interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    sys.exit(code if isinstance(code, int) else 0)
