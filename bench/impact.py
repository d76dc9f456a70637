"""Impact benchmark: the dashboard's API over 1 million messages in PostgreSQL.

Seeds a fresh database (bench/seed_impact.py, COPY), measures as a same-run baseline
the dashboard computed from the raw tables (before any day is aggregated), runs the
daily aggregation, then times GET /berater/api/impact on a real gateway process
(50 requests per view). Target: p95 ≤ 200 ms. Writes bench/results/impact.json and
impact.md and drops the database.
"""

from __future__ import annotations

import asyncio
import os
import platform
import socket
import subprocess
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from bench.foundation import percentile
from bench.report import save
from bench.seed_impact import seed
from bot.db.engine import create_engine, session_factory
from bot.db.migrate import upgrade_schema
from bot.handoff.accounts import AdvisorStore
from bot.impact.aggregate import aggregate_finished
from bot.impact.charts import number
from bot.impact.collect import day_of
from bot.impact.figures import load_figures
from bot.impact.params import parse_query
from bot.impact.periods import Query
from bot.impact.tables import figure_tables
from bot.services import HOST, Supervisor, clean_env, gateway_spec

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
MESSAGES = int(os.environ.get("BENCH_IMPACT_MESSAGES", "1000000"))
REQUESTS = 50
BASELINE_RUNS = 3
TARGET_MS = 200.0
PASSWORD = "bench-impact-passwort"
VIEWS = {
    "12 Monate, alle Kanäle": "",
    "12 Wochen, WhatsApp": "granularity=week&channel=whatsapp",
    "13 Monate bis heute, Web": "from={first}&granularity=month&channel=web",
}


def ensure_postgres() -> None:
    """Start the local PostgreSQL cluster if it does not answer."""
    if subprocess.run(["pg_isready", "-h", HOST, "-q"], check=False).returncode == 0:
        return
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True
    )
    subprocess.run(["pg_isready", "-h", HOST, "-t", "30", "-q"], check=True)


async def admin(sql: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


async def baseline(database_url: str, query: Query) -> list[float]:
    """The default view computed from the raw tables (nothing aggregated yet), ms."""
    engine = create_engine(database_url)
    times = []
    for _ in range(BASELINE_RUNS):
        started = time.perf_counter()
        async with session_factory(engine)() as session:
            figure_tables(await load_figures(session, query))
        times.append((time.perf_counter() - started) * 1000)
    await engine.dispose()
    return times


async def prepare(database_url: str) -> tuple[dict[str, int], float]:
    """Migrate and seed; the rows written and the seconds it took."""
    engine = create_engine(database_url)
    await upgrade_schema(engine)
    await AdvisorStore(session_factory(engine)).add(
        "bench-red", PASSWORD, "Bench", roles=["redaktion"]
    )
    await engine.dispose()
    started = time.perf_counter()
    written = await seed(database_url, MESSAGES)
    return written, time.perf_counter() - started


async def aggregate(database_url: str) -> float:
    """Aggregate every finished day; the seconds it took. Then ANALYZE, as autovacuum
    would after that much writing (no VACUUM: the newest rows stay unvacuumed)."""
    engine = create_engine(database_url)
    started = time.perf_counter()
    await aggregate_finished(session_factory(engine))
    elapsed = time.perf_counter() - started
    await engine.dispose()
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return elapsed


async def measure(base: str, first: str) -> dict[str, dict[str, float]]:
    """p50/p95/max of REQUESTS GETs of each view, interleaved (the machine's other load
    hits every view alike), after one warm-up round."""
    urls = {name: f"{base}/berater/api/impact?{p.format(first=first)}" for name, p in VIEWS.items()}
    times: dict[str, list[float]] = {name: [] for name in VIEWS}
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        async with http.get(base + "/berater/login") as response:
            page = await response.text()
        csrf = page.split('name="csrf" value="')[1].split('"')[0]
        form = {"username": "bench-red", "password": PASSWORD, "csrf": csrf}
        async with http.post(base + "/berater/login", data=form) as response:
            await response.read()
        for number in range(REQUESTS + 1):
            for name, url in urls.items():
                started = time.perf_counter()
                async with http.get(url) as response:
                    assert response.status == 200, await response.text()
                    await response.read()
                if number:  # the first round warms caches
                    times[name].append((time.perf_counter() - started) * 1000)
    return {
        name: {
            "p50": round(percentile(found, 0.5), 1),
            "p95": round(percentile(found, 0.95), 1),
            "max": round(max(found), 1),
        }
        for name, found in times.items()
    }


def run() -> dict[str, Any]:
    ensure_postgres()
    name = f"werkbot_bench_impact_{uuid.uuid4().hex[:8]}"
    database_url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        written, seeding = asyncio.run(prepare(database_url))
        today = day_of(datetime.now(UTC))
        query = parse_query({}, today)
        raw = asyncio.run(baseline(database_url, query))
        aggregation = asyncio.run(aggregate(database_url))
        port = free_port()
        with tempfile.TemporaryDirectory() as folder:
            env = {
                **clean_env(None),
                "RETENTION_DAYS": "3650",  # the purge at start must keep the seed
                "TRACKER_STORE_URL": f"sqlite:///{folder}/tracker.db",
            }
            spec = gateway_spec(port, f"http://{HOST}:{free_port()}", database_url, env)
            supervisor = Supervisor([spec], Path(folder))
            supervisor.start()
            try:
                supervisor.wait_healthy(timeout=120)
                first = (today.replace(day=1).replace(year=today.year - 1)).isoformat()
                load_before = os.getloadavg()[0]
                views = asyncio.run(measure(f"http://{HOST}:{port}", first))
                load_after = os.getloadavg()[0]
            finally:
                supervisor.stop()
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} Kerne, PostgreSQL",
        "rows": written,
        "seeding_s": round(seeding, 1),
        "aggregation_s": round(aggregation, 1),
        "baseline_ms": [round(t, 1) for t in raw],
        "views": views,
        "load_average": [round(load_before, 2), round(load_after, 2)],
        "target_p95_ms": TARGET_MS,
    }


