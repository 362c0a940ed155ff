"""kooperacja.web.connections: a connection that sends no complete request head in time is
closed (idle from the start, or a head sent a byte at a time); a prompt one is answered and kept
alive. Over a real uvicorn server on 127.0.0.1 with the deadline shortened for the test."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from kooperacja.web.connections import TimedH11Protocol
from tests.web_archive import free_port


class QuickHeads(TimedH11Protocol):
    HEAD_SECONDS = 0.5


@contextmanager
def server() -> Iterator[int]:
    app = Starlette(routes=[Route("/", lambda request: PlainTextResponse("strona"))])
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="error", http=QuickHeads, timeout_keep_alive=30
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    while not instance.started:
        time.sleep(0.02)
    try:
        yield port
    finally:
        instance.should_exit = True
        thread.join(timeout=10)


def closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        return sock.recv(1024) == b""
    except TimeoutError:
        return False


def test_a_connection_that_sends_nothing_is_closed() -> None:
    with server() as port, socket.create_connection(("127.0.0.1", port)) as sock:
        assert closed_within(sock, 5)


def test_a_head_sent_a_byte_at_a_time_is_closed() -> None:
    with server() as port, socket.create_connection(("127.0.0.1", port)) as sock:
        started = time.monotonic()
        try:
            for byte in b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100:
                sock.sendall(bytes([byte]))
                time.sleep(0.05)
        except OSError:  # closed under the sender: what the deadline is for
            pass
        assert closed_within(sock, 5) and time.monotonic() - started < 5


def test_a_prompt_request_is_answered_and_the_connection_kept_for_the_next() -> None:
    with server() as port, socket.create_connection(("127.0.0.1", port)) as sock:
        for _ in range(2):
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            sock.settimeout(5)
            answer = b""
            while not answer.endswith(b"strona"):
                answer += sock.recv(1024)
            assert answer.startswith(b"HTTP/1.1 200")
            time.sleep(0.2)  # within the deadline: the connection is still open
        assert closed_within(sock, 5)  # then idle past the deadline: closed
