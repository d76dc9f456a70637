"""Helpers for the tests of several gateway instances sharing Redis (database 9)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, cast

import redis
import redis.asyncio as aredis
from aiohttp import web

from bot.cluster import bus as bus_module
from bot.cluster.bus import Handler, RedisBus
from tests.stack import ensure_redis_running

# a client of database 9 with this client name (None: no name), closed after the test
MakeClient = Callable[[str | None], aredis.Redis]
# a started, subscribed bus of an instance named after the argument
StartBus = Callable[[str], Awaitable[RedisBus]]

REDIS_URL = "redis://127.0.0.1:6379/9"
# nothing listens on port 1: connections are refused at once
UNREACHABLE_URL = "redis://127.0.0.1:1/0"


def fresh_redis() -> str:
    """Start Redis if needed, empty database 9 and return its URL."""
    ensure_redis_running()
    admin = redis.Redis.from_url(REDIS_URL)
    try:
        admin.flushdb()
    finally:
        admin.close()
    return REDIS_URL


def unreachable_client() -> aredis.Redis:
    """A client of a Redis that is not there."""
    return aredis.Redis.from_url(UNREACHABLE_URL, socket_connect_timeout=0.2)


async def wait_until(condition: Callable[[], bool], within: float = 2.0) -> None:
    """Poll until `condition` holds (events travel asynchronously); fail after
    `within` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {within} s")
        await asyncio.sleep(0.01)


async def wait_for_subscribers(admin: aredis.Redis, count: int) -> None:
    """Wait until `count` connections subscribe to the bus's channel (the server has
    taken the subscriptions: what is published from now on reaches them)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 2.0
    while True:
        [(_, subscribers)] = await admin.pubsub_numsub(bus_module.channel_of(admin))
        if subscribers >= count:
            return
        if loop.time() > deadline:
            raise AssertionError(f"{subscribers} of {count} buses subscribed")
        await asyncio.sleep(0.01)


def bus_client_name(instance: str) -> str:
    """The client name of the bus of `instance` in these tests."""
    return f"werkbot-test-{instance}"


async def kill_pubsub(admin: aredis.Redis, client_name: str) -> int:
    """Close the subscribed connections of the client named `client_name` (only
    those: other gateways may be subscribed to the same server)."""
    killed = 0
    for entry in await admin.client_list():
        if entry.get("name") == client_name and "P" in str(entry.get("flags", "")):
            killed += int(await admin.client_kill_filter(_id=entry["id"]))
    return killed


class FakeSocket:
    """A chat or console socket that records what it was sent and how it was closed."""

    def __init__(self) -> None:
        self.closed = False
        self.sent: list[dict[str, Any]] = []
        self.close_code: int | None = None
        self.close_message: bytes | None = None

    async def send_json(self, data: dict[str, Any]) -> None:
        if self.closed:
            raise ConnectionResetError("closed")
        self.sent.append(data)

    async def close(self, *, code: int = 1000, message: bytes = b"") -> bool:
        if self.closed:
            return False
        self.closed = True
        self.close_code = code
        self.close_message = message
        return True

    @property
    def ws(self) -> web.WebSocketResponse:
        """This fake, typed as the socket the hubs take."""
        return cast(web.WebSocketResponse, self)


class FakeBus:
    """An in-memory bus: what one instance publishes reaches the others at once."""

    def __init__(self, network: list[FakeBus], instance: str) -> None:
        self.instance = instance
        self._network = network
        self._handlers: dict[str, list[Handler]] = {}
        network.append(self)

    def subscribe(self, topic: str, handler: Handler) -> None:
        self._handlers.setdefault(topic, []).append(handler)

    async def publish(self, topic: str, event: dict[str, Any]) -> None:
        body = json.dumps(event)  # as over Redis: only what survives JSON
        for other in self._network:
            if other is not self:
                for handler in other._handlers.get(topic, ()):
                    await handler(self.instance, json.loads(body))