def markdown(results: dict[str, Any]) -> str:
    """The results as the Markdown table committed under bench/results/."""
    rows = results["rows"]
    raw = results["baseline_ms"]
    lines = [
        "# Wirkung-Benchmark",
        "",
        f"{number(rows['messages'])} Nachrichten in {number(rows['conversations'])} Gesprächen "
        f"(~13 Monate bis heute, Web/WhatsApp/Telegram), {number(rows['feedback'])} "
        f"Rückmeldungen, {number(rows['handoffs'])} Übergaben; {results['machine']}. "
        f"Ziel: p95 ≤ {results['target_p95_ms']:.0f} ms für `GET /berater/api/impact` "
        f"({REQUESTS} Anfragen je Ansicht über einen echten Gateway-Prozess, angemeldet "
        "als Redaktion).",
        "",
        f"- Befüllen (COPY, `bench/seed_impact.py`): {number(results['seeding_s'], 1)} s",
        "- Tagesaggregation aller abgeschlossenen Tage (`aggregate_finished`): "
        f"{number(results['aggregation_s'], 1)} s",
        "- Baseline aus demselben Lauf – die Standardansicht (12 Monate, alle Kanäle) "
        f"direkt aus den Rohtabellen, ohne Aggregate: Median {number(percentile(raw, 0.5))} ms "
        f"({BASELINE_RUNS} Läufe: {' / '.join(number(t) for t in raw)} ms)",
        "- Last der Maschine (1 min) vor / nach der Messung: "
        f"{' / '.join(number(v, 2) for v in results['load_average'])} (andere Prozesse "
        "liefen mit)",
        "",
        "| Ansicht | p50 ms | p95 ms | max ms | Ziel |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, found in results["views"].items():
        verdict = "ok" if found["p95"] <= results["target_p95_ms"] else "verfehlt"
        lines.append(
            f"| {name} | {number(found['p50'], 1)} | {number(found['p95'], 1)} | "
            f"{number(found['max'], 1)} | {verdict} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    results = run()
    save("impact", results, markdown(results))


if __name__ == "__main__":
    main()
