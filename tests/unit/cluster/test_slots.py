"""Socket slots per address, in this process and shared through Redis."""

from __future__ import annotations

import asyncio

import pytest

from bot.cluster import slots as slots_module
from bot.cluster.slots import LocalSlots, RedisSlots, Slots
from tests.unit.cluster.support import MakeClient, unreachable_client


@pytest.fixture(params=["local", "redis"])
def slots(request: pytest.FixtureRequest, make_client: MakeClient) -> Slots:
    """Slots of one process, or in Redis (database 9, emptied)."""
    if request.param == "local":
        return LocalSlots()
    return RedisSlots(make_client(None))


async def test_slots_are_taken_up_to_the_limit(slots: Slots) -> None:
    tokens = [await slots.take("sockets:203.0.113.9", 3) for _ in range(3)]
    assert None not in tokens
    assert len(set(tokens)) == 3
    assert await slots.take("sockets:203.0.113.9", 3) is None
    assert await slots.take("sockets:198.51.100.4", 3) is not None  # another address


async def test_a_slot_given_back_can_be_taken_again(slots: Slots) -> None:
    first = await slots.take("sockets:a", 2)
    second = await slots.take("sockets:a", 2)
    assert first is not None
    assert second is not None
    assert await slots.take("sockets:a", 2) is None
    await slots.give_back("sockets:a", first)
    third = await slots.take("sockets:a", 2)
    assert third is not None
    assert await slots.take("sockets:a", 2) is None
    await slots.give_back("sockets:a", first)  # twice: no second slot freed
    assert await slots.take("sockets:a", 2) is None


async def test_two_instances_share_the_limit(make_client: MakeClient) -> None:
    first, second = RedisSlots(make_client(None)), RedisSlots(make_client(None))
    token = await first.take("sockets:a", 2)
    assert token is not None
    assert await second.take("sockets:a", 2) is not None
    assert await first.take("sockets:a", 2) is None
    assert await second.take("sockets:a", 2) is None
    await first.give_back("sockets:a", token)
    assert await second.take("sockets:a", 2) is not None
    assert await first.take("sockets:a", 2) is None


async def test_a_slot_nobody_keeps_expires(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slots_module, "SLOT_SECONDS", 0.3)
    dead, alive = RedisSlots(make_client(None)), RedisSlots(make_client(None))
    assert await dead.take("sockets:a", 1) is not None
    assert await alive.take("sockets:a", 1) is None
    await asyncio.sleep(0.4)  # the first instance died: nobody keeps its slot
    assert await alive.take("sockets:a", 1) is not None


@pytest.mark.parametrize("lifetime", [0.3, 1.0])
async def test_a_kept_slot_stays_taken(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch, lifetime: float
) -> None:
    monkeypatch.setattr(slots_module, "SLOT_SECONDS", lifetime)
    holder, other = RedisSlots(make_client(None)), RedisSlots(make_client(None))
    assert await holder.take("sockets:a", 1) is not None
    for _ in range(3):  # twice the slot's lifetime in all, kept every 2/3 of it
        await asyncio.sleep(lifetime * 2 / 3)
        await holder.keep()
    assert await other.take("sockets:a", 1) is None


async def test_keep_keeps_only_slots_still_held(make_client: MakeClient) -> None:
    holder, other = RedisSlots(make_client(None)), RedisSlots(make_client(None))
    token = await holder.take("sockets:a", 1)
    assert token is not None
    await holder.give_back("sockets:a", token)
    await holder.keep()
    assert await other.take("sockets:a", 1) is not None


async def test_without_redis_the_limit_holds_in_this_process() -> None:
    client = unreachable_client()
    try:
        slots = RedisSlots(client)
        first = await slots.take("sockets:a", 2)
        assert first is not None
        assert await slots.take("sockets:a", 2) is not None
        assert await slots.take("sockets:a", 2) is None
        await slots.give_back("sockets:a", first)
        assert await slots.take("sockets:a", 2) is not None
        await slots.keep()  # does not raise
    finally:
        await client.aclose()
