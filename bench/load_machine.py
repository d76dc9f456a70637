"""Where a run of `make bench-load` ran: the machine (cores, memory, versions), the code
state (commit and uncommitted changes) and a quiet machine to start on."""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

import psutil

from bot.config import ROOT

MAX_LOADAVG = 1.5  # wait for a quiet machine before starting (at most QUIET_WAIT s)
QUIET_WAIT = 600.0


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break

    def version(argv: list[str]) -> str:
        with contextlib.suppress(OSError):
            done = subprocess.run(argv, capture_output=True, text=True, check=False)
            return (done.stdout or done.stderr).splitlines()[0].strip()
        return ""

    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "haproxy": version(["haproxy", "-v"]),
        "postgresql": version(["psql", "--version"]),
        "redis": version(["redis-server", "--version"]),
    }


def code_state() -> dict[str, Any]:
    """The commit and the uncommitted changes the stack ran with (others edit in
    parallel: the numbers belong to this state)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    paths = ["bot", "actions", "config.yml", "domain.yml", "data", "requirements"]
    changed = git("status", "--porcelain", "--", *paths).splitlines()
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "changed_files": len(changed),
        "diff_sha1": hashlib.sha1(git("diff", "HEAD", "--", *paths).encode()).hexdigest()[:12],
    }


def wait_for_quiet() -> list[float]:
    """Wait (at most QUIET_WAIT s) until the 1-minute load average is below MAX_LOADAVG:
    the other processes of the machine would take the cores the stack needs."""
    began = time.monotonic()
    while os.getloadavg()[0] > MAX_LOADAVG and time.monotonic() - began < QUIET_WAIT:
        print(f"Last {os.getloadavg()[0]:.2f} > {MAX_LOADAVG}: warte …", flush=True)
        time.sleep(15)
    return [round(x, 2) for x in os.getloadavg()]
