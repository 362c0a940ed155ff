"""The soak of `bench/web_load.py --soak SECONDS`: clients searching `kooperacja serve` for a long
while, one request in 20 hostile, and the server's memory watched the whole time.

Each client sends requests back to back on its own keep-alive connection until the time is up:
the searches of `web_load.request_plan`, and every 20th request (at a place of its own in the
cycle) one of `hostile_plan`'s, the kinds of issue 17 (a very long query, fifty misspelled
words, a 500-letter word, Unicode digits in the parameters, unknown fields, a far-future
`since`, bad page numbers). An error is a 5xx answer (503 too), a failed connection, or any
answer but 200 to an ordinary search; a 4xx answer to a hostile request is what it should get.
The server's RSS and its anonymous part (the sums over its processes, from /proc) and the load
average are sampled every `SAMPLE_SECONDS`; "flat" means no growth after the first minute
(warm-up).
"""

from __future__ import annotations

import itertools
import random
import threading
import time

from bench.clients import CLIENTS, Answer, Failed
from bench.procs import _tree, latency_summary, load_average, own_cpu_seconds

HOSTILE_EVERY = 20
SAMPLE_SECONDS = 5.0
WARM_UP_SECONDS = 60.0

# Fifty Polish words of the archive's kind, each misspelled (a letter doubled, dropped or
# swapped), as a pasted paragraph of typos: the costliest suggestions a query may ask for.
_WORDS = [
    "asystent", "rodziny", "policja", "dzielnicowy", "przemoc", "gmina", "kurator", "szkoła",
    "pomoc", "społeczna", "współpraca", "zespół", "interdyscyplinarny", "ofiara", "sprawca",
    "niebieska", "karta", "sąd", "prokurator", "pedagog", "psycholog", "terapia", "uzależnienie",
    "alkohol", "mieszkaniec", "senior", "opiekun", "niepełnosprawny", "świadczenie", "zasiłek",
    "rodzina", "dziecko", "młodzież", "placówka", "wychowawcza", "piecza", "zastępcza",
    "koordynator", "model", "rekomendacja", "diagnoza", "raport", "pilotaż", "powiat",
    "województwo", "ośrodek", "centrum", "instytucja", "stowarzyszenie", "umowa",
]  # fmt: skip


def misspelled(words: list[str] = _WORDS) -> list[str]:
    """Each word with one typo, in turn a letter doubled, dropped or two swapped."""
    out = []
    for i, word in enumerate(words):
        k = 1 + i % (len(word) - 2)
        if i % 3 == 0:
            out.append(word[: k + 1] + word[k] + word[k + 1 :])
        elif i % 3 == 1:
            out.append(word[:k] + word[k + 1 :])
        else:
            out.append(word[:k] + word[k + 1] + word[k] + word[k + 2 :])
    return out


def hostile_plan(doc_id: str) -> list[tuple[str, str, dict]]:
    """(kind, path, params) of the hostile requests; `doc_id` names a real document."""
    typos = misspelled()
    assert len(typos) == 50
    long_query = ("umowa sprzedaży nieruchomości " * 60)[:1500]
    return [
        ("long query", "/", {"q": long_query}),
        ("long query", "/api/search", {"q": long_query}),
        ("50 misspelled words", "/", {"q": " OR ".join(typos)}),
        ("50 misspelled words", "/api/search", {"q": " ".join(typos)}),
        ("500-letter word", "/", {"q": "wierzyciel" + "a" * 500}),
        ("Unicode digits", "/", {"q": "umowa", "p": "²", "n": "①"}),
        ("Unicode digits", "/api/search", {"q": "umowa", "limit": "٣"}),
        ("Unicode digits", f"/doc/{doc_id}/page/²", {}),
        ("unknown fields", "/api/search", {"q": "umowa", "fields": "all", "debug": "1"}),
        ("unknown fields", "/", {"q": "wierzyciel", "type": "nieznany", "partner": "rops-x"}),
        ("far-future since", "/changes", {"since": "9999-12-31T23:59:59Z"}),
        ("bad page number", "/", {"q": "umowa", "p": "999999999"}),
        ("bad page number", "/", {"q": "umowa", "p": "-1"}),
        ("bad page number", f"/doc/{doc_id}/page/99999", {}),
    ]


def _described(kind: str, params: dict, answer: Answer | Failed) -> str:
    if isinstance(answer, Failed):
        return f"{kind} {params}: {answer}"[:300]
    busy = " (busy: Retry-After)" if "retry-after" in answer.headers else ""
    return f"{kind} {params}: {answer.status}{busy}"[:300]


