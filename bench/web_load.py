"""Load on the staff web page: N concurrent clients searching `kooperacja serve` at archive scale.

    .venv/bin/python bench/web_load.py --pages 20000            # 20 clients, 50 searches each
    .venv/bin/python bench/web_load.py --pages 500 --clients 5  # a quick look
    .venv/bin/python bench/web_load.py --pages 20000 --soak 600 # 16 clients for 10 minutes,
                                                                # one request in 20 hostile

Builds (once, cached in bench/work/web-N/) an archive of N pages with the real pipeline from the
corpus of bench/corpus.py served on 127.0.0.1, starts `kooperacja serve` on 127.0.0.1, and runs
`--clients` threads, each with its own keep-alive connection, sending `--requests` searches back
to back (a closed loop, the hardest case for that many users; `--think S` pauses S seconds on
average between a client's searches, as a person reading the results would). Searches
alternate between the results page (`/?q=…`, what staff open: the search with facet counts over all
matches, the HTML) and `/api/search?q=…`, over the query kinds of bench/run.py, a third of them
with a filter. Bounded by the request count and `--deadline` seconds; talks only to 127.0.0.1.

One client alone runs first: the time a search takes with nobody queued before it. Prints and
writes (bench/work/web-load-N.json, or --json PATH) p50/p95/p99/max latency per kind, requests
per second, the server's CPU per request (it and its workers, from /proc: what a request costs
whatever else the machine runs), the clients' own CPU per request (taken from the same cores:
bench/clients.py; `--client requests` runs the heavier client used before) and every error. No
timing is asserted anywhere.

`--soak SECONDS` runs bench/web_soak.py's soak instead of the fixed request count: `--clients`
(16 unless given) back to back for that long, one request in 20 hostile, the server's RSS and
the load average sampled throughout (written to bench/work/web-soak-N.json, or --json PATH).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench.clients import CLIENTS, Failed  # noqa: E402
from bench.corpus import WORK, build_corpus, write_site  # noqa: E402
from bench.procs import (  # noqa: E402
    _cpu_ticks,
    _tree,
    latency_summary,
    load_average,
    own_cpu_seconds,
)
from bench.run import QUERIES, kooperacja_cmd, machine, serve, stage, write_config  # noqa: E402
from bench.web_soak import hostile_plan, run_soak  # noqa: E402

TARGET_P95_MS = 50.0
SOAK_P99_MS = 250.0  # issue 17.5: the 10-minute soak, 16 clients, one request in 20 hostile


def build_archive(pages: int, rebuild: bool, log=print) -> tuple[Path, object]:
    """The archive and index of `pages` pages, built by the pipeline once and then reused."""
    corpus = build_corpus(pages, log=log)
    run_dir = WORK / f"web-{pages}"
    config = run_dir / "config.yaml"
    done = run_dir / "built.json"
    if done.exists() and not rebuild:
        log(f"bench: reusing the archive in {run_dir} (--rebuild to build it again)")
        return config, corpus
    if run_dir.exists():
        shutil.rmtree(run_dir)
    site = run_dir / "site"
    write_site(corpus, site, include_extra=False)
    server, base = serve(site)
    try:
        write_config(config, corpus, base)
        m, report = stage("update", config, "update", log=log)
        if m.returncode not in (0, 1):
            raise SystemExit(f"bench: update failed (exit {m.returncode}): {m.tail(5)}")
    finally:
        server.shutdown()
    done.write_text(json.dumps({"pages": pages, "update_seconds": round(m.seconds, 1)}))
    return config, corpus


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(config: Path, workers: int | None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    args = [*kooperacja_cmd(), "--config", str(config), "serve", "--port", str(port)]
    if workers:  # otherwise the README's `serve`: the default worker count
        args += ["--workers", str(workers)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"bench: serve exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            requests.get(base + "/static/style.css", timeout=2)
            return proc, base
        except requests.ConnectionError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("bench: serve did not answer within 60 s")


def request_plan(corpus) -> list[tuple[str, str, dict]]:
    """(kind, path, params) for every query of bench/run.py, as page and API, some filtered."""
    partner = corpus.partners[0][0]
    filters = [{}, {"partner": partner}, {"type": "recommendations"}, {"year": "2019..2021"}]
    plan = []
    for i, query in enumerate(q for qs in QUERIES.values() for q in qs):
        extra = filters[i % len(filters)] if i % 3 == 0 else {}
        plan.append(("page", "/", {"q": query, **extra}))
        plan.append(("api", "/api/search", {"q": query, "limit": "10", **extra}))
    return plan


def client(base, plan, count, deadline, out, errors, offset, think, library="http") -> None:
    connection = CLIENTS[library](base)
    pause = random.Random(offset)  # each client its own, reproducible pauses
    try:
        for what, path, params in itertools.islice(itertools.cycle(plan), offset, offset + count):
            if think:  # a person reading the results before the next search
                time.sleep(min(pause.expovariate(1 / think), 5 * think))
            if time.monotonic() > deadline:
                errors.append("deadline reached before all requests were sent")
                return
            t = time.perf_counter()
            try:
                answer = connection.get(path, params)
            except Failed as exc:
                errors.append(f"{what} {params}: {exc}")
                continue
            ms = (time.perf_counter() - t) * 1000
            if answer.status == 200 and answer.body:
                out.append((what, ms))
            else:
                busy = " (busy: Retry-After)" if "retry-after" in answer.headers else ""
                errors.append(f"{what} {params}: {answer.status}{busy}")
    finally:
        connection.close()


def server_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by the server and its worker processes."""
    ticks = sum(_cpu_ticks(p) or 0 for p in _tree(pid))
    return ticks / os.sysconf("SC_CLK_TCK")


def connections_by_process(server_pid: int, port: int) -> list[int]:
    """How many of the clients' connections each server process holds, most first: a process
    answers only its own connections, so an uneven split moves the figures (RESULTS.md)."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == "01":  # ESTABLISHED, on the server's side
                established.add(fields[9])  # the socket's inode
    counts = []
    for pid in _tree(server_pid):
        try:
            links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:
            continue
        held = sum(1 for link in links if link.startswith("socket:[") and link[8:-1] in established)
        if held:
            counts.append(held)
    return sorted(counts, reverse=True)


def warm(base, plan) -> None:
    for _kind, path, params in plan:  # every query once, unmeasured
        requests.get(base + path, params=params, timeout=60).raise_for_status()


def run_load(
    base, plan, clients, per_client, deadline_s, server_pid: int, think=0.0, library="http"
) -> dict:
    cpu_before = server_cpu_seconds(server_pid)
    own_before = own_cpu_seconds()
    times: list[tuple[str, float]] = []
    errors: list[str] = []
    deadline = time.monotonic() + deadline_s
    threads = [
        threading.Thread(
            target=client,
            args=(
                base, plan, per_client, deadline, times, errors, i * 7 % len(plan), think, library
            ),
        )
        for i in range(clients)
    ]
    split: list[int] = []
    port = int(base.rsplit(":", 1)[1])

    def look() -> None:  # once every client has connected, before the first ones finish
        time.sleep(1)
        split.extend(connections_by_process(server_pid, port))

    start = time.perf_counter()
    for t in threads:
        t.start()
    threading.Thread(target=look, daemon=True).start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    cpu = server_cpu_seconds(server_pid) - cpu_before
    own = own_cpu_seconds() - own_before
    out: dict = {
        "clients": clients,
        "think_seconds": think,
        "requests": len(times) + len(errors),
        "errors": len(errors),
        "error_samples": errors[:5],
        "seconds": round(wall, 2),
        "requests_per_s": round(len(times) / wall, 1) if wall else None,
        # what a request costs the server, whatever else the machine is doing
        "server_cpu_ms_per_request": round(cpu * 1000 / max(1, len(times)), 2),
        "connections_per_server_process": split,
        # the clients' own cost, taken from the same cores (see bench/clients.py)
        "client": library,
        "client_cpu_ms_per_request": round(own * 1000 / max(1, len(times)), 2),
    }
    for kind in ("all", "page", "api"):
        ms = [m for k, m in times if kind in ("all", k)]
        if ms:
            out[kind] = latency_summary(ms)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=20_000)
    ap.add_argument("--clients", type=int, default=None, help="20, or 16 with --soak")
    ap.add_argument("--requests", type=int, default=50, help="per client")
    ap.add_argument(
        "--workers", type=int, default=None, help="serve --workers (default: serve's own)"
    )
    ap.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a client pauses between searches (0: back to back)",
    )
    ap.add_argument("--deadline", type=float, default=600, help="seconds, then stop")
    ap.add_argument(
        "--soak", type=float, metavar="SECONDS", help="soak for SECONDS (one request in 20 hostile)"
    )
    ap.add_argument(
        "--client",
        choices=sorted(CLIENTS),
        default="http",
        help="the clients' HTTP library (default http: the standard library's, lightest; "
        "requests: the one used before the eighth session of issue 17)",
    )
    ap.add_argument("--rebuild", action="store_true", help="build the archive again")
    ap.add_argument("--json", type=Path, help="where to write the figures")
    args = ap.parse_args(argv)
    args.clients = args.clients or (16 if args.soak else 20)
    config, corpus = build_archive(args.pages, args.rebuild)
    proc, base = start_server(config, args.workers)
    plan = request_plan(corpus)
    if args.soak:
        return soak(args, proc, base, plan)
    try:
        warm(base, plan)
        load_start = load_average()
        # One client alone first: the time a search takes with nobody waiting before it.
        alone = run_load(base, plan, 1, 2 * len(plan), args.deadline, proc.pid, 0.0, args.client)
        res = run_load(
            base,
            plan,
            args.clients,
            args.requests,
            args.deadline,
            proc.pid,
            args.think,
            args.client,
        )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    res |= {
        "one_client": alone,
        "pages": args.pages,
        "workers": args.workers,
        "load_average_start": load_start,
        "load_average_end": load_average(),
        "machine": machine(),
    }
    p95 = res.get("all", {}).get("p95_ms")
    met = p95 is not None and p95 <= TARGET_P95_MS and not res["errors"]
    res["target"] = {"p95_ms_max": TARGET_P95_MS, "met": met}
    path = args.json or WORK / f"web-load-{args.pages}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{args.clients} clients x {args.requests} searches (think {args.think} s), "
          f"{args.pages:,} pages, "
          f"serve --workers {args.workers or 'default'}: {res['requests_per_s']} requests/s, "
          f"{res['errors']} errors (load average {load_start} -> {res['load_average_end']}), "
          f"connections per server process {res['connections_per_server_process']}, "
          f"{args.client} clients' CPU {res['client_cpu_ms_per_request']} ms/request; "
          f"p95 target {TARGET_P95_MS} ms {'met' if met else 'NOT met'}")  # fmt: skip
    print("| clients | kind | n | p50 ms | p95 ms | p99 ms | max ms | server CPU ms/request |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for run in (alone, res):
        for kind in ("page", "api", "all"):
            if kind in run:
                k = run[kind]
                cpu = run["server_cpu_ms_per_request"]
                print(f"| {run['clients']} | {kind} | {k['n']} | {k['p50_ms']} | {k['p95_ms']} | "
                      f"{k['p99_ms']} | {k['max_ms']} | {cpu} |")  # fmt: skip
    print(f"written to {path}")
    return 0 if not res["errors"] else 1


def soak(args, proc, base, plan) -> int:
    try:
        warm(base, plan)
        found = requests.get(base + "/api/search", params={"q": "wierzyciel"}, timeout=60).json()
        hostile = hostile_plan(found["hits"][0]["doc_id"])
        load_start = load_average()
        res = run_soak(
            base, plan, hostile, args.clients, args.soak, proc.pid,
            lambda: server_cpu_seconds(proc.pid), args.client,
        )  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    res |= {
        "pages": args.pages,
        "workers": args.workers,
        "load_average_start": load_start,
        "load_average_end": load_average(),
        "machine": machine(),
    }
    p99 = res.get("all", {}).get("p99_ms")
    met = p99 is not None and p99 <= SOAK_P99_MS and not res["errors"]
    res["target"] = {"p99_ms_max": SOAK_P99_MS, "errors": 0, "met": met}
    path = args.json or WORK / f"web-soak-{args.pages}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    rss, la = res["server_rss_mb"], res["load_average"]
    print(f"\nsoak: {args.clients} clients for {res['seconds']} s, {args.pages:,} pages, "
          f"serve --workers {args.workers or 'default'}: {res['requests']} requests "
          f"({res['hostile_requests']} hostile), {res['requests_per_s']} requests/s, "
          f"{res['errors']} errors; server CPU {res['server_cpu_ms_per_request']} ms/request, "
          f"{args.client} clients' {res['client_cpu_ms_per_request']}; "
          f"p99 target {SOAK_P99_MS} ms {'met' if met else 'NOT met'}")  # fmt: skip
    print("| requests | n | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for who in ("search", "hostile", "all"):
        if who in res:
            k = res[who]
            print(f"| {who} | {k['n']} | {k['p50_ms']} | {k['p95_ms']} | {k['p99_ms']} | "
                  f"{k['max_ms']} |")  # fmt: skip
    for kind, k in res.get("hostile_by_kind", {}).items():
        print(f"| hostile: {kind} | {k['n']} | {k['p50_ms']} | {k['p95_ms']} | {k['p99_ms']} | "
              f"{k['max_ms']} |")  # fmt: skip
    for name, mem in (("RSS", rss), ("anonymous RSS", res["server_anonymous_rss_mb"])):
        print(f"server {name} MB: start {mem['start']}, after warm-up {mem['after_warm_up']}, "
              f"end {mem['end']}, max {mem['max']}, growth after warm-up "
              f"{mem['growth_after_warm_up']}")  # fmt: skip
    print(f"load average: min {la['min']} mean {la['mean']} max {la['max']}")
    for line in res["error_samples"]:
        print("error:", line)
    print(f"written to {path}")
    return 0 if not res["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
