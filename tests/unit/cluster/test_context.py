"""The cluster parts of one instance, built from REDIS_URL."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.cluster.bus import LocalBus, RedisBus
from bot.cluster.context import Cluster, running
from bot.cluster.presence import EXPIRE_SECONDS, KEY_PREFIX, OPEN_CHATS
from bot.cluster.slots import LocalSlots, RedisSlots
from bot.cluster.windows import LocalWindows, RedisWindows
from tests.unit.cluster.support import MakeClient, StartBus, wait_until


async def test_without_redis_everything_stays_in_this_process() -> None:
    async with running("") as cluster:
        assert isinstance(cluster.bus, LocalBus)
        assert cluster.presence is None
        assert isinstance(cluster.windows, LocalWindows)
        assert isinstance(cluster.slots, LocalSlots)
        called: list[str] = []

        async def listener() -> None:
            called.append("gap")

        cluster.on_gap(listener)  # no bus, no gaps: accepted and never called
        assert called == []


async def test_with_redis_the_instance_subscribes_and_reports(
    redis_url: str, start_bus: StartBus, make_client: MakeClient
) -> None:
    other = await start_bus("A")
    async with running(redis_url) as cluster:
        assert isinstance(cluster.bus, RedisBus)
        assert cluster.bus.subscribed.is_set()
        assert isinstance(cluster.windows, RedisWindows)
        assert isinstance(cluster.slots, RedisSlots)
        assert cluster.presence is not None
        # the heartbeat runs at once: the state is stored for instances starting later
        client = make_client(None)
        key = KEY_PREFIX + cluster.bus.instance
        for _ in range(200):
            if await client.exists(key):
                break
            await asyncio.sleep(0.01)
        assert 0 < await client.ttl(key) <= EXPIRE_SECONDS
        # and it hears the others
        heard: list[str] = []

        async def handler(sender: str, _event: dict[str, Any]) -> None:
            heard.append(sender)

        cluster.bus.subscribe("people", handler)
        await other.publish("people", {"op": "push"})
        await wait_until(lambda: heard == [other.instance])


async def test_a_starting_instance_loads_the_others_state(
    redis_url: str, make_client: MakeClient
) -> None:
    client = make_client(None)
    await client.set(KEY_PREFIX + "anderswo", '{"people": ["c7"], "advisors": ["3"]}', ex=15)
    async with running(redis_url) as cluster:
        assert cluster.presence is not None
        assert cluster.presence.elsewhere(OPEN_CHATS) == {"c7"}
    assert isinstance(Cluster().bus, LocalBus)
