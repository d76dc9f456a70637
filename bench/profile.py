"""Cost per message on one instance set (gateway, Rasa, action server; PostgreSQL
tracker store and database, as in production), before and after the speed-ups, in
the same run:

- *before*: Rasa as `rasa run` and the action server as `python -m rasa_sdk` (what
  werkbot started until 2026-12-06); *after*: `python -m bot.nlu.rasa_main run` and
  `python -m actions` (bot/services.py).
- 20 people at once for LOAD_SECONDS (default 40) asking knowledge questions without
  pause in conversations of 10 turns: answered messages/s, p50/p95 latency.
- one person alone in a 61-turn conversation: the median latency at turns 2-11,
  27-36 and 52-61 (does the cost grow with the conversation's length?).
- RSS of each service (with its child processes) after the load.
- a py-spy profile of Rasa and the action server under the load (after), summarised
  as the share of samples per function.

Writes bench/results/profile.json and profile.md.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import os
import platform
import secrets
import socket
import statistics
import subprocess
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import psutil

from bench.report import save
from bot.config import ROOT
from bot.services import (
    APP_PYTHON,
    RASA_BIN,
    Ports,
    ServiceSpec,
    Supervisor,
    clean_env,
    service_specs,
)

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
PEOPLE = 20
TURNS = 10
SECONDS = float(os.environ.get("LOAD_SECONDS", "40"))
LONG = 61
WINDOWS = {"2-11": (2, 11), "27-36": (27, 36), "52-61": (52, 61)}
QUESTIONS = [
    "Was ist eine E-Rechnung?",
    "Brauche ich eine TSE für meine Kasse?",
    "Was kostet eine eigene Website?",
    "Wie schütze ich meinen Betrieb vor Phishing-Mails?",
    "Welche Förderung gibt es für die Digitalisierung im Handwerk?",
    "Lohnt sich Instagram für einen kleinen Betrieb?",
    "Was muss ins Impressum meiner Website?",
    "Wie plane ich Termine meiner Monteure digital?",
    "Ist eine Cloud für Handwerker sicher?",
    "Wie mache ich eine Datensicherung richtig?",
]
PROFILED = ("rasa", "actions")
SPY = ROOT / ".venv" / "bin" / "py-spy"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def as_before(spec: ServiceSpec) -> ServiceSpec:
    """The service as it was started before the speed-ups."""
    if spec.name == "rasa":
        run_at = spec.argv.index("run")
        return dataclasses.replace(spec, argv=[str(RASA_BIN), *spec.argv[run_at:]])
    if spec.name == "actions":
        port = spec.argv[-1]
        argv = [str(APP_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "-p", port]
        return dataclasses.replace(spec, argv=argv)
    return spec


async def ask(ws: aiohttp.ClientWebSocketResponse, text: str) -> float:
    """Send one message; seconds until the first reply (the rest is drained)."""
    started = time.monotonic()
    await ws.send_json({"type": "message", "text": text})
    await ws.receive_json(timeout=60)
    elapsed = time.monotonic() - started
    while True:
        try:
            await ws.receive_json(timeout=0.05)
        except TimeoutError:
            return elapsed


async def person(url: str, number: int, until: float, latencies: list[float]) -> None:
    """Conversations of TURNS questions, one after the other, until `until`."""
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < until:
            async with session.ws_connect(url) as ws:
                await ws.receive_json(timeout=10)
                for turn in range(TURNS):
                    if time.monotonic() >= until:
                        break
                    question = QUESTIONS[(number + turn) % len(QUESTIONS)]
                    latencies.append(await ask(ws, question))


async def crowd(url: str) -> dict[str, Any]:
    """PEOPLE at once for SECONDS."""
    latencies: list[float] = []
    until = time.monotonic() + SECONDS
    await asyncio.gather(*(person(url, n, until, latencies) for n in range(PEOPLE)))
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "answered": len(latencies),
        "per_second": round(len(latencies) / SECONDS, 1),
        "p50_ms": round(cuts[49] * 1000),
        "p95_ms": round(cuts[94] * 1000),
    }


async def long_conversation(url: str) -> dict[str, int]:
    """One person, LONG turns in one conversation: median ms per window of turns."""
    latencies = []
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        await ws.receive_json(timeout=10)
        for turn in range(1, LONG + 1):
            latencies.append(await ask(ws, QUESTIONS[turn % len(QUESTIONS)]))
    return {
        name: round(statistics.median(latencies[first - 1 : last]) * 1000)
        for name, (first, last) in WINDOWS.items()
    }


def rss_mib(supervisor: Supervisor) -> dict[str, int]:
    """Resident memory of each service and its child processes."""
    sizes = {}
    for name, process in supervisor.processes.items():
        root = psutil.Process(process.pid)
        tree = [root, *root.children(recursive=True)]
        sizes[name] = round(sum(p.memory_info().rss for p in tree) / 2**20)
    return sizes


def top_functions(raw: Path, limit: int = 12) -> list[tuple[str, float]]:
    """From py-spy's collapsed stacks: the functions with the largest share of samples
    (inclusive), skipping the server loop frames every sample shares."""
    shares: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        seen = set()
        for frame in stack.split(";"):
            name = frame.split(" (")[0]
            where = frame.split(" (")[1].split(":")[0].rsplit("/", 1)[-1] if " (" in frame else ""
            key = f"{name} ({where})"
            if key not in seen:
                seen.add(key)
                shares[key] += int(count)
    if not total:
        return []
    common = {k for k, v in shares.items() if v >= 0.85 * total}
    ranked = [(k, v) for k, v in shares.most_common() if k not in common]
    return [(k, round(100 * v / total, 1)) for k, v in ranked[:limit]]


def spy(pid: int, out: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling `pid` and its children for the load's duration (50 Hz)."""
    options = ["-d", str(int(SECONDS)), "-r", "50", "-f", "raw", "--nonblocking"]
    return subprocess.Popen(
        [str(SPY), "record", "-p", str(pid), *options, "-o", str(out), "--subprocesses"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _database(sql: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def run_stack(variant: str, scratch: Path) -> dict[str, Any]:
    """Start one instance set in `variant` (before/after), measure, stop."""
    names = [f"werkbot_profile_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    for name in names:
        asyncio.run(_database(f'CREATE DATABASE "{name}"'))
    database, tracker = (f"postgresql://postgres@127.0.0.1:5432/{n}" for n in names)
    env = {
        **clean_env(None),
        "TRACKER_STORE_URL": tracker,
        "MAX_NEW_CONVERSATIONS_PER_MINUTE": "100000",
        "MAX_MESSAGES_PER_10_SECONDS": "100000",
    }
    for command in (["kb", "load"], ["events", "load"]):
        subprocess.run(
            [str(APP_PYTHON), "-m", "bot", *command],
            env={**env, "DATABASE_URL": database},
            check=True,
            capture_output=True,
        )
    ports = Ports(rasa=free_port(), actions=free_port(), gateway=free_port())
    specs = service_specs(ports, secrets.token_hex(16), database, env)
    if variant == "before":
        specs = [as_before(spec) for spec in specs]
    supervisor = Supervisor(specs, scratch / f"logs-{variant}")
    supervisor.start()
    url = f"ws://127.0.0.1:{ports.gateway}/ws"
    try:
        supervisor.wait_healthy(timeout=300)
        spies = []
        if variant == "after":
            for name in PROFILED:
                spies.append(spy(supervisor.processes[name].pid, scratch / f"{name}.txt"))
        load = asyncio.run(crowd(url))
        for sampler in spies:
            sampler.wait()
        memory = rss_mib(supervisor)
        lengths = asyncio.run(long_conversation(url))
    finally:
        supervisor.stop()
        for name in names:
            asyncio.run(_database(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    profile = {
        name: top_functions(scratch / f"{name}.txt")
        for name in PROFILED
        if (scratch / f"{name}.txt").exists()
    }
    return {"load": load, "turns_ms": lengths, "rss_mib": memory, "profile": profile}


def report(results: dict[str, Any]) -> str:
    """The Markdown table."""
    lines = [
        "# Kosten je Nachricht: vorher und nachher im selben Lauf",
        "",
        f"{date.today().isoformat()}, {platform.node()}, {os.cpu_count()} Kerne; eine Instanz "
        f"je Dienst, PostgreSQL (Datenbank und Tracker-Store). {PEOPLE} Personen je "
        f"{SECONDS:.0f} s ohne Pause, Gespräche zu {TURNS} Fragen; eine Person allein "
        f"{LONG} Fragen in einem Gespräch.",
        "",
        "| Variante | beantwortet/s | p50 ms | p95 ms | Züge 2-11 ms | 27-36 | 52-61 "
        "| Rasa MiB | Action-Server MiB | Gateway MiB | zusammen MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for variant in ("before", "after"):
        result = results[variant]
        load, turns, rss = result["load"], result["turns_ms"], result["rss_mib"]
        lines.append(
            f"| {variant} | {load['per_second']} | {load['p50_ms']} | {load['p95_ms']} "
            f"| {turns['2-11']} | {turns['27-36']} | {turns['52-61']} | {rss['rasa']} "
            f"| {rss['actions']} | {rss['gateway']} | {sum(rss.values())} |"
        )
    for name, top in results["after"]["profile"].items():
        lines += ["", f"Profil {name} (nachher, Anteil der Stichproben, inklusive):", ""]
        lines += [f"- {share} % {function}" for function, share in top]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Before, then after; write the results."""
    with tempfile.TemporaryDirectory() as scratch:
        results = {variant: run_stack(variant, Path(scratch)) for variant in ("before", "after")}
    save("profile", results, report(results))


if __name__ == "__main__":
    main()
