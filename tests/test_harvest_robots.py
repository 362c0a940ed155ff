"""robots.txt rules and verdicts (harvest/robots.py)."""

from __future__ import annotations

from kooperacja.config import CrawlSettings
from kooperacja.harvest.fetch import Fetcher
from kooperacja.harvest.robots import RobotsFile, RobotsRules, RobotsSettings

UA = "kooperacja-test/1.0"


def _rules(answers: dict[str, RobotsFile], obey: bool = True):
    asked: list[str] = []
    delays: list[tuple[str, float]] = []

    def download(url: str) -> RobotsFile:
        asked.append(url)
        return answers[url]

    rules = RobotsRules(RobotsSettings(UA, obey), download, lambda h, d: delays.append((h, d)))
    return rules, asked, delays


def test_rules_are_read_once_per_origin_and_obeyed():
    text = "User-agent: kooperacja-test\nCrawl-delay: 5\nDisallow: /szkic/\n"
    rules, asked, delays = _rules({"https://a.pl/robots.txt": RobotsFile(text, 200)})
    assert rules.verdict("https://a.pl/szkic/x.pdf") == "disallowed by robots.txt"
    assert rules.verdict("https://a.pl/raport.pdf") is None
    assert asked == ["https://a.pl/robots.txt"]
    assert delays == [("a.pl", 5.0)]


def test_a_missing_robots_txt_allows_everything_and_an_unreadable_one_nothing():
    rules, asked, _ = _rules(
        {
            "https://a.pl/robots.txt": RobotsFile(None, 404, "HTTP 404"),
            "https://b.pl/robots.txt": RobotsFile(None, 503, "HTTP 503"),
            "https://c.pl/robots.txt": RobotsFile(None, 0, "no answer within 30s"),
        }
    )
    assert rules.verdict("https://a.pl/x.pdf") is None
    assert rules.verdict("https://b.pl/x.pdf") == (
        "robots.txt of https://b.pl unavailable (HTTP 503)"
    )
    assert rules.verdict("https://c.pl/x.pdf") == (
        "robots.txt of https://c.pl unavailable (no answer within 30s)"
    )
    assert rules.verdict("https://b.pl/y.pdf") and len(asked) == 3  # the verdict is kept


def test_rules_of_another_agent_do_not_bind_and_obey_off_asks_nothing():
    text = "User-agent: OtherBot\nDisallow: /\nCrawl-delay: 9\n"
    rules, _, delays = _rules({"https://a.pl/robots.txt": RobotsFile(text, 200)})
    assert rules.verdict("https://a.pl/x.pdf") is None and delays == []
    off, asked, _ = _rules({}, obey=False)
    assert off.verdict("https://a.pl/x.pdf") is None and asked == []


def test_a_redirected_robots_txt_is_followed(server, tmp_path):
    server.add("/robots.txt", status=301, headers={"Location": "/static/robots.txt"})
    server.add("/static/robots.txt", "User-agent: *\nDisallow: /a/\n", content_type="text/plain")
    fetcher = Fetcher(CrawlSettings(delay_seconds=0, timeout_seconds=2), tmp_path)
    try:
        assert fetcher.robots_verdict(server.url("/a/x.pdf")) == "disallowed by robots.txt"
        assert fetcher.robots_verdict(server.url("/b/x.pdf")) is None
    finally:
        fetcher.close()
    assert not list(tmp_path.glob("dl-*"))  # the robots.txt body is not left behind
