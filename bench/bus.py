"""The bus between gateway instances: Redis pub/sub against PostgreSQL LISTEN/NOTIFY.

One publisher and one subscriber on separate connections, as two instances would
use them; a frame the size of a bot answer (about 1 KB of JSON). Measures the time
from publish to receipt (p50/p95/p99), one message at a time and in a burst, and the
throughput of the burst. Writes bench/results/bus.json and bus.md.
"""

from __future__ import annotations

import asyncio
import json
import platform
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date

import asyncpg
import redis.asyncio as redis

from bench.report import save

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/6"
SINGLE = 1000
BURST = 5000
PAYLOAD = json.dumps({"type": "message", "message": {"text": "x" * 900, "buttons": []}})

Publish = Callable[[str], Awaitable[object]]


def summary(values: list[float]) -> dict[str, float]:
    """p50, p95 and p99 of latencies in ms."""
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49], 2), "p95": round(cuts[94], 2), "p99": round(cuts[98], 2)}


async def _measure(
    publish: Publish, received: asyncio.Queue[tuple[str, float]]
) -> dict[str, object]:
    """One by one (wait for each), then a burst; latencies in ms."""
    single = []
    for _ in range(SINGLE):
        sent = time.perf_counter()
        await publish(json.dumps({"sent": sent, "body": PAYLOAD}))
        _, arrived = await received.get()
        single.append((arrived - sent) * 1000)
    started = time.perf_counter()
    for _ in range(BURST):
        await publish(json.dumps({"sent": time.perf_counter(), "body": PAYLOAD}))
    burst = []
    for _ in range(BURST):
        raw, arrived = await received.get()
        burst.append((arrived - json.loads(raw)["sent"]) * 1000)
    seconds = time.perf_counter() - started
    return {
        "single_ms": summary(single),
        "burst_ms": summary(burst),
        "burst_per_second": round(BURST / seconds),
    }


async def redis_bus() -> dict[str, object]:
    """Redis PUBLISH/SUBSCRIBE."""
    publisher = redis.Redis.from_url(REDIS_URL)
    subscriber = redis.Redis.from_url(REDIS_URL)
    pubsub = subscriber.pubsub()
    await pubsub.subscribe("bench")
    await pubsub.get_message(timeout=1)  # the subscribe confirmation
    received: asyncio.Queue[tuple[str, float]] = asyncio.Queue()

    async def listen() -> None:
        async for message in pubsub.listen():
            if message["type"] == "message":
                received.put_nowait((message["data"].decode(), time.perf_counter()))

    task = asyncio.create_task(listen())
    try:
        return await _measure(lambda body: publisher.publish("bench", body), received)
    finally:
        task.cancel()
        await pubsub.aclose()
        await publisher.aclose()
        await subscriber.aclose()


async def postgres_bus() -> dict[str, object]:
    """PostgreSQL NOTIFY/LISTEN (payloads up to 8000 bytes)."""
    name = f"werkbot_bench_bus_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(ADMIN_DSN)
    await admin.execute(f'CREATE DATABASE "{name}"')
    dsn = f"postgresql://postgres@127.0.0.1:5432/{name}"
    publisher, subscriber = await asyncpg.connect(dsn), await asyncpg.connect(dsn)
    received: asyncio.Queue[tuple[str, float]] = asyncio.Queue()

    def heard(_connection: object, _pid: int, _channel: str, payload: str) -> None:
        received.put_nowait((payload, time.perf_counter()))

    await subscriber.add_listener("bench", heard)
    try:
        return await _measure(
            lambda body: publisher.execute("SELECT pg_notify('bench', $1)", body), received
        )
    finally:
        await publisher.close()
        await subscriber.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def _row(name: str, result: dict[str, object]) -> str:
    single, burst = result["single_ms"], result["burst_ms"]
    assert isinstance(single, dict)
    assert isinstance(burst, dict)
    return (
        f"| {name} | {single['p50']} | {single['p95']} | {single['p99']} "
        f"| {burst['p50']} | {burst['p95']} | {result['burst_per_second']} |"
    )


def main() -> None:
    """Run both, Redis first, and write the results."""
    results = {"redis": asyncio.run(redis_bus()), "postgresql": asyncio.run(postgres_bus())}
    text = "\n".join(
        [
            "# Bus zwischen Gateway-Instanzen: Redis pub/sub gegen PostgreSQL NOTIFY",
            "",
            f"{date.today().isoformat()}, {platform.node()}, "
            f"{SINGLE} Nachrichten einzeln, dann {BURST} am Stück; je etwa 1 KB JSON.",
            "",
            "| Bus | einzeln p50 ms | p95 | p99 | am Stück p50 ms | p95 | Nachrichten/s |",
            "|---|---|---|---|---|---|---|",
            _row("Redis PUBLISH/SUBSCRIBE", results["redis"]),
            _row("PostgreSQL NOTIFY/LISTEN", results["postgresql"]),
            "",
        ]
    )
    save("bus", results, text)


if __name__ == "__main__":
    main()
