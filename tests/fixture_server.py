"""A real HTTP server on 127.0.0.1 for tests: static routes with ETag/Last-Modified and 304s,
failure routes, and a log of every request so tests can assert what was fetched."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: float | None = None  # epoch seconds
    handler: Callable[[BaseHTTPRequestHandler, int], bool] | None = None  # custom; gets call no.
    calls: int = 0


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    status: int
    body_bytes: int


class FixtureServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                server._serve(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **kw) -> Route:
        if isinstance(body, str):
            body = body.encode("utf-8")
        route = Route(body=body, **kw)
        self.routes[path] = route
        return route

    def remove(self, path: str) -> None:
        self.routes.pop(path, None)

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.log if r.path == path]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    def document_bytes_sent(self) -> int:
        return sum(
            r.body_bytes
            for r in self.log
            if not r.path.endswith((".html", "/", "robots.txt"))
            and "text/html" not in self.routes.get(r.path, Route()).content_type
        )

    def _record(self, h, status: int, size: int) -> None:
        with self._lock:
            self.log.append(Request("GET", h.path, dict(h.headers.items()), status, size))

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        route = self.routes.get(h.path)
        if route is None:
            self._send(h, 404, b"not found", "text/plain", {})
            return
        route.calls += 1
        if route.handler is not None and route.handler(h, route.calls):
            self._record(h, 0, 0)
            return
        headers = dict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified is not None:
            headers["Last-Modified"] = formatdate(route.last_modified, usegmt=True)
        if route.status == 200:
            inm = h.headers.get("If-None-Match")
            ims = h.headers.get("If-Modified-Since")
            if (route.etag and inm == route.etag) or (
                not inm
                and ims
                and route.last_modified is not None
                and ims == headers.get("Last-Modified")
            ):
                self._send(h, 304, b"", None, headers)
                return
        self._send(h, route.status, route.body, route.content_type, headers)

    def _send(self, h, status, body, ctype, headers) -> None:
        self._record(h, status, len(body))  # before answering: the client may not wait for more
        h.send_response(status)
        if ctype:
            h.send_header("Content-Type", ctype)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        # the client may give up (timeouts, size caps): that is the test, not an error
        with contextlib.suppress(OSError):
            h.wfile.write(body)

    def __enter__(self) -> FixtureServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def slow(seconds: float) -> Callable:
    def handler(h, calls):
        time.sleep(seconds)
        return False

    return handler
