"""The bus between gateway instances: Redis pub/sub, or nothing for one instance.

Every instance delivers to its own sockets at once and publishes the same event; the
others deliver it to theirs. Pub/sub keeps nothing: an instance that lost its
subscription (Redis restarted) cannot know what it missed, so it tells `on_gap`,
which closes its sockets; browsers reconnect and load what they missed from the
database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol

import redis.asyncio as redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

CHANNEL = "werkbot:bus"


def channel_of(client: redis.Redis) -> str:
    """The bus's channel for the client's database: pub/sub ignores database numbers,
    so two deployments (or test runs) on one Redis with different databases would
    otherwise hear each other."""
    return f"{CHANNEL}:{client.connection_pool.connection_kwargs.get('db', 0)}"


RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0)

# (sending instance, event)
Handler = Callable[[str, dict[str, Any]], Awaitable[None]]


def instance_name() -> str:
    """A name for this process, unique in the cluster (host and a random part)."""
    return f"{socket.gethostname()}-{secrets.token_hex(4)}"


class Bus(Protocol):
    """Publishes events to the other instances and hands theirs to the handlers."""

    instance: str

    def subscribe(self, topic: str, handler: Handler) -> None:
        """Call `handler` with each event of `topic` from another instance."""

    async def publish(self, topic: str, event: dict[str, Any]) -> None:
        """Send an event to every other instance (never raises)."""


class LocalBus:
    """One instance: there is nobody to tell."""

    def __init__(self) -> None:
        self.instance = instance_name()

    def subscribe(self, topic: str, handler: Handler) -> None:
        """Nothing arrives from elsewhere."""

    async def publish(self, topic: str, event: dict[str, Any]) -> None:
        """Nothing to send."""


class RedisBus:
    """Redis pub/sub on one channel; events carry their topic and sender."""

    def __init__(self, client: redis.Redis, instance: str | None = None) -> None:
        self.instance = instance or instance_name()
        self._client = client
        self._handlers: dict[str, list[Handler]] = {}
        # called after the subscription was lost and is back (events may be missed)
        self.on_gap: list[Callable[[], Awaitable[None]]] = []
        self.subscribed = asyncio.Event()

    def subscribe(self, topic: str, handler: Handler) -> None:
        """Call `handler` with each event of `topic` from another instance."""
        self._handlers.setdefault(topic, []).append(handler)

    async def publish(self, topic: str, event: dict[str, Any]) -> None:
        """Send an event; a failure is logged (the sender already delivered locally,
        the others close their sockets when their subscription breaks)."""
        body = json.dumps({"topic": topic, "from": self.instance, "event": event})
        try:
            await self._client.publish(channel_of(self._client), body)
        except (RedisError, OSError) as error:
            log.warning("bus: publish failed: %s", error)

    async def run(self) -> None:
        """Receive until cancelled, resubscribing after a lost connection."""
        attempt = 0
        lost = False
        while True:
            try:
                async with self._subscription() as pubsub:
                    attempt = 0
                    if lost:
                        await self._gap()
                    lost = True
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            await self._dispatch(message["data"])
            except (RedisError, OSError) as error:
                self.subscribed.clear()
                delay = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                attempt += 1
                log.warning("bus: subscription lost (%s), retry in %.1f s", error, delay)
                await asyncio.sleep(delay)

    @contextlib.asynccontextmanager
    async def _subscription(self) -> AsyncIterator[Any]:
        pubsub = self._client.pubsub()
        try:
            await pubsub.subscribe(channel_of(self._client))
            self.subscribed.set()
            yield pubsub
        finally:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()

    async def _gap(self) -> None:
        for listener in self.on_gap:
            try:
                await listener()
            except Exception:
                log.exception("bus: gap listener failed")

    async def _dispatch(self, data: bytes | str) -> None:
        try:
            body = json.loads(data)
            topic, sender, event = body["topic"], body["from"], body["event"]
        except (ValueError, KeyError, TypeError):
            log.warning("bus: unreadable event dropped")
            return
        if not isinstance(topic, str) or not isinstance(event, dict):
            log.warning("bus: unreadable event dropped")
            return
        if sender == self.instance:
            return
        for handler in self._handlers.get(topic, ()):
            try:
                await handler(sender, event)
            except Exception:  # one bad event must not end the subscription
                log.exception("bus: handler of %s failed", topic)
