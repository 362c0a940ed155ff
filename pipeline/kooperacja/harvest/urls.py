"""Scope rules, so nothing outside a partner's configured scope is ever fetched (the URL forms
themselves are in `webpage/urls.py`)."""

from __future__ import annotations

import ipaddress

from kooperacja.config import Partner
from kooperacja.webpage.urls import host_of, looks_like_document, normalize_url


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
