"""Real Redis (database 9) for the cluster tests; each test gets its own bus channel,
so gateways that other tests run against the same server never hear these events."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis

from bot.cluster import bus as bus_module
from bot.cluster.bus import RedisBus
from tests.unit.cluster.support import (
    MakeClient,
    StartBus,
    bus_client_name,
    fresh_redis,
    wait_for_subscribers,
)


@pytest.fixture
def redis_url() -> str:
    """Redis database 9, emptied."""
    return fresh_redis()


@pytest.fixture(autouse=True)
def bus_channel(monkeypatch: pytest.MonkeyPatch) -> str:
    """A pub/sub channel of this test only (channels are shared by all databases)."""
    channel = f"werkbot:bus:test-{secrets.token_hex(6)}"
    monkeypatch.setattr(bus_module, "CHANNEL", channel)
    return channel


@pytest.fixture
async def make_client(redis_url: str) -> AsyncIterator[MakeClient]:
    """Clients of database 9 (each with its own connections), closed after the test."""
    made: list[redis.Redis] = []

    def make(name: str | None = None) -> redis.Redis:
        client = redis.Redis.from_url(redis_url, client_name=name)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


@pytest.fixture
async def start_bus(make_client: MakeClient) -> AsyncIterator[StartBus]:
    """Start a RedisBus for an instance (named `instance` and a random part) on a
    client of its own, subscribed; stopped after the test."""
    tasks: list[asyncio.Task[None]] = []
    admin = make_client(None)

    async def start(instance: str) -> RedisBus:
        name = f"{instance}-{secrets.token_hex(4)}"
        bus = RedisBus(make_client(bus_client_name(name)), name)
        tasks.append(asyncio.create_task(bus.run()))
        await asyncio.wait_for(bus.subscribed.wait(), 2.0)
        await wait_for_subscribers(admin, len(tasks))
        return bus

    yield start
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
