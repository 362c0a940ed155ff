"""URL normalisation and scope rules, so one document is never fetched twice under trivially
different URLs and nothing outside a partner's configured scope is ever fetched."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from kooperacja.config import Partner

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


def in_scope(url: str, partner: Partner) -> bool:
    """Pages are followed only under the partner's scope prefixes."""
    norm_scopes = [normalize_url(s) or s for s in partner.scope]
    return any(url.startswith(s) for s in norm_scopes)


def document_host_allowed(url: str, partner: Partner) -> bool:
    return host_of(url) in partner.document_hosts


def is_private_host(host: str) -> bool:
    """Loopback, private and link-local addresses: a public page linking there is a trap."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved


DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".ppt", ".pptx", ".xls", ".xlsx")
DOWNLOAD_HINT = re.compile(
    r"(download|pobierz|attach|att/|/att\?|plik|file|getfile|dokument|viewattach|\?id=|&id=)", re.I
)


def looks_like_document(url: str) -> bool:
    """Outside the scope pages are never followed, so only URLs that look like documents (by
    extension or a download-style path) are fetched from the partner's document hosts."""
    path = urlsplit(url).path.lower()
    return path.endswith(DOCUMENT_EXTENSIONS) or bool(DOWNLOAD_HINT.search(url))


def may_follow(url: str, partner: Partner) -> bool:
    """Pages only within the scope; documents only from the document hosts; private or loopback
    addresses only when the partner's own site is on one (a public page linking there is a
    trap or a mistake)."""
    if not in_scope(url, partner) and not (
        document_host_allowed(url, partner) and looks_like_document(url)
    ):
        return False
    own_private = any(is_private_host(host_of(u)) for u in partner.start_urls)
    return own_private or not is_private_host(host_of(url))
