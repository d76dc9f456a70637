"""CPU and memory of `make bench-load`: samples CPU time and RSS of every service's
process tree (and of PostgreSQL, Redis and the load generator) once a second, and the
machine's busy share, for the measured windows of bench/load.py."""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from dataclasses import dataclass

import psutil

from bot.services import Supervisor


@dataclass
class Sample:
    t: float  # wall clock
    pid: int
    cpu_s: float  # user + system of the process tree (with its reaped children)
    rss: int


def tree_usage(pid: int) -> tuple[float, int]:
    """CPU seconds and RSS bytes of a process and all its descendants."""
    root = psutil.Process(pid)
    cpu, rss = 0.0, 0
    for process in [root, *root.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            cpu += times.user + times.system + times.children_user + times.children_system
            rss += process.memory_info().rss
    return cpu, rss


def find_process(name: str, cmdline_part: str = "") -> int | None:
    """The pid of the oldest process called `name` (PostgreSQL's postmaster, Redis)."""
    found = [
        p
        for p in psutil.process_iter(["name", "cmdline", "create_time"])
        if p.info["name"] == name and cmdline_part in " ".join(p.info["cmdline"] or [])
    ]
    return min(found, key=lambda p: p.info["create_time"]).pid if found else None


class Sampler:
    """Samples CPU time and RSS of every service's process tree once a second, and of
    PostgreSQL, Redis and the load generator; the machine's busy share too."""

    def __init__(self, supervisor: Supervisor) -> None:
        self.supervisor = supervisor
        self.extra: dict[str, int] = {}
        self.samples: dict[str, list[Sample]] = {}
        self.machine: list[tuple[float, float, float]] = []  # t, busy s, total s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _targets(self) -> dict[str, int]:
        targets = {
            name: process.pid
            for name, process in list(self.supervisor.processes.items())
            if process.poll() is None
        }
        postmaster = find_process("postgres", "-D")
        if postmaster is not None:
            targets["postgresql"] = postmaster
        redis_pid = find_process("redis-server")
        if redis_pid is not None:
            targets["redis"] = redis_pid
        return {**targets, **self.extra}

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            now = time.time()
            for name, pid in self._targets().items():
                with contextlib.suppress(psutil.Error):
                    cpu, rss = tree_usage(pid)
                    self.samples.setdefault(name, []).append(Sample(now, pid, cpu, rss))
            times = psutil.cpu_times()
            idle = times.idle + getattr(times, "iowait", 0.0)
            total = sum(times)
            self.machine.append((now, total - idle, total))

    def usage(self, name: str, start: float, end: float) -> dict[str, float] | None:
        """CPU % (of one core) and RSS (MiB, mean and max) of `name` within the window."""
        inside = [s for s in self.samples.get(name, []) if start <= s.t <= end]
        if len(inside) < 2:
            return None
        cpu = sum(
            b.cpu_s - a.cpu_s
            for a, b in itertools.pairwise(inside)
            if a.pid == b.pid and b.cpu_s >= a.cpu_s
        )
        rss = [s.rss / 2**20 for s in inside]
        return {
            "cpu_percent": round(100 * cpu / (inside[-1].t - inside[0].t), 1),
            "rss_mib": round(sum(rss) / len(rss)),
            "rss_mib_max": round(max(rss)),
        }

    def machine_busy(self, start: float, end: float) -> float | None:
        """Busy share of all cores within the window, in % (100 = every core busy)."""
        inside = [m for m in self.machine if start <= m[0] <= end]
        if len(inside) < 2:
            return None
        busy = inside[-1][1] - inside[0][1]
        total = inside[-1][2] - inside[0][2]
        return round(100 * busy / total, 1) if total > 0 else None
