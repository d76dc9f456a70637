"""Foundation benchmark: install, train and start times, memory, message latency.

Writes bench/results/foundation.json and foundation.md. The gateway's latency is
measured interleaved with the same messages sent to Rasa's REST channel directly, so
both see the same machine noise; the difference is the gateway's overhead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import psutil

from bench.report import RESULTS, save
from bot.config import ROOT
from bot.services import RASA_BIN, Ports, Supervisor, service_specs
from tests.stack import free_port

MESSAGES = [
    "Hallo",
    "Was kannst du?",
    "Bist du ein Bot?",
    "Wie wird das Wetter morgen?",
    "tschüss",
]


def timed(argv: list[str], env: dict[str, str] | None = None) -> float:
    """Run a command to completion and return its wall time in seconds."""
    started = time.monotonic()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.monotonic() - started


def install_times(workdir: Path) -> dict[str, float]:
    """Create both environments afresh in `workdir` (pip's download cache stays warm)."""
    return {
        name: timed(["env", f"VENV={workdir / name}", str(ROOT / "scripts" / script)])
        for name, script in ((".venv", "setup-app-venv.sh"), (".venv-rasa", "setup-rasa-venv.sh"))
    }


def train_time(workdir: Path) -> float:
    """A full `rasa train --force` into a scratch folder."""
    return timed([str(RASA_BIN), "train", "--force", "--out", str(workdir), "--quiet"])


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, in MiB."""
    process = psutil.Process(pid)
    total = process.memory_info().rss + sum(
        child.memory_info().rss for child in process.children(recursive=True)
    )
    return total / 2**20


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def latencies(gateway_port: int, rasa_port: int, count: int) -> dict[str, list[float]]:
    """`count` sequential messages each way, interleaved; milliseconds per message."""
    results: dict[str, list[float]] = {"gateway": [], "rasa_rest": []}
    rest_url = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
    sender = uuid.uuid4().hex
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(f"ws://127.0.0.1:{gateway_port}/ws") as ws,
    ):
        await ws.receive_json()
        for number in range(count + 5):  # the first five warm both paths up
            text = MESSAGES[number % len(MESSAGES)]
            started = time.perf_counter()
            await ws.send_json({"type": "message", "text": text})
            await ws.receive_json(timeout=10)
            gateway_ms = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            async with http.post(rest_url, json={"sender": sender, "message": text}) as response:
                await response.json()
            rest_ms = (time.perf_counter() - started) * 1000
            if number >= 5:
                results["gateway"].append(gateway_ms)
                results["rasa_rest"].append(rest_ms)
    return results


def summarize(values: list[float]) -> dict[str, float]:
    """Median and p95, rounded."""
    return {
        "median_ms": round(statistics.median(values), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
    }


def run(skip_install: bool, count: int) -> dict[str, Any]:
    """Measure everything and return the results."""
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB",
    }
    with tempfile.TemporaryDirectory() as scratch:
        if not skip_install:
            results["install_seconds"] = {
                k: round(v, 1) for k, v in install_times(Path(scratch)).items()
            }
        results["train_seconds"] = round(train_time(Path(scratch)), 1)
        ports = Ports(free_port(), free_port(), free_port())
        # latency is measured with messages back to back: no per-connection limit
        env = {**os.environ, "MAX_MESSAGES_PER_10_SECONDS": "100000"}
        specs = service_specs(
            ports, secrets.token_urlsafe(16), f"sqlite:///{scratch}/bench.db", env
        )
        supervisor = Supervisor(specs, Path(scratch) / "logs")
        supervisor.start()
        try:
            ready = supervisor.wait_healthy(timeout=300)
            results["seconds_until_healthy"] = {k: round(v, 1) for k, v in ready.items()}
            measured = asyncio.run(latencies(ports.gateway, ports.rasa, count))
            results["rss_mib"] = {
                name: round(rss_mib(process.pid), 0)
                for name, process in supervisor.processes.items()
            }
        finally:
            supervisor.stop()
    results["latency"] = {name: summarize(values) for name, values in measured.items()}
    results["latency"]["messages"] = count
    results["gateway_overhead_median_ms"] = round(
        results["latency"]["gateway"]["median_ms"] - results["latency"]["rasa_rest"]["median_ms"],
        1,
    )
    return results


def previous_install(path: Path) -> dict[str, Any]:
    """The install times of an earlier run, with the date they were measured ({} if none)."""
    if not path.exists():
        return {}
    earlier = json.loads(path.read_text())
    if "install_seconds" not in earlier:
        return {}
    return {
        "install_seconds": earlier["install_seconds"],
        "install_date": earlier.get("install_date", earlier["date"]),
    }


def markdown(results: dict[str, Any]) -> str:
    """A short human-readable table of the results."""
    latency = results["latency"]
    lines = [
        "# Foundation benchmark",
        "",
        f"Measured {results['date']} on {results['machine']} (`make bench`).",
        "",
        "| what | value |",
        "| --- | --- |",
    ]
    measured = results.get("install_date", results["date"])
    for name, seconds in results.get("install_seconds", {}).items():
        lines.append(f"| install `{name}` (pip cache warm, {measured}) | {seconds} s |")
    lines.append(f"| `rasa train --force` | {results['train_seconds']} s |")
    for name, seconds in results["seconds_until_healthy"].items():
        lines.append(f"| {name} healthy after start | {seconds} s |")
    for name, mib in results["rss_mib"].items():
        lines.append(f"| RSS {name} | {mib:.0f} MiB |")
    for name in ("gateway", "rasa_rest"):
        lines.append(
            f"| {latency['messages']} sequential messages via {name}: median / p95 | "
            f"{latency[name]['median_ms']} / {latency[name]['p95_ms']} ms |"
        )
    lines.append(f"| gateway overhead (median) | {results['gateway_overhead_median_ms']} ms |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the benchmark and write the results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-install", action="store_true", help="no fresh venv installs")
    parser.add_argument("--messages", type=int, default=50)
    args = parser.parse_args()
    results = run(args.skip_install, args.messages)
    if args.skip_install:
        results.update(previous_install(RESULTS / "foundation.json"))
    save("foundation", results, markdown(results))


if __name__ == "__main__":
    main()
