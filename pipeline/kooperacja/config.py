"""Load and validate config.yaml into frozen dataclasses.

Every problem is collected and reported at once, each with its dotted path, so a person fixes the
file in one go. Relative paths resolve against the folder of the config file, never the cwd.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from kooperacja.errors import ConfigError
from kooperacja.text import fold_key

DEFAULT_USER_AGENT = (
    "kooperacja-archiwum/0.1 (+https://www.rops.torun.pl/; archiwum publikacji projektu "
    "Kooperacja - efektywna i skuteczna)"
)
PARTNER_ID = re.compile(r"^[a-z0-9-]+$")
# The defaults that are lists of Polish words, as data a curator reads: defaults.yaml, beside.
_DEFAULTS = yaml.safe_load((Path(__file__).with_name("defaults.yaml")).read_text(encoding="utf-8"))
DEFAULT_PROJECT_TERMS: tuple[str, ...] = tuple(_DEFAULTS["project_terms"])
DEFAULT_ABBREVIATIONS: tuple[tuple[str, str], ...] = tuple(_DEFAULTS["abbreviations"].items())
NEWS_SCOPES = ("general", "project")  # partners[].news_scope


@dataclass(frozen=True)
class CrawlSettings:
    user_agent: str = DEFAULT_USER_AGENT
    delay_seconds: float = 2.0
    timeout_seconds: float = 30.0
    max_document_mb: float = 100.0
    respect_robots_txt: bool = True
    max_depth: int = 4  # link hops from a start URL, for pages
    max_pages: int = 500  # HTML pages fetched per partner per run
    retries: int = 3
    revalidate_days: int = 7  # archived documents behind unchanged links: asked once per cycle
    gone_after_failed_nights: int = 3  # a document whose link keeps failing becomes gone then
    warc_max_mb: float = 1000.0  # a WARC file is closed and a new one begun past this size
    project_terms: tuple[str, ...] = DEFAULT_PROJECT_TERMS

    @property
    def warc_max_bytes(self) -> int:
        return max(1, int(self.warc_max_mb * 1024 * 1024))

    @property
    def max_document_bytes(self) -> int:
        return int(self.max_document_mb * 1024 * 1024)


@dataclass(frozen=True)
class ExtractSettings:
    ocr: str = "auto"  # never | auto (pages without a usable text layer) | force (every page)
    ocr_language: str = "pol"  # Tesseract model(s), e.g. pol or pol+eng


@dataclass(frozen=True)
class SearchSettings:
    abbreviations: tuple[tuple[str, str], ...] = DEFAULT_ABBREVIATIONS  # (short, long) pairs


@dataclass(frozen=True)
class OaiSettings:  # the OAI-PMH interface (`GET /oai`) as harvesters see it
    repository_id: str = ""  # identifiers oai:<repository_id>:<doc_id>; "" = the server's host
    admin_email: str = ""  # Identify's adminEmail; "" = a placeholder the README says to replace
    page_size: int = 100  # records per answer before a resumption token


@dataclass(frozen=True)
class Partner:
    id: str
    name: str
    region: str
    start_urls: tuple[str, ...]
    scope: tuple[str, ...]
    document_hosts: tuple[str, ...]
    enabled: bool = True
    max_depth: int | None = None
    max_pages: int | None = None
    # general: a news list of everything the partner does, whose articles are kept when they
    # are about the project; project: the project's own section, whose every article is kept
    news_scope: str = "general"


@dataclass(frozen=True)
class Config:
    path: Path
    archive_dir: Path
    index_dir: Path
    crawl: CrawlSettings
    partners: tuple[Partner, ...]
    tagging: Mapping[str, Any] = field(default_factory=dict)  # validated by kooperacja.tag.rules
    extract: ExtractSettings = ExtractSettings()
    search: SearchSettings = SearchSettings()
    oai: OaiSettings = OaiSettings()

    @property
    def overrides_path(self) -> Path:
        return self.path.parent / "overrides.yaml"

    def partner(self, partner_id: str) -> Partner:
        for p in self.partners:
            if p.id == partner_id:
                return p
        raise KeyError(partner_id)


TOP_KEYS = {"archive_dir", "index_dir", "crawl", "partners", "tagging", "extract", "search", "oai"}
OCR_MODES = ("never", "auto", "force")  # extract.ocr and `extract --ocr`
CRAWL_KEYS = {
    "user_agent": str,
    "delay_seconds": float,
    "timeout_seconds": float,
    "max_document_mb": float,
    "respect_robots_txt": bool,
    "max_depth": int,
    "max_pages": int,
    "retries": int,
    "revalidate_days": int,
    "gone_after_failed_nights": int,
    "warc_max_mb": float,
}
PARTNER_KEYS = {
    "id", "name", "region", "start_urls", "scope", "document_hosts", "enabled", "max_depth",
    "max_pages", "news_scope",
}
REQUIRED_PARTNER_KEYS = ("id", "name", "region", "start_urls")


def default_config_path() -> Path:
    return Path(os.environ.get("KOOPERACJA_CONFIG", "config.yaml"))


def load_config(
    path: Path,
    *,
    tagging_rules: Callable[[Mapping[str, Any]], object] | None = None,
    given_by: str = "",
) -> Config:
    """Read and validate `path`; raise ConfigError listing every problem.

    `tagging_rules` (the tag stage's `rules_from_config`, passed by the command line, which
    composes the rooms) compiles the `tagging:` section so its problems are listed with the
    others; commands that only read the archive, like `search`, skip it to start fast. `given_by`
    says how the path was chosen, for the message when there is no such file."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        how = f", {given_by}" if given_by else ""
        raise ConfigError(
            [
                f"no config file {name} (looked for {path.absolute()}{how}): point at one with "
                "--config PATH or KOOPERACJA_CONFIG=PATH (the project's config.yaml lists the "
                "partners; demo/config.yaml runs the offline demo)"
            ]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{name}: cannot read: {exc}"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([f"{name}: {where}invalid YAML: {problem}"]) from None
    return parse_config(data, path.resolve(), tagging_rules=tagging_rules)


def parse_config(
    data: Any,
    path: Path,
    *,
    tagging_rules: Callable[[Mapping[str, Any]], object] | None = None,
) -> Config:
    """Validate a parsed YAML mapping; `path` anchors relative paths and names the file."""
    problems: list[str] = []

    def problem(where: str, what: str) -> None:
        problems.append(f"{path.name}: {where}: {what}")

    if not isinstance(data, Mapping):
        raise ConfigError(
            [f"{path.name}: expected a mapping of settings at the top, got {_kind(data)}"]
        )
    _unknown_keys(data, TOP_KEYS, "", problem)
    base = path.parent

    def folder(key: str, default: str) -> Path:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            problem(key, f"expected a folder path, got {value!r}")
            value = default
        p = Path(os.path.expanduser(value))
        return p if p.is_absolute() else base / p

    archive_dir = folder("archive_dir", "archive")
    index_dir = folder("index_dir", "index")
    crawl = _parse_crawl(data.get("crawl") or {}, problem)
    partners = _parse_partners(data.get("partners"), problem)
    tagging = data.get("tagging") or {}
    if not isinstance(tagging, Mapping):
        problem("tagging", f"expected a mapping, got {_kind(tagging)}")
        tagging = {}
    elif tagging_rules is not None:
        try:
            tagging_rules(tagging)
        except ConfigError as exc:
            problems.extend(f"{path.name}: {p}" for p in exc.problems)
    extract = _parse_extract(data.get("extract") or {}, problem)
    search = _parse_search(data.get("search") or {}, problem)
    oai = _parse_oai(data.get("oai") or {}, problem)
    if problems:
        raise ConfigError(problems)
    return Config(path, archive_dir, index_dir, crawl, partners, tagging, extract, search, oai)


def _parse_search(raw: Any, problem) -> SearchSettings:
    """The shipped abbreviations with `search.abbreviations` (short: long, or a list, or null)."""
    raw = raw if isinstance(raw, Mapping) else {"abbreviations": raw}
    _unknown_keys(raw, {"abbreviations"}, "search.", problem)
    given = raw.get("abbreviations") or {}
    if not isinstance(given, Mapping):
        problem("search.abbreviations", "expected a mapping like 'PCPR: powiatowe centrum "
                f"pomocy rodzinie', got {_kind(given)}")  # fmt: skip
        return SearchSettings()
    table: dict[str, list[tuple[str, str]]] = {}
    for short, long in DEFAULT_ABBREVIATIONS:
        table.setdefault(fold_key(short), []).append((short, long))
    for short, value in given.items():
        longs = [] if value is None else [value] if isinstance(value, str) else value
        at = f"search.abbreviations.{short}"
        if not isinstance(short, str) or not 2 <= len(short) <= 12 or not short.isalnum():
            problem(at, "expected 2–12 letters, e.g. PCPR")
        elif isinstance(longs, list) and all(isinstance(x, str) and x.strip() for x in longs):
            table[fold_key(short)] = [(short, " ".join(x.split())) for x in longs]
        else:
            problem(at, f"expected what it stands for (a text, a list, or null), got {value!r}")
    return SearchSettings(tuple(pair for pairs in table.values() for pair in pairs))


OAI_TEXT = {  # oai.<key>: (its pattern, what it should look like)
    "repository_id": (r"[A-Za-z][A-Za-z0-9.-]*", "a name like kooperacja.rops.torun.pl"),
    "admin_email": (r"[^@\s]+@[^@\s]+\.[^@\s]+", "an e-mail address"),
}


def _parse_oai(raw: Any, problem) -> OaiSettings:
    if not isinstance(raw, Mapping):
        problem("oai", f"expected a mapping, got {_kind(raw)}")
        return OaiSettings()
    _unknown_keys(raw, {*OAI_TEXT, "page_size"}, "oai.", problem)
    values: dict[str, Any] = {}
    for key, (pattern, what) in OAI_TEXT.items():
        value = raw.get(key, "")
        if value and not (isinstance(value, str) and re.fullmatch(pattern, value)):
            problem(f"oai.{key}", f"expected {what}, got {value!r}")
        elif value:
            values[key] = value
    size = raw.get("page_size", 100)
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 1000:
        problem("oai.page_size", f"expected a whole number from 1 to 1000, got {size!r}")
    else:
        values["page_size"] = size
    return OaiSettings(**values)


def _parse_extract(raw: Any, problem) -> ExtractSettings:
    if not isinstance(raw, Mapping):
        problem("extract", f"expected a mapping, got {_kind(raw)}")
        return ExtractSettings()
    _unknown_keys(raw, {"ocr", "ocr_language"}, "extract.", problem)
    values: dict[str, str] = {}
    ocr = raw.get("ocr", "auto")
    if ocr is False:  # YAML reads a bare `no`/`off` as false
        ocr = "never"
    if ocr not in OCR_MODES:
        problem("extract.ocr", f"expected one of {', '.join(OCR_MODES)}, got {ocr!r}")
    else:
        values["ocr"] = ocr
    language = raw.get("ocr_language", "pol")
    if not isinstance(language, str) or not re.fullmatch(r"[a-z_]{3,}(\+[a-z_]{3,})*", language):
        problem(
            "extract.ocr_language",
            f"expected Tesseract models like pol or pol+eng, got {language!r}",
        )
    else:
        values["ocr_language"] = language
    return ExtractSettings(**values)


def _parse_crawl(raw: Any, problem) -> CrawlSettings:
    if not isinstance(raw, Mapping):
        problem("crawl", f"expected a mapping, got {_kind(raw)}")
        return CrawlSettings()
    _unknown_keys(raw, {*CRAWL_KEYS, "project_terms"}, "crawl.", problem)
    values: dict[str, Any] = {}
    if "project_terms" in raw:
        terms = _project_terms(raw["project_terms"], problem)
        if terms:
            values["project_terms"] = terms
    for key, typ in CRAWL_KEYS.items():
        if key not in raw:
            continue
        value = raw[key]
        where = f"crawl.{key}"
        if typ is bool:
            if not isinstance(value, bool):
                problem(where, f"expected true or false, got {value!r}")
                continue
        elif typ is str:
            if not isinstance(value, str) or not value.strip():
                problem(where, f"expected a non-empty string, got {value!r}")
                continue
        else:
            if isinstance(value, bool) or not isinstance(value, int | float):
                problem(where, f"expected a number, got {value!r}")
                continue
            if typ is int and value != int(value):
                problem(where, f"expected a whole number, got {value!r}")
                continue
            if value < 0:
                problem(where, f"must not be negative, got {value!r}")
                continue
            value = typ(value)
        values[key] = value
    if "timeout_seconds" in values and values["timeout_seconds"] == 0:
        problem(
            "crawl.timeout_seconds",
            "must be more than 0: a request without a timeout can hang cron",
        )
        values.pop("timeout_seconds")
    if values.get("gone_after_failed_nights") == 0:
        problem(
            "crawl.gone_after_failed_nights",
            "must be 1 or more: the nights a link may fail before its document is marked gone",
        )
        values.pop("gone_after_failed_nights")
    if values.get("warc_max_mb") == 0:
        problem("crawl.warc_max_mb", "must be more than 0 (megabytes per WARC file, e.g. 1000)")
        values.pop("warc_max_mb")
    return CrawlSettings(**values)


def _project_terms(raw: Any, problem) -> tuple[str, ...]:
    """Each term a regular expression over folded text; every problem named by its place."""
    example = r"e.g. 'powiatow\w* grup\w* decydent'"
    if not isinstance(raw, list) or not raw:
        problem(
            "crawl.project_terms",
            f"expected a list of stems that mark a page about the project ({example}), got {raw!r}",
        )
        return ()
    terms = []
    for j, term in enumerate(raw):
        at = f"crawl.project_terms[{j}]"
        if not isinstance(term, str) or not term.strip():
            problem(at, f"expected a stem or regular expression ({example}), got {term!r}")
            continue
        try:
            re.compile(term)
        except re.error as exc:
            problem(at, f"not a valid regular expression ({exc}): {term!r}")
            continue
        if re.sub(r"\\.", "", term) != fold_key(re.sub(r"\\.", "", term)):
            problem(
                at,
                f"write it folded, in lower case without Polish letters, {example}: got {term!r}",
            )
            continue
        terms.append(term)
    return tuple(terms) if len(terms) == len(raw) else ()


def _parse_partners(raw: Any, problem) -> tuple[Partner, ...]:
    if raw is None:
        problem("partners", "missing: list the partners whose pages to crawl")
        return ()
    if not isinstance(raw, list):
        problem("partners", f"expected a list, got {_kind(raw)}")
        return ()
    partners: list[Partner] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        at = f"partners[{i}]"
        if not isinstance(item, Mapping):
            problem(at, f"expected a mapping with id, name, region, start_urls, got {_kind(item)}")
            continue
        _unknown_keys(item, PARTNER_KEYS, f"{at}.", problem)
        for key in REQUIRED_PARTNER_KEYS:
            if key not in item:
                problem(f"{at}.{key}", "missing")
        pid = item.get("id")
        if "id" in item:
            if not isinstance(pid, str) or not PARTNER_ID.match(pid):
                problem(f"{at}.id", f"expected lowercase letters, digits and '-', got {pid!r}")
            elif pid in seen:
                problem(f"{at}.id", f"duplicate partner id {pid!r}")
            else:
                seen.add(pid)
        for key in ("name", "region"):
            if key in item and (not isinstance(item[key], str) or not item[key].strip()):
                problem(f"{at}.{key}", f"expected a non-empty string, got {item[key]!r}")
        start_urls = _url_list(item.get("start_urls"), f"{at}.start_urls", problem, required=True)
        scope = _url_list(item.get("scope"), f"{at}.scope", problem) or start_urls
        hosts_raw = item.get("document_hosts")
        hosts: tuple[str, ...] = ()
        if hosts_raw is not None:
            if not isinstance(hosts_raw, list) or not all(
                isinstance(h, str) and h.strip() for h in hosts_raw
            ):
                problem(f"{at}.document_hosts", f"expected a list of host names, got {hosts_raw!r}")
            else:
                for j, h in enumerate(hosts_raw):
                    if "/" in h or ":" in h:
                        problem(
                            f"{at}.document_hosts[{j}]",
                            f"expected a host name like rops.pomorskie.eu, got {h!r}",
                        )
                hosts = tuple(h.lower() for h in hosts_raw)
        if not hosts:
            hosts = tuple(dict.fromkeys(urlsplit(u).hostname or "" for u in start_urls))
        enabled = item.get("enabled", True)
        if not isinstance(enabled, bool):
            problem(f"{at}.enabled", f"expected true or false, got {enabled!r}")
        limits: dict[str, int | None] = {}
        for key in ("max_depth", "max_pages"):
            v = item.get(key)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                problem(f"{at}.{key}", f"expected a whole number >= 0, got {v!r}")
                v = None
            limits[key] = v
        news_scope = item.get("news_scope", "general")
        if news_scope not in NEWS_SCOPES:
            problem(
                f"{at}.news_scope",
                "expected project (the start URLs are the project's own news: keep every "
                f"article) or general (keep the articles about the project), got {news_scope!r}",
            )
            news_scope = "general"
        if isinstance(pid, str) and isinstance(item.get("name"), str):
            partners.append(
                Partner(
                    id=pid,
                    name=item["name"],
                    region=str(item.get("region", "")),
                    start_urls=start_urls,
                    scope=scope,
                    document_hosts=hosts,
                    enabled=bool(enabled),
                    news_scope=news_scope,
                    **limits,
                )
            )
    return tuple(partners)


def _url_list(raw: Any, at: str, problem, required: bool = False) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or (required and not raw):
        problem(at, f"expected a list of http(s) URLs, got {raw!r}")
        return ()
    urls = []
    for j, u in enumerate(raw):
        parts = urlsplit(u) if isinstance(u, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            problem(f"{at}[{j}]", f"expected an http(s) URL, got {u!r}")
        else:
            urls.append(u)
    return tuple(urls)


def _unknown_keys(data: Mapping, known: set[str], prefix: str, problem) -> None:
    for key in data:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), sorted(known), n=1)
        hint = (
            f": did you mean '{close[0]}'?"
            if close
            else f": known keys are {', '.join(sorted(known))}"
        )
        problem(f"{prefix}{key}", f"unknown key{hint}")


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )
