"""Run a command and measure it: wall time, exit code, output, and peak memory.

CPU time is the larger of the kernel's figure for the command and its reaped children (wait4)
and the sum, over the process tree, of each process's own CPU time as last sampled (workers of a
multiprocessing forkserver are not reaped by the command, so wait4 alone misses them). On a
shared machine wall time depends on the neighbours; CPU time much less.

Peak memory is measured two ways: `peak_rss_mb` is the kernel's ru_maxrss of the command's own
process (from os.wait4, exact); `tree_peak_rss_mb` is the largest sum of VmRSS over the process
and all its descendants (extraction workers, forkserver), sampled every 50 ms, so a short spike
may be missed and pages shared between forked processes are counted once per process.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass

SAMPLE_SECONDS = 0.05
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Measured:
    cmd: list[str]
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    tree_peak_rss_mb: float
    cpu_seconds: float = 0.0

    def tail(self, lines: int = 5) -> str:
        return "\n".join(self.stderr.strip().splitlines()[-lines:])


def run_measured(
    cmd: list[str], env: dict | None = None, cwd: str | None = None, sample: bool = True
) -> Measured:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
    out: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda n, f: out.__setitem__(n, f.read()), args=(n, f), daemon=True)
        for n, f in (("stdout", proc.stdout), ("stderr", proc.stderr))
    ]
    for t in readers:
        t.start()
    peak_tree = [0]
    cpu_ticks: dict[int, int] = {}
    done = threading.Event()
    sampler = None
    if sample:
        sampler = threading.Thread(
            target=_sample_tree, args=(proc.pid, done, peak_tree, cpu_ticks), daemon=True
        )
        sampler.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except BaseException:  # Ctrl-C or SIGTERM of the bench: do not leave the stage running
        proc.terminate()
        proc.wait()
        done.set()
        raise
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    for t in readers:
        t.join()
    if sampler:
        sampler.join()
    own = usage.ru_maxrss / 1024  # KiB on Linux
    cpu = max(usage.ru_utime + usage.ru_stime, sum(cpu_ticks.values()) / CLOCK_TICKS)
    text = {k: v.decode("utf-8", "replace") for k, v in out.items()}
    return Measured(
        cmd,
        seconds,
        proc.returncode,
        text.get("stdout", ""),
        text.get("stderr", ""),
        round(own, 1),
        round(max(own, peak_tree[0] / 1024), 1),
        round(cpu, 3),
    )


def _sample_tree(root: int, done: threading.Event, peak: list[int], cpu: dict[int, int]) -> None:
    while not done.is_set():
        total = 0
        for pid in _tree(root):
            total += _rss_kib(pid)
            ticks = _cpu_ticks(pid)
            if ticks is not None:
                cpu[pid] = max(cpu.get(pid, 0), ticks)
        peak[0] = max(peak[0], total)
        done.wait(SAMPLE_SECONDS)


def _cpu_ticks(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime + stime of the process itself


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        parents.setdefault(ppid, []).append(int(name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(parents.get(pid, ()))
    return out


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def median(values):
    values = sorted(values)
    if not values:
        return None
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def percentile(values, q: float):
    """Nearest-rank percentile (q in 0..100)."""
    values = sorted(values)
    if not values:
        return None
    rank = max(1, min(len(values), -(-len(values) * q // 100)))
    return values[int(rank) - 1]


def latency_summary(ms) -> dict:
    """n, p50, p95, p99 and max of request times in milliseconds."""
    return {
        "n": len(ms),
        "p50_ms": round(median(ms), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms), 1),
    }


def own_cpu_seconds() -> float:
    """This process's CPU time so far (all its threads): a bench's own clients' cost."""
    used = os.times()
    return used.user + used.system
