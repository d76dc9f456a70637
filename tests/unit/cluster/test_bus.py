"""The bus between instances: Redis pub/sub, with gaps noticed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import redis.asyncio as aredis

from bot.cluster import bus as bus_module
from bot.cluster.bus import LocalBus, RedisBus
from tests.unit.cluster.support import (
    MakeClient,
    StartBus,
    bus_client_name,
    kill_pubsub,
    unreachable_client,
    wait_for_subscribers,
    wait_until,
)

Received = list[tuple[str, dict[str, Any]]]


def recorder(bus: RedisBus, topic: str) -> Received:
    """What `bus` hands its handler of `topic`: (sender, event)."""
    received: Received = []

    async def handler(sender: str, event: dict[str, Any]) -> None:
        received.append((sender, event))

    bus.subscribe(topic, handler)
    return received


async def test_an_event_reaches_the_other_instances_only(start_bus: StartBus) -> None:
    first, second = await start_bus("A"), await start_bus("B")
    at_first, at_second = recorder(first, "people"), recorder(second, "people")
    await first.publish("people", {"op": "push", "n": 1})
    await wait_until(lambda: len(at_second) == 1)
    assert at_second == [(first.instance, {"op": "push", "n": 1})]
    # B's answer comes after A's own event on the channel: once A has it, A has
    # already passed over its own
    await second.publish("people", {"op": "push", "n": 2})
    await wait_until(lambda: len(at_first) == 1)
    assert at_first == [(second.instance, {"op": "push", "n": 2})]
    assert at_second == [(first.instance, {"op": "push", "n": 1})]


async def test_each_topic_reaches_its_own_handlers(start_bus: StartBus) -> None:
    first, second = await start_bus("A"), await start_bus("B")
    people, consoles = recorder(second, "people"), recorder(second, "consoles")
    also_people = recorder(second, "people")
    await first.publish("unbekannt", {"n": 0})  # nobody listens: ignored
    await first.publish("consoles", {"n": 1})
    await first.publish("people", {"n": 2})
    await wait_until(lambda: len(people) == 1 and len(also_people) == 1)
    assert consoles == [(first.instance, {"n": 1})]
    assert people == also_people == [(first.instance, {"n": 2})]


async def test_a_failing_handler_does_not_end_the_subscription(start_bus: StartBus) -> None:
    first, second = await start_bus("A"), await start_bus("B")

    async def broken(_sender: str, event: dict[str, Any]) -> None:
        raise RuntimeError(f"kaputt: {event}")

    second.subscribe("people", broken)
    later = recorder(second, "people")
    await first.publish("people", {"n": 1})
    await first.publish("people", {"n": 2})
    await wait_until(lambda: len(later) == 2)
    assert [event["n"] for _, event in later] == [1, 2]


@pytest.mark.parametrize(
    "raw",
    [
        "kaputt",
        "[1, 2]",
        "42",
        '{"topic": "people"}',
        '{"topic": "people", "from": "C"}',
        '{"topic": ["people"], "from": "C", "event": {}}',
        '{"topic": {"a": 1}, "from": "C", "event": {}}',
    ],
)
async def test_an_unreadable_message_is_dropped(
    start_bus: StartBus, make_client: MakeClient, raw: str
) -> None:
    first = await start_bus("A")
    second = RedisBus(make_client(None), "B")
    received = recorder(second, "people")
    running = asyncio.create_task(second.run())
    try:
        await asyncio.wait_for(second.subscribed.wait(), 2.0)
        await wait_for_subscribers(make_client(None), 2)
        publisher = make_client(None)
        await publisher.publish(bus_module.channel_of(publisher), raw)
        await first.publish("people", {"n": 1})
        await wait_until(lambda: len(received) == 1 or running.done())
        assert not running.done(), f"the subscription ended: {running.exception()!r}"
        assert received == [(first.instance, {"n": 1})]
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


async def test_a_lost_subscription_is_renewed_and_reported_as_a_gap(
    start_bus: StartBus, make_client: MakeClient
) -> None:
    first, second = await start_bus("A"), await start_bus("B")
    received = recorder(second, "people")
    gaps: list[str] = []

    async def on_gap() -> None:
        gaps.append("gap")

    second.on_gap.append(on_gap)
    await first.publish("people", {"n": 1})
    await wait_until(lambda: len(received) == 1)
    assert gaps == []  # the first subscription is no gap

    admin = make_client(None)
    assert await kill_pubsub(admin, bus_client_name(second.instance)) == 1
    await wait_until(lambda: gaps == ["gap"])
    assert second.subscribed.is_set()
    await first.publish("people", {"n": 2})
    await wait_until(lambda: len(received) == 2)
    assert received[1] == (first.instance, {"n": 2})
    assert gaps == ["gap"]


async def test_a_failing_gap_listener_does_not_stop_the_others(
    start_bus: StartBus, make_client: MakeClient
) -> None:
    first, second = await start_bus("A"), await start_bus("B")
    received = recorder(second, "people")
    called: list[str] = []

    async def broken() -> None:
        called.append("broken")
        raise RuntimeError("kaputt")

    async def fine() -> None:
        called.append("fine")

    second.on_gap += [broken, fine]
    await kill_pubsub(make_client(None), bus_client_name(second.instance))
    await wait_until(lambda: called == ["broken", "fine"])
    await first.publish("people", {"n": 1})
    await wait_until(lambda: len(received) == 1)


async def test_publishing_without_redis_does_not_raise() -> None:
    client = unreachable_client()
    try:
        await RedisBus(client, "A").publish("people", {"n": 1})
    finally:
        await client.aclose()


async def test_the_bus_keeps_trying_while_redis_is_away() -> None:
    client = unreachable_client()
    bus = RedisBus(client, "A")
    task = asyncio.create_task(bus.run())
    try:
        await asyncio.sleep(0.3)
        assert not task.done()
        assert not bus.subscribed.is_set()
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await client.aclose()


async def test_the_local_bus_tells_nobody() -> None:
    bus = LocalBus()
    called: list[str] = []

    async def handler(sender: str, _event: dict[str, Any]) -> None:
        called.append(sender)

    bus.subscribe("people", handler)
    await bus.publish("people", {"n": 1})
    assert called == []
    assert bus.instance != LocalBus().instance


async def test_buses_on_different_redis_databases_do_not_hear_each_other(
    start_bus: StartBus,
) -> None:
    here = await start_bus("A")
    client = aredis.Redis.from_url("redis://127.0.0.1:6379/10")
    elsewhere = RedisBus(client, "B")
    heard = recorder(elsewhere, "people")
    running = asyncio.create_task(elsewhere.run())
    try:
        await asyncio.wait_for(elsewhere.subscribed.wait(), 2.0)
        assert bus_module.channel_of(client).endswith(":10")
        await here.publish("people", {"n": 1})
        await asyncio.sleep(0.3)
        assert heard == []
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await client.aclose()
