"""robots.txt: fetched once per origin and run, and asked before every request.

RFC 9309: a robots.txt that is missing (any 4xx) allows everything; one that cannot be read
(a 5xx, no answer) means "disallow all", so the crawl skips that host this run rather than guess.
A Crawl-delay for our user agent is handed to the pacer. Fetching is the caller's (through the
same polite fetcher as everything else), so this module only decides.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from kooperacja.webpage.urls import host_of

logger = logging.getLogger(__name__)

MAX_ROBOTS_BYTES = 512 * 1024


@dataclass(frozen=True)
class RobotsSettings:
    user_agent: str
    obey: bool = True  # the config's crawl.respect_robots_txt


@dataclass(frozen=True)
class RobotsFile:
    """What asking for an origin's /robots.txt gave: its text, or the status and why not."""

    text: str | None
    http_status: int = 0
    problem: str = ""  # when there is no text: the fetch's reason or outcome


class RobotsRules:
    """The robots.txt rules of each origin met in one run, fetched on first use through
    `download` (which gets /robots.txt of an origin); `on_crawl_delay(host, seconds)` hears of
    a Crawl-delay."""

    def __init__(
        self,
        settings: RobotsSettings,
        download: Callable[[str], RobotsFile],
        on_crawl_delay: Callable[[str, float], None] = lambda host, delay: None,
    ):
        self.settings = settings
        self.download = download
        self.on_crawl_delay = on_crawl_delay
        self._rules: dict[str, RobotFileParser | str] = {}  # origin -> rules, or why none

    def verdict(self, url: str) -> str | None:
        """None if `url` may be fetched, else the reason it may not."""
        if not self.settings.obey:
            return None
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        rules = self._rules.get(origin)
        if rules is None:
            rules = self._load(origin)
            self._rules[origin] = rules
        if isinstance(rules, str):
            return rules
        if not rules.can_fetch(self.settings.user_agent, url):
            return "disallowed by robots.txt"
        return None

    def _load(self, origin: str) -> RobotFileParser | str:
        got = self.download(f"{origin}/robots.txt")
        parser = RobotFileParser()
        if got.text is not None:
            parser.parse(got.text.splitlines())
            delay = parser.crawl_delay(self.settings.user_agent)
            if delay:
                self.on_crawl_delay(host_of(origin), float(delay))
            return parser
        if 400 <= got.http_status < 500:
            parser.parse([])  # no robots.txt: everything allowed (RFC 9309 §2.3.1.3)
            return parser
        # Unreachable robots.txt means "disallow all" (RFC 9309 §2.3.1.4): skip the host this run.
        logger.info("robots.txt of %s unavailable: %s", origin, got.problem)
        return f"robots.txt of {origin} unavailable ({got.problem})"
