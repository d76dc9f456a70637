"""Login-flood benchmark: do 20 failed console logins per second slow the chat down?

On the real stack (gateway, Rasa, action server; SQLite), a person asks questions one
after another over the widget's WebSocket; the round trip is the time from sending a
question until the first reply arrives. Three phases in the same run:
- baseline: no logins;
- flood from one address: 20 logins per second with random names and passwords
  from 127.0.0.1 (the per-address throttle soon answers 429 without hashing);
- distributed flood: the same rate, each login from another loopback address
  (127.0.0.2 …), so that no address reaches its limit and every login is hashed.
Target: the median round trip under each flood within 1.5x of the baseline median.
Writes bench/results/login-flood.json and login-flood.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import secrets
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

from bench.foundation import percentile
from bot.config import ROOT
from bot.services import Ports, Supervisor, clean_env, service_specs
from tests.stack import free_port

RESULTS = ROOT / "bench" / "results"
LOGINS_PER_SECOND = 20
ROUND_TRIPS = 60  # per phase
TARGET = 1.5
QUESTIONS = (
    "Brauche ich eine TSE für meine Kasse?",
    "Ab wann muss ich E-Rechnungen empfangen können?",
    "Wie sichere ich meine Daten richtig?",
    "Welche Veranstaltungen gibt es in Halle?",
    "Lohnt sich eine Drohne für das Aufmaß?",
    "Wie bekomme ich ein Google-Unternehmensprofil?",
)


async def round_trips(base: str, count: int) -> list[float]:
    """`count` questions in one conversation; seconds until each first reply."""
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(base.replace("http", "ws") + "/ws")
        await ws.receive_json()
        times = []
        for number in range(count):
            began = time.monotonic()
            await ws.send_json({"type": "message", "text": QUESTIONS[number % len(QUESTIONS)]})
            await ws.receive_json(timeout=30)
            times.append(time.monotonic() - began)
            while True:  # the rest of the answer, not timed
                try:
                    await ws.receive_json(timeout=0.3)
                except TimeoutError:
                    break
        await ws.close()
        return times


async def one_login(base: str, address: str, statuses: Counter[int], took: list[float]) -> None:
    """Fetch the form (CSRF cookie), post a random name and password from `address`."""
    connector = aiohttp.TCPConnector(local_addr=(address, 0), force_close=True)
    began = time.monotonic()
    try:
        jar = aiohttp.CookieJar(unsafe=True)  # cookies of an IP-address host
        async with aiohttp.ClientSession(connector=connector, cookie_jar=jar) as session:
            async with session.get(base + "/berater/login") as form:
                await form.read()
            csrf = next((c.value for c in session.cookie_jar if c.key == "werkbot_login_csrf"), "")
            data = {
                "username": f"x{secrets.token_hex(4)}",
                "password": secrets.token_urlsafe(12),
                "csrf": csrf,
            }
            headers = {"Origin": base}
            async with session.post(
                base + "/berater/login", data=data, headers=headers, allow_redirects=False
            ) as response:
                await response.read()
                statuses[response.status] += 1
    except aiohttp.ClientError:
        statuses[0] += 1
    took.append(time.monotonic() - began)


async def flood(base: str, spread: bool, stop: asyncio.Event) -> dict[str, Any]:
    """LOGINS_PER_SECOND logins until `stop`, open loop (one starts every 50 ms)."""
    statuses: Counter[int] = Counter()
    took: list[float] = []
    tasks: set[asyncio.Task[None]] = set()
    number = 0
    began = time.monotonic()
    while not stop.is_set():
        address = f"127.0.{2 + number // 250}.{2 + number % 250}" if spread else "127.0.0.1"
        task = asyncio.create_task(one_login(base, address, statuses, took))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        number += 1
        next_at = began + number / LOGINS_PER_SECOND
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
    await asyncio.gather(*tasks)
    return {
        "logins": number,
        "per_second": round(number / (time.monotonic() - began), 1),
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
        "login_p50_ms": round(percentile(took, 0.5) * 1000, 1),
        "login_p95_ms": round(percentile(took, 0.95) * 1000, 1),
    }


async def under_flood(base: str, spread: bool) -> tuple[list[float], dict[str, Any]]:
    stop = asyncio.Event()
    flooding = asyncio.create_task(flood(base, spread, stop))
    await asyncio.sleep(2)  # the flood is running before the first question
    times = await round_trips(base, ROUND_TRIPS)
    stop.set()
    return times, await flooding


def stats(times: list[float], baseline: float) -> dict[str, float]:
    median = percentile(times, 0.5)
    return {
        "p50_ms": round(median * 1000, 1),
        "p95_ms": round(percentile(times, 0.95) * 1000, 1),
        "ratio_to_baseline": round(median / baseline, 2),
    }


async def measure(base: str) -> dict[str, Any]:
    await round_trips(base, 10)  # warm-up
    baseline_times = await round_trips(base, ROUND_TRIPS)
    baseline = percentile(baseline_times, 0.5)
    one_times, one_flood = await under_flood(base, spread=False)
    await asyncio.sleep(2)
    spread_times, spread_flood = await under_flood(base, spread=True)
    return {
        "baseline": stats(baseline_times, baseline),
        "one_address": {**stats(one_times, baseline), "flood": one_flood},
        "distributed": {**stats(spread_times, baseline), "flood": spread_flood},
    }


def write(result: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "login-flood.json").write_text(json.dumps(result, indent=2) + "\n")
    rows = []
    for key, label in (
        ("baseline", "ohne Anmeldeversuche (Baseline)"),
        ("one_address", "20 Fehlanmeldungen/s von einer Adresse"),
        ("distributed", "20 Fehlanmeldungen/s von wechselnden Adressen"),
    ):
        phase = result[key]
        flood_info = phase.get("flood")
        logins = (
            f"{flood_info['per_second']}/s, Antworten {flood_info['statuses']}, "
            f"Anmeldung p50 {flood_info['login_p50_ms']} ms"
            if flood_info
            else "–"
        )
        verdict = "ok" if phase["ratio_to_baseline"] <= TARGET else "ZU LANGSAM"
        rows.append(
            f"| {label} | {phase['p50_ms']} | {phase['p95_ms']} | "
            f"{phase['ratio_to_baseline']} ({verdict}) | {logins} |"
        )
    (RESULTS / "login-flood.md").write_text(
        "# Login-Flut-Benchmark\n\n"
        f"Chat-Rundlauf (Frage bis erste Antwort, {ROUND_TRIPS} Fragen je Phase) über den "
        "echten Gateway, Rasa und Action-Server, SQLite, "
        f"{result['machine']['cpus']} Kerne, während {LOGINS_PER_SECOND} Anmeldungen pro "
        "Sekunde mit zufälligen Namen und Passwörtern eingehen. "
        f"Ziel: Median ≤ {TARGET}× Baseline-Median aus demselben Lauf.\n\n"
        "| Phase | p50 ms | p95 ms | Median / Baseline | Anmeldungen |\n"
        "| --- | --- | --- | --- | --- |\n" + "\n".join(rows) + "\n"
    )
    print((RESULTS / "login-flood.md").read_text())


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        database = f"sqlite:///{scratch}/bench.db"
        ports = Ports(rasa=free_port(), actions=free_port(), gateway=free_port())
        env = {
            **clean_env(None),
            "TRACKER_STORE_URL": f"sqlite:///{scratch}/tracker.db",
            "MAX_MESSAGES_PER_10_SECONDS": "100000",
        }
        supervisor = Supervisor(service_specs(ports, None, database, env), Path(scratch) / "logs")
        supervisor.start()
        try:
            supervisor.wait_healthy(timeout=300)
            raw = asyncio.run(measure(f"http://127.0.0.1:{ports.gateway}"))
        finally:
            supervisor.stop()
    write({"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}, **raw})


if __name__ == "__main__":
    main()
