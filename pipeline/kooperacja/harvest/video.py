"""Films on partner pages: links to and embeds of YouTube, Vimeo and video files.

A film is never downloaded: it becomes a `video` record whose bytes are its canonical URL (UTF-8,
no newline), so its identity is honest and checkable like any other document's: the SHA-256 of
`https://www.youtube.com/watch?v=ID` is the same whichever link or embed showed that film. Its
text, for search, is its title and the words around it on the pages that show it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Tag

from kooperacja.models import VIDEO_MEDIA
from kooperacja.webpage.urls import normalize_url

__all__ = ["VIDEO_MEDIA", "VideoRef", "canonical_video_url", "find_videos", "video_sha256"]

YOUTUBE_HOSTS = re.compile(r"^(www\.|m\.|music\.)?(youtube\.com|youtube-nocookie\.com)$")
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
YOUTUBE_PATH = re.compile(r"^/(embed|shorts|live|v|e)/([A-Za-z0-9_-]{11})")
VIMEO_PATH = re.compile(r"^/(?:video/|channels/[\w-]+/|groups/[\w-]+/videos/)?(\d{5,12})(?:/|$)")
VIDEO_FILES = (".mp4", ".webm", ".m4v", ".mov", ".ogv")
# Embed titles that name the player, not the film.
GENERIC_TITLES = re.compile(
    r"^(youtube( video player| player)?|vimeo( video player)?|video|wideo|film|"
    r"odtwarzacz( youtube| wideo)?|embedded (content|video)|player|\[?film\]?)$",
    re.I,
)
CHROME = ("nav", "header", "footer")
CONTEXT_BLOCKS = ("figure", "li", "p", "td", "dd", "div", "section", "article")


@dataclass(frozen=True)
class VideoRef:
    url: str  # canonical
    title: str  # link text or the embed's title; "" when the page gives none
    context: str  # the words around it on the page
    how: str  # "link" or "embed"


def canonical_video_url(url: str) -> str | None:
    """The one URL of a film however it is linked or embedded; None if `url` is no film."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if YOUTUBE_HOSTS.match(host):
        path_id = YOUTUBE_PATH.match(parts.path)
        video_id = (
            path_id.group(2)
            if path_id
            else (parse_qs(parts.query).get("v", [""])[0] if parts.path == "/watch" else "")
        )
        return f"https://www.youtube.com/watch?v={video_id}" if YOUTUBE_ID.match(video_id) else None
    if host == "youtu.be":
        video_id = parts.path.strip("/").split("/")[0]
        return f"https://www.youtube.com/watch?v={video_id}" if YOUTUBE_ID.match(video_id) else None
    if host in ("vimeo.com", "www.vimeo.com", "player.vimeo.com"):
        m = VIMEO_PATH.match(parts.path)
        return f"https://vimeo.com/{m.group(1)}" if m else None
    if parts.path.lower().endswith(VIDEO_FILES):
        return normalize_url(url)
    return None


def video_sha256(canonical_url: str) -> str:
    """A film's identity: the SHA-256 of the bytes stored for it, its canonical URL."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()


def find_videos(soup: BeautifulSoup, base: str) -> tuple[VideoRef, ...]:
    """Films linked or embedded on a page, outside its menus, header and footer; one per film,
    with the best title any of its links or embeds gives."""
    found: dict[str, VideoRef] = {}
    for el, attr, how in _candidates(soup):
        target = el.get(attr)
        if not isinstance(target, str) or el.find_parent(CHROME) is not None:
            continue
        absolute = normalize_url(target, base) if "://" not in target else target
        canonical = canonical_video_url(absolute or "")
        if canonical is None:
            continue
        title = _title(el, how)
        ref = VideoRef(canonical, title, _context(el, title), how)
        old = found.get(canonical)
        if old is None or (title and not old.title):
            found[canonical] = ref
    return tuple(found.values())


def _candidates(soup: BeautifulSoup):
    for el in soup.find_all("a", href=True):
        yield el, "href", "link"
    for name, attr in (("iframe", "src"), ("iframe", "data-src"), ("embed", "src")):
        for el in soup.find_all(name):
            yield el, attr, "embed"
    for el in soup.find_all("video"):
        yield el, "src", "embed"
        for source in el.find_all("source"):
            yield source, "src", "embed"


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip()
    if len(text) > 2 and text[0] == "[" and text[-1] == "]":
        text = text[1:-1].strip()
    return "" if GENERIC_TITLES.match(text) else text


def _title(el: Tag, how: str) -> str:
    if how == "link":
        return _clean(el.get_text(" ", strip=True)) or _clean(str(el.get("title") or ""))
    player = el if el.name != "source" else el.find_parent("video") or el
    for value in (player.get("title"), player.get("aria-label")):
        if value and _clean(str(value)):
            return _clean(str(value))
    figure = player.find_parent("figure")
    caption = figure.find("figcaption") if figure is not None else None
    if caption is not None and _clean(caption.get_text(" ", strip=True)):
        return _clean(caption.get_text(" ", strip=True))
    heading = player.find_previous(("h1", "h2", "h3", "h4"))
    return _clean(heading.get_text(" ", strip=True)) if heading is not None else ""


def _context(el: Tag, title: str) -> str:
    """The block the film sits in, and the heading above it, as a reader sees them."""
    parts = []
    heading = el.find_previous(("h2", "h3", "h4", "h1"))
    if heading is not None:
        parts.append(" ".join(heading.get_text(" ", strip=True).split()))
    block = el.find_parent(CONTEXT_BLOCKS)
    if block is not None:
        text = " ".join(block.get_text(" ", strip=True).split())
        if len(text) < 80:  # a bare link: the paragraph before it says what the film is
            before = block.find_previous_sibling(("p", "div"))
            if before is not None:
                text = " ".join(before.get_text(" ", strip=True).split()) + " " + text
        parts.append(text)
    context = " ".join(p for p in dict.fromkeys(parts) if p and p != title)
    return context[:600]
