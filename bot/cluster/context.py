"""The cluster parts of one gateway instance, built from REDIS_URL at start."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import redis.asyncio as redis

from bot.cluster.bus import Bus, LocalBus, RedisBus
from bot.cluster.locks import ConversationLocks
from bot.cluster.presence import HEARTBEAT_SECONDS, ClusterPresence
from bot.cluster.slots import LocalSlots, RedisSlots, Slots
from bot.cluster.windows import LocalWindows, RedisWindows, Windows

log = logging.getLogger(__name__)

# how long a starting instance waits for its subscription before it serves anyway
SUBSCRIBE_WAIT_SECONDS = 5.0


@dataclass
class Cluster:
    """What this instance shares with the others (all local without Redis)."""

    bus: Bus = field(default_factory=LocalBus)
    presence: ClusterPresence | None = None
    windows: Windows = field(default_factory=LocalWindows)
    slots: Slots = field(default_factory=LocalSlots)
    locks: ConversationLocks = field(default_factory=ConversationLocks)

    def on_gap(self, listener: Callable[[], Awaitable[None]]) -> None:
        """Call `listener` when the bus may have lost events (subscription renewed)."""
        if isinstance(self.bus, RedisBus):
            self.bus.on_gap.append(listener)


def shared_cluster(client: redis.Redis) -> Cluster:
    """The parts of an instance among others, all through `client`."""
    bus = RedisBus(client)
    return Cluster(
        bus=bus,
        presence=ClusterPresence(bus, client),
        windows=RedisWindows(client),
        slots=RedisSlots(client),
        locks=ConversationLocks(client),
    )


async def _keep_alive(cluster: Cluster) -> None:
    """Tell the others who is connected here; keep this instance's socket slots."""
    while True:
        try:
            if cluster.presence is not None:
                await cluster.presence.heartbeat()
            await cluster.slots.keep()
        except Exception:  # a failing round must not end the loop
            log.exception("cluster heartbeat failed")
        await asyncio.sleep(HEARTBEAT_SECONDS)


@contextlib.asynccontextmanager
async def running(redis_url: str) -> AsyncIterator[Cluster]:
    """The cluster parts for `redis_url` (empty: this process alone), with the bus's
    subscription and the heartbeat running while the block runs."""
    if not redis_url:
        yield Cluster()
        return
    client = redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=2)
    cluster = shared_cluster(client)
    assert isinstance(cluster.bus, RedisBus)
    tasks = [asyncio.create_task(cluster.bus.run())]
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(cluster.bus.subscribed.wait(), SUBSCRIBE_WAIT_SECONDS)
        if cluster.presence is not None:
            await cluster.presence.load()
        tasks.append(asyncio.create_task(_keep_alive(cluster)))
        yield cluster
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await client.aclose()