def soak_client(base, plan, hostile, until, out, errors, n: int, library: str = "http") -> None:
    connection = CLIENTS[library](base)
    rng = random.Random(n)
    turn = n % HOSTILE_EVERY  # each client sends its hostile requests at its own place
    for i in itertools.count():
        if time.monotonic() >= until:
            connection.close()
            return
        is_hostile = i % HOSTILE_EVERY == turn
        kind, path, params = rng.choice(hostile) if is_hostile else plan[(n * 7 + i) % len(plan)]
        t = time.perf_counter()
        answer: Answer | Failed
        try:
            answer = connection.get(path, params)
            status = answer.status
        except Failed as exc:
            answer, status = exc, None
        ms = (time.perf_counter() - t) * 1000
        if status is None or status >= 500 or (not is_hostile and status != 200):
            errors.append(_described(kind, params, answer))
        else:
            out.append(("hostile" if is_hostile else "search", kind, ms, status))


def _memory_kib(pid: int) -> tuple[int, int]:
    """VmRSS and RssAnon of a process: its resident memory, and the part not backed by a file
    (what a leak grows; the index files tantivy maps are the rest)."""
    found = {b"VmRSS:": 0, b"RssAnon:": 0}
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                key = line.split(b" ", 1)[0].split(b"\t", 1)[0]
                if key in found:
                    found[key] = int(line.split()[1])
    except OSError:
        pass
    return found[b"VmRSS:"], found[b"RssAnon:"]


def sample_server(pid: int, start: float, stop: threading.Event, samples: list) -> None:
    while not stop.is_set():
        both = [_memory_kib(p) for p in _tree(pid)]
        rss, anon = sum(r for r, _ in both) / 1024, sum(a for _, a in both) / 1024
        at = round(time.monotonic() - start, 1)
        samples.append((at, round(rss, 1), round(anon, 1), load_average()))
        stop.wait(SAMPLE_SECONDS)


def run_soak(
    base, plan, hostile, clients: int, seconds: float, server_pid: int, cpu, library: str = "http"
) -> dict:
    """`clients` soak clients for `seconds`; `cpu()` is the server's CPU seconds so far."""
    times: list[tuple[str, str, float, int]] = []
    errors: list[str] = []
    samples: list[tuple[float, float, float]] = []
    start = time.monotonic()
    stop = threading.Event()
    sampler = threading.Thread(target=sample_server, args=(server_pid, start, stop, samples))
    sampler.start()
    cpu_before = cpu()
    own_before = own_cpu_seconds()
    threads = [
        threading.Thread(
            target=soak_client,
            args=(base, plan, hostile, start + seconds, times, errors, n, library),
        )
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    cpu_used = cpu() - cpu_before
    own = own_cpu_seconds() - own_before
    stop.set()
    sampler.join()
    loads = [la for *_, la in samples]
    out: dict = {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": len(times) + len(errors),
        "hostile_requests": sum(1 for who, *_ in times if who == "hostile"),
        "errors": len(errors),
        "error_samples": errors[:10],
        "requests_per_s": round(len(times) / wall, 1),
        "server_cpu_ms_per_request": round(cpu_used * 1000 / max(1, len(times)), 2),
        "client": library,
        "client_cpu_ms_per_request": round(own * 1000 / max(1, len(times)), 2),
        "hostile_statuses": _statuses(times),
        "server_rss_mb": _memory(samples, 1),
        "server_anonymous_rss_mb": _memory(samples, 2),
        "load_average": {
            "min": min(loads, default=None),
            "mean": round(sum(loads) / len(loads), 2) if loads else None,
            "max": max(loads, default=None),
        },
        "samples": samples,
    }
    for who in ("all", "search", "hostile"):
        ms = [m for w, _, m, _ in times if who in ("all", w)]
        if ms:
            out[who] = latency_summary(ms)
    # which hostile requests make the tail
    kinds = sorted({kind for who, kind, _, _ in times if who == "hostile"})
    out["hostile_by_kind"] = {
        kind: latency_summary([m for w, k, m, _ in times if w == "hostile" and k == kind])
        for kind in kinds
    }
    return out


def _memory(samples, column: int) -> dict[str, float | None]:
    """Start, after warm-up, end, max, and the growth after warm-up of one sampled column."""
    values = [row[column] for row in samples]
    warm = [row[column] for row in samples if row[0] >= WARM_UP_SECONDS] or values
    return {
        "start": values[0] if values else None,
        "after_warm_up": warm[0] if warm else None,
        "end": values[-1] if values else None,
        "max": max(values, default=None),
        "growth_after_warm_up": round(warm[-1] - warm[0], 1) if warm else None,
    }


def _statuses(times) -> dict[str, dict[str, int]]:
    """Per hostile kind, how many answers of each status."""
    out: dict[str, dict[str, int]] = {}
    for who, kind, _, status in times:
        if who == "hostile":
            per = out.setdefault(kind, {})
            per[str(status)] = per.get(str(status), 0) + 1
    return out
