"""kooperacja.web.searches: at most N searches at once (one more is 503 with Retry-After at
once), each stopped when its client goes away; over a real uvicorn server on 127.0.0.1, then
`kooperacja serve` over a real archive under 45 abandoned costly searches."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import requests
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kooperacja.search.limits import Budget
from kooperacja.web.searches import Busy, SearchSlots
from tests.web_archive import free_port


@contextmanager
def served(app: Starlette) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def slots_app(size: int, release: threading.Event, seen: list[Budget]) -> Starlette:
    """Searches that run until released or cancelled, as a costly search runs phase by phase."""
    slots = SearchSlots(size)

    def search(budget: Budget) -> str:
        seen.append(budget)
        while not release.wait(0.01):
            budget.check()  # raises SearchCancelled once the client has gone
        return "done"

    async def route(request: Request) -> Response:
        try:
            return JSONResponse({"answer": await slots.run(request, search)})
        except Busy:
            return JSONResponse({"error": "busy"}, status_code=503, headers={"Retry-After": "2"})

    return Starlette(routes=[Route("/search", route)])


def asking(base: str, answers: list[requests.Response]) -> threading.Thread:
    """A client asking for a search in a thread of its own; its answer goes to `answers`."""
    thread = threading.Thread(
        target=lambda: answers.append(requests.get(base + "/search", timeout=30))
    )
    thread.start()
    return thread


def test_a_full_server_answers_503_with_retry_after_at_once() -> None:
    release, seen = threading.Event(), []
    with served(slots_app(2, release, seen)) as base:
        pending = [
            threading.Thread(target=requests.get, args=(base + "/search",), kwargs={"timeout": 30})
            for _ in range(2)
        ]
        for thread in pending:
            thread.start()
        while len(seen) < 2:
            time.sleep(0.01)
        started = time.monotonic()
        third = requests.get(base + "/search", timeout=30)
        assert third.status_code == 503 and third.headers["Retry-After"] == "2"
        assert time.monotonic() - started < 2  # refused, not queued behind the two
        release.set()
        for thread in pending:
            thread.join(timeout=30)
        assert requests.get(base + "/search", timeout=30).json() == {"answer": "done"}


def test_a_waiting_search_is_woken_when_a_slot_is_given_back(monkeypatch) -> None:
    # Here a request waits up to 6 s for a slot and looks at its client every 10 s: unwoken,
    # it would try again only at the end of its 6 s.
    monkeypatch.setattr("kooperacja.web.searches.SLOT_WAIT_SECONDS", 6.0)
    monkeypatch.setattr("kooperacja.web.searches.DISCONNECT_CHECK_SECONDS", 10.0)
    release, seen = threading.Event(), []
    with served(slots_app(1, release, seen)) as base:
        answers: list[requests.Response] = []
        first = asking(base, answers)
        while not seen:
            time.sleep(0.01)
        second = asking(base, answers)  # no slot: it waits
        time.sleep(0.3)
        assert len(seen) == 1 and not answers
        release.set()  # the first ends and gives its slot back
        released = time.monotonic()
        first.join(timeout=30)
        second.join(timeout=30)
        assert time.monotonic() - released < 3  # woken by the slot, not at the end of its wait
        assert [a.status_code for a in answers] == [200, 200]
        assert [a.json() for a in answers] == [{"answer": "done"}] * 2
        assert len(seen) == 2


def test_a_search_stops_when_its_client_goes_away() -> None:
    release, seen = threading.Event(), []
    with served(slots_app(1, release, seen)) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /search HTTP/1.1\r\nHost: x\r\n\r\n")
            while not seen:
                time.sleep(0.01)
        # The client is gone: its search is cancelled, and its slot free for the next one.
        assert seen[0].cancelled.wait(5)
        # The server's searches let its event loop (which notices the client going) have the
        # interpreter at each check; a search elsewhere does not.
        assert seen[0].yields and not Budget().yields
        release.set()
        assert requests.get(base + "/search", timeout=30).json() == {"answer": "done"}


def test_a_search_started_while_others_wait_counts_in_line_and_still_stops_for_its_client(
    monkeypatch,
) -> None:
    # Three requests for one slot: the second starts while the third waits (its process's cores
    # are busy: it has no core to spare for its counts), the third alone. The waiting ones are
    # woken only by the slot given back (not by their look at their clients), so in turn.
    monkeypatch.setattr("kooperacja.web.searches.SLOT_WAIT_SECONDS", 6.0)
    monkeypatch.setattr("kooperacja.web.searches.DISCONNECT_CHECK_SECONDS", 10.0)
    slots, seen = SearchSlots(1), []
    first_done, release = threading.Event(), threading.Event()

    def search(budget: Budget) -> str:
        seen.append(budget)
        if len(seen) == 1:
            first_done.wait(30)
        while len(seen) > 1 and not release.wait(0.01):
            budget.check()  # the second raises SearchCancelled once its client has gone
        return "done"

    async def route(request: Request) -> Response:
        return JSONResponse({"answer": await slots.run(request, search)})

    with served(Starlette(routes=[Route("/search", route)])) as base:
        port = int(base.rsplit(":", 1)[1])
        answers: list[requests.Response] = []
        first = asking(base, answers)
        while not seen:
            time.sleep(0.01)
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /search HTTP/1.1\r\nHost: x\r\n\r\n")  # the second: waits
            time.sleep(0.3)
            third = asking(base, answers)  # waits behind it
            time.sleep(0.3)
            first_done.set()
            while len(seen) < 2:
                time.sleep(0.01)
        # The second's client is gone: its search is cancelled through its budget, and the
        # third gets the slot, with nobody waiting behind it.
        assert seen[1].cancelled.wait(5)
        while len(seen) < 3:
            time.sleep(0.01)
        release.set()
        first.join(timeout=30)
        third.join(timeout=30)
    assert [b.spare_core for b in seen] == [True, False, True]
    assert [a.json() for a in answers] == [{"answer": "done"}] * 2


# Fifty misspelled Polish words joined by OR: the costliest query the limits allow.
MISSPELLED = [
    "asystnt", "rodzny", "polcja", "dzielnicowyy", "przemcy", "gmna", "kuratr", "szkloa",
    "pomcy", "spoleczenj", "wspolpracaa", "zespoul", "interdyscyplinrany", "ofiarr",
    "sprawcyy", "niebieskiejj", "kartaa", "sadu", "prokuratorr", "pedagogg", "psychologaa",
    "terapiaa", "uzaleznien", "alkoholuu", "mieszkancyy", "seniorr", "opiekunn",
    "niepelnosprawnyy", "swiadczeniaa", "zasilkuu", "rodzinyy", "dzieckaa", "mlodziezyy",
    "placowkii", "wychowawczejj", "pieczyy", "zastepczejj", "koordynatoraa", "modelluu",
    "rekomendacjii", "diagnozyy", "raportuu", "pilotazuu", "gminyy", "powiatuu",
    "wojewodztwaa", "osrodkaa", "centrumm", "instytucjii", "stowarzyszeniaa",
]


def test_abandoned_costly_searches_leave_a_plain_search_answering(web_archive) -> None:
    from tests.web_archive import start_serve

    assert len(MISSPELLED) == 50
    costly = "/?q=" + "+OR+".join(MISSPELLED)
    assert len(" OR ".join(MISSPELLED)) <= 1000
    proc, base = start_serve(web_archive.config_path)
    port = int(base.rsplit(":", 1)[1])
    try:
        for _ in range(45):  # asked, then abandoned: the client closes before any answer
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.sendall(f"GET {costly} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        started = time.monotonic()
        plain = requests.get(base + "/api/search", params={"q": "rodziny"}, timeout=30)
        took = time.monotonic() - started
        assert plain.status_code == 200 and plain.json()["total"] >= 1
        assert took < 0.5, f"a plain search took {took:.2f} s after 45 abandoned ones"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
