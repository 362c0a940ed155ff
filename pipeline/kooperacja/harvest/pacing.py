"""Politeness towards each host: requests to one host are spaced by a delay.

A partner's site is often a small municipal server; the crawl asks it one thing at a time (the
fetcher is used from one thread and waits for each answer) and never faster than `delay` seconds
apart, or the host's robots.txt Crawl-delay when that is longer. Other hosts do not wait for it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class HostPacer:
    """Spaces requests to one host by `delay` seconds (or the robots.txt Crawl-delay if larger).
    Made per run: it remembers when each host was last asked."""

    delay: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _last: dict[str, float] = field(default_factory=dict)
    _host_delay: dict[str, float] = field(default_factory=dict)

    def set_host_delay(self, host: str, delay: float) -> None:
        """The host's own Crawl-delay; it applies when longer than `delay`."""
        self._host_delay[host] = delay

    def wait(self, host: str) -> None:
        """Sleep until `host` may be asked again, and note that it is being asked now."""
        delay = max(self.delay, self._host_delay.get(host, 0.0))
        last = self._last.get(host)
        if last is not None:
            remaining = last + delay - self.clock()
            if remaining > 0:
                logger.debug("waiting %.1fs before asking %s again", remaining, host)
                self.sleep(remaining)
        self._last[host] = self.clock()
