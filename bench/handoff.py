"""Handoff benchmark: 20 people escalate at once to 3 advisors on the real stack.

Measures (a) escalation: from the person's last intake message (the summary that
puts the chat into the queue) until an advisor console shows it, (b) advisor reply:
from the advisor's POST until the person's WebSocket has it, all 20 at once. As a
baseline from the same run, the plain bot round trip (the request going through
Rasa and the action server until the consent text arrives). Writes
bench/results/handoff.json and handoff.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import secrets
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.foundation import percentile
from bot.config import ROOT
from bot.services import APP_PYTHON, Ports, Supervisor, clean_env, service_specs
from tests.advisors import PASSWORD, Advisor, login
from tests.stack import free_port

RESULTS = ROOT / "bench" / "results"
PEOPLE = 20
ADVISORS = ("bench-a", "bench-b", "bench-c")


class Console:
    """One advisor's console socket, noting when each ticket first shows up."""

    def __init__(self, advisor: Advisor) -> None:
        self.advisor = advisor
        self.first_seen: dict[str, float] = {}
        self.ws: aiohttp.ClientWebSocketResponse | None = None

    async def listen(self) -> None:
        self.ws = await self.advisor.http.ws_connect(
            self.advisor.base.replace("http", "ws") + "/berater/ws"
        )
        async for frame in self.ws:
            data = json.loads(frame.data)
            if data["type"] == "queue":
                now = time.monotonic()
                for item in data["waiting"]:
                    self.first_seen.setdefault(item["ticket"], now)


async def next_message(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    return dict((await ws.receive_json(timeout=30))["message"])


async def person(base: str, start: asyncio.Event, number: int) -> dict[str, Any]:
    """One person: ask for an advisor, consent, describe the concern, wait."""
    session = aiohttp.ClientSession()
    ws = await session.ws_connect(base.replace("http", "ws") + "/ws")
    await ws.receive_json()
    await start.wait()

    async def say(text: str, payload: str | None = None) -> dict[str, Any]:
        await ws.send_json({"type": "message", "text": text, "payload": payload})
        return await next_message(ws)

    began = time.monotonic()
    consent = await say("Ich möchte mit einem Berater sprechen")
    bot_round_trip = time.monotonic() - began
    assert "Datenschutz" in consent["text"], consent
    await say("Einverstanden", "#handoff:consent")
    queued_at = time.monotonic()
    queued = await say(f"Frage {number}: Welche TSE passt zu meiner Kasse?")
    ticket = queued["custom"]["ticket"]
    return {
        "ticket": ticket,
        "queued_at": queued_at,
        "bot_round_trip": bot_round_trip,
        "ws": ws,
        "session": session,
    }


async def measure(base: str) -> dict[str, list[float]]:
    advisors = [await login(base, name) for name in ADVISORS]
    consoles = [Console(advisor) for advisor in advisors]
    listeners = [asyncio.create_task(console.listen()) for console in consoles]
    await asyncio.sleep(1)
    start = asyncio.Event()
    tasks = [asyncio.create_task(person(base, start, n)) for n in range(PEOPLE)]
    await asyncio.sleep(1)
    start.set()
    people = await asyncio.gather(*tasks)
    await asyncio.sleep(1)
    escalation = [
        min(c.first_seen.get(p["ticket"], float("inf")) for c in consoles) - p["queued_at"]
        for p in people
    ]
    queue = await advisors[0].get("/berater/api/queue")
    ids = {item["ticket"]: item["id"] for item in queue["waiting"]}
    for number, someone in enumerate(people):
        advisor = advisors[number % len(advisors)]
        response = await advisor.post(f"/berater/api/handoffs/{ids[someone['ticket']]}/claim")
        assert response.status == 200
        await next_message(someone["ws"])  # "… ist jetzt für Sie da"

    async def reply(number: int, someone: dict[str, Any]) -> float:
        advisor = advisors[number % len(advisors)]
        began = time.monotonic()
        path = f"/berater/api/handoffs/{ids[someone['ticket']]}/reply"
        await advisor.post(path, {"text": f"Antwort {number}"})
        message = await next_message(someone["ws"])
        assert message["text"] == f"Antwort {number}"
        return time.monotonic() - began

    replies = await asyncio.gather(*(reply(n, p) for n, p in enumerate(people)))
    for someone in people:
        await someone["ws"].close()
        await someone["session"].close()
    for listener in listeners:
        listener.cancel()
    for advisor in advisors:
        await advisor.http.close()
    return {
        "escalation_s": escalation,
        "advisor_reply_s": list(replies),
        "bot_round_trip_s": [p["bot_round_trip"] for p in people],
    }


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values, 0.5) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        database = f"sqlite:///{scratch}/bench.db"
        ports = Ports(rasa=free_port(), actions=free_port(), gateway=free_port())
        env = {
            **clean_env(None),
            "OFFICE_HOURS": "Mo-So 00:00-24:00",
            "TRACKER_STORE_URL": f"sqlite:///{scratch}/tracker.db",
            # many conversations and messages from 127.0.0.1 in a short time
            "MAX_NEW_CONVERSATIONS_PER_MINUTE": "100000",
            "MAX_MESSAGES_PER_10_SECONDS": "100000",
        }
        for name in ADVISORS:
            subprocess.run(
                [
                    str(APP_PYTHON),
                    "-m",
                    "bot",
                    "advisors",
                    "add",
                    name,
                    "--name",
                    f"Bench {name}",
                    "--password-stdin",
                ],
                input=PASSWORD + "\n",
                text=True,
                check=True,
                capture_output=True,
                env={**env, "DATABASE_URL": database},
            )
        supervisor = Supervisor(
            service_specs(ports, secrets.token_urlsafe(16), database, env), Path(scratch) / "logs"
        )
        supervisor.start()
        try:
            supervisor.wait_healthy(timeout=300)
            raw = asyncio.run(measure(f"http://127.0.0.1:{ports.gateway}"))
        finally:
            supervisor.stop()
    result: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "people": PEOPLE,
        "advisors": len(ADVISORS),
        **{name: summary(values) for name, values in raw.items()},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "handoff.json").write_text(json.dumps(result, indent=2) + "\n")
    rows = "\n".join(
        f"| {label} | {result[key]['p50_ms']} | {result[key]['p95_ms']} | {result[key]['max_ms']} |"
        for key, label in (
            ("escalation_s", "Eskalation sichtbar in der Konsole"),
            ("advisor_reply_s", "Antwort der Beratung bei der Person"),
            ("bot_round_trip_s", "Baseline: Bot-Antwort über Rasa (gleicher Lauf)"),
        )
    )
    (RESULTS / "handoff.md").write_text(
        f"# Handoff-Benchmark\n\n{PEOPLE} Personen eskalieren gleichzeitig, "
        f"{len(ADVISORS)} Beraterinnen und Berater haben die Konsole offen; echter Gateway, "
        f"Rasa und Action-Server, SQLite, {os.cpu_count()} Kerne. Ziel: p95 ≤ 1000 ms.\n\n"
        "| Messung | p50 ms | p95 ms | max ms |\n| --- | --- | --- | --- |\n"
        f"{rows}\n"
    )
    print((RESULTS / "handoff.md").read_text())


if __name__ == "__main__":
    main()
