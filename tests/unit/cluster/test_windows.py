"""Sliding-window counters, in this process and shared through Redis."""

from __future__ import annotations

import asyncio

import pytest

from bot.cluster.windows import LocalWindows, RedisWindows, Windows
from tests.unit.cluster.support import MakeClient, unreachable_client


@pytest.fixture(params=["local", "redis"])
def windows(request: pytest.FixtureRequest, make_client: MakeClient) -> Windows:
    """Counters of one process, or in Redis (database 9, emptied)."""
    if request.param == "local":
        return LocalWindows()
    return RedisWindows(make_client(None))


async def test_hits_are_counted_up_to_the_limit(windows: Windows) -> None:
    assert [await windows.hit("a", 3, 60) for _ in range(4)] == [True, True, True, False]
    assert await windows.count("a", 60) == 3  # the refused hit is not counted
    assert await windows.hit("b", 3, 60)  # keys are separate
    assert await windows.count("b", 60) == 1
    assert await windows.count("nie", 60) == 0


async def test_the_window_slides(windows: Windows) -> None:
    assert await windows.hit("a", 2, 0.3)
    assert await windows.hit("a", 2, 0.3)
    assert not await windows.hit("a", 2, 0.3)
    await asyncio.sleep(0.35)
    assert await windows.count("a", 0.3) == 0
    assert await windows.hit("a", 2, 0.3)
    assert await windows.count("a", 0.3) == 1


async def test_count_looks_back_only_as_far_as_asked(windows: Windows) -> None:
    await windows.add("a", 60)
    await asyncio.sleep(0.2)
    await windows.add("a", 60)
    assert await windows.count("a", 60) == 2
    assert await windows.count("a", 0.1) == 1


async def test_add_counts_whatever_the_limit(windows: Windows) -> None:
    for _ in range(3):
        await windows.add("a", 60)
    assert await windows.count("a", 60) == 3
    assert not await windows.hit("a", 3, 60)
    assert await windows.hit("a", 4, 60)
    assert await windows.count("a", 60) == 4


async def test_forget_drops_the_events_of_one_key(windows: Windows) -> None:
    await windows.add("a", 60)
    assert await windows.hit("a", 1, 60) is False
    await windows.add("b", 60)
    await windows.forget("a")
    assert await windows.count("a", 60) == 0
    assert await windows.hit("a", 1, 60)
    assert await windows.count("b", 60) == 1


async def test_forgetting_an_unknown_key_is_harmless(windows: Windows) -> None:
    await windows.forget("nie-gesehen")
    assert await windows.count("nie-gesehen", 60) == 0


async def test_two_instances_count_the_same_events(make_client: MakeClient) -> None:
    first, second = RedisWindows(make_client(None)), RedisWindows(make_client(None))
    assert await first.hit("conversations:203.0.113.9", 3, 60)
    await first.add("conversations:203.0.113.9", 60)
    assert await second.hit("conversations:203.0.113.9", 3, 60)
    assert not await second.hit("conversations:203.0.113.9", 3, 60)
    assert not await first.hit("conversations:203.0.113.9", 3, 60)
    assert await second.count("conversations:203.0.113.9", 60) == 3
    await first.forget("conversations:203.0.113.9")
    assert await second.count("conversations:203.0.113.9", 60) == 0


async def test_redis_keys_expire_with_their_window(make_client: MakeClient) -> None:
    client = make_client(None)
    windows = RedisWindows(client)
    await windows.hit("a", 5, 0.5)
    await windows.add("b", 0.5)
    assert await client.exists("werkbot:limit:a", "werkbot:limit:b") == 2
    assert 0 < await client.pttl("werkbot:limit:a") <= 500
    assert 0 < await client.pttl("werkbot:limit:b") <= 500
    await asyncio.sleep(0.6)
    assert await client.exists("werkbot:limit:a", "werkbot:limit:b") == 0


async def test_without_redis_the_limits_still_hold_in_this_process() -> None:
    client = unreachable_client()
    try:
        windows = RedisWindows(client)
        assert [await windows.hit("a", 2, 60) for _ in range(3)] == [True, True, False]
        assert await windows.count("a", 60) == 2
        await windows.add("b", 60)
        await windows.add("b", 60)
        assert await windows.count("b", 60) == 2
        await windows.forget("b")
        assert await windows.count("b", 60) == 0
    finally:
        await client.aclose()


async def test_local_memory_stays_bounded() -> None:
    windows = LocalWindows(max_keys=100)
    await windows.add("zuerst", 60)
    for number in range(1_000):
        await windows.add(f"zufall{number}", 60)
    assert len(windows._events) <= 100
    assert await windows.count("zuerst", 60) == 0  # the oldest key was forgotten
    assert await windows.count("zufall999", 60) == 1  # the newest are kept
