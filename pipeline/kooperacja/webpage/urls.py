"""URL normalisation, so one document is never fetched twice under trivially different URLs,
and what a document's URL looks like (read by the crawl and by the page classifier)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|_ga)$", re.I)
DEFAULT_PORTS = {"http": 80, "https": 443}
# RFC 3986 characters that may stay unescaped in a path / query
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = "/:@!$'()*+,;-._~%?"


def normalize_url(url: str, base: str | None = None) -> str | None:
    """An absolute, canonical http(s) URL, or None for other schemes and junk."""
    url = url.strip()
    if not url or url.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    try:
        absolute = urljoin(base, url) if base else url
        parts = urlsplit(absolute)
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS or not parts.hostname:
            return None
        host = parts.hostname.lower().rstrip(".")
        port = parts.port
    except ValueError:
        return None
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        netloc = f"[{host}]" + (f":{port}" if port not in (None, DEFAULT_PORTS[scheme]) else "")
    path = quote(unquote(parts.path), safe=_PATH_SAFE) or "/"
    path = re.sub(r"/{2,}", "/", path)
    query_pairs = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    ]
    query = urlencode(sorted(query_pairs), safe=_QUERY_SAFE, quote_via=quote)
    return urlunsplit((scheme, netloc, path, query, ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".ppt", ".pptx", ".xls", ".xlsx")
DOWNLOAD_HINT = re.compile(
    r"(download|pobierz|attach|att/|/att\?|plik|file|getfile|dokument|viewattach|\?id=|&id=)", re.I
)


def looks_like_document(url: str) -> bool:
    """Outside the scope pages are never followed, so only URLs that look like documents (by
    extension or a download-style path) are fetched from the partner's document hosts."""
    path = urlsplit(url).path.lower()
    return path.endswith(DOCUMENT_EXTENSIONS) or bool(DOWNLOAD_HINT.search(url))
