"""Domain errors. The library raises them; only cli.py turns them into messages and exit codes."""

from __future__ import annotations


class KooperacjaError(Exception):
    """Base class; `exit_code` is what the CLI exits with."""

    exit_code = 1


class ConfigError(KooperacjaError):
    """The configuration is missing or invalid; `problems` lists every one of them."""

    exit_code = 2

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class UsageError(KooperacjaError):
    exit_code = 2


class QuerySyntaxError(UsageError):
    """A search query that cannot be parsed; the message says what is wrong.

    The message is an English template (a gettext message id) filled with `params`, so the web
    page and the command line can show it in the reader's language (`i18n.error_message`)."""

    def __init__(self, template: str, **params: object):
        self.template = template
        self.params = params
        super().__init__(template.format(**params) if params else template)


class QueryTooCostly(QuerySyntaxError):
    """A search over its budget (search/limits.py): too long, too many words or word forms, or
    too slow; the message says which limit and how to stay within it."""


class SearchCancelled(KooperacjaError):
    """A search stopped because its asker went away (a web client disconnected)."""


class ArchiveError(KooperacjaError):
    """The archive, catalogue or index is in a state that needs a person (exit 3)."""

    exit_code = 3


class IndexMissing(ArchiveError):
    pass


class IndexOutdated(ArchiveError):
    pass


class ArchiveLocked(KooperacjaError):
    exit_code = 4
