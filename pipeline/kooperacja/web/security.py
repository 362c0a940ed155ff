"""Headers every answer carries: a Content-Security-Policy (no scripts, nothing from elsewhere),
no MIME sniffing, no framing by other sites. An answer that sets its own policy keeps it."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; frame-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
)
# Archived HTML pages are the partners' markup: shown inert (no scripts, no forms, no requests).
ARCHIVED_HTML_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src 'none'"
# PDFs open in the browser's own viewer; the policy still forbids them any request of their own.
ARCHIVED_FILE_POLICY = "default-src 'none'; frame-ancestors 'self'"

_FIXED = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"same-origin"),
)


def page_headers() -> dict[str, str]:
    """The headers of a page, for an answer made outside the middleware: Starlette answers an
    unexpected error (500) from its outermost layer, which no added middleware wraps."""
    return {"content-security-policy": PAGE_POLICY} | {
        name.decode(): value.decode() for name, value in _FIXED
    }


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", PAGE_POLICY.encode()))
                headers.extend(h for h in _FIXED if h[0] not in names)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
