"""bench/clients.py, the load benches' HTTP client: answers on one kept connection, a new one after
the server says `Connection: close` (as a busy `kooperacja serve` process does), a clear failure
when nothing answers; the same from the requests-based client. Over a real HTTP server on
127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from bench.clients import CLIENTS, Failed
from tests.web_archive import free_port


class Answering(BaseHTTPRequestHandler):
    """Echoes the path and the query's `q`; every third answer on a connection closes it."""

    protocol_version = "HTTP/1.1"
    connections: list[int] = []

    def setup(self) -> None:
        super().setup()
        self.answered = 0
        Answering.connections.append(self.client_address[1])

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self.answered += 1
        address = urlsplit(self.path)
        body = (unquote(address.path) + " " + parse_qs(address.query)["q"][0]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        if self.answered % 3 == 0:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def answering() -> Iterator[str]:
    Answering.connections = []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Answering)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("kind", sorted(CLIENTS))
def test_every_request_is_answered_on_kept_and_reopened_connections(kind: str) -> None:
    words = ["współpraca", "asystent rodziny", "policja & sąd", "ośrodek", "gmina", "zespół", "x"]
    with answering() as base:
        client = CLIENTS[kind](base)
        answers = [client.get("/", {"q": word}) for word in words]
        # a path beyond ASCII, as the soak's hostile requests send (`/doc/…/page/²`)
        odd = client.get("/doc/ab12/page/²", {"q": "żółw"})
        client.close()
    assert [a.body.decode() for a in answers] == ["/ " + word for word in words]
    assert odd.status == 200 and odd.body.decode() == "/doc/ab12/page/² żółw"
    assert all(a.status == 200 for a in answers)
    assert [a.headers.get("connection") for a in answers[:3]] == [None, None, "close"]
    assert len(Answering.connections) == 3  # answers 1-3, 4-6 and 7-8 on their own connections


@pytest.mark.parametrize("kind", sorted(CLIENTS))
def test_a_server_that_is_not_there_is_a_failure_not_an_answer(kind: str) -> None:
    client = CLIENTS[kind](f"http://127.0.0.1:{free_port()}")
    with pytest.raises(Failed, match="Connection|connect"):
        client.get("/", {"q": "policja"})
