"""Per-conversation locks across instances: one turn after the other."""

from __future__ import annotations

import asyncio

import pytest

from bot.cluster import locks as locks_module
from bot.cluster.locks import ConversationLocks
from tests.unit.cluster.support import MakeClient, unreachable_client


async def hold_for(
    locks: ConversationLocks,
    conversation_id: str,
    name: str,
    order: list[str],
    seconds: float,
    entered: asyncio.Event | None = None,
) -> None:
    """Hold the conversation's lock for `seconds`, noting when it was entered and left."""
    async with locks.hold(conversation_id):
        order.append(f"{name} in")
        if entered is not None:
            entered.set()
        await asyncio.sleep(seconds)
        order.append(f"{name} out")


async def test_a_conversation_held_on_one_instance_waits_on_the_other(
    make_client: MakeClient,
) -> None:
    first, second = ConversationLocks(make_client(None)), ConversationLocks(make_client(None))
    order: list[str] = []
    entered = asyncio.Event()
    holding = asyncio.create_task(hold_for(first, "X", "A", order, 0.4, entered))
    await asyncio.wait_for(entered.wait(), 2.0)
    await asyncio.wait_for(hold_for(second, "X", "B", order, 0.0), 3.0)
    await holding
    assert order == ["A in", "A out", "B in", "B out"]


async def test_different_conversations_do_not_block_each_other(
    make_client: MakeClient,
) -> None:
    first, second = ConversationLocks(make_client(None)), ConversationLocks(make_client(None))
    order: list[str] = []
    entered, release = asyncio.Event(), asyncio.Event()

    async def hold_x() -> None:
        async with first.hold("X"):
            order.append("A in X")
            entered.set()
            await release.wait()
            order.append("A out X")

    holding = asyncio.create_task(hold_x())
    await asyncio.wait_for(entered.wait(), 2.0)
    await asyncio.wait_for(hold_for(second, "Y", "B", order, 0.0), 1.0)
    async with first.hold("Z"):  # also on the same instance
        order.append("A in Z")
    release.set()
    await holding
    assert order == ["A in X", "B in", "B out", "A in Z", "A out X"]


async def test_the_lock_is_free_again_after_the_block(make_client: MakeClient) -> None:
    client = make_client(None)
    locks = ConversationLocks(client)
    async with locks.hold("X"):
        assert await client.exists("werkbot:lock:conversation:X") == 1
    assert await client.exists("werkbot:lock:conversation:X") == 0
    order: list[str] = []
    await asyncio.wait_for(hold_for(ConversationLocks(make_client(None)), "X", "B", order, 0), 1)
    assert order == ["B in", "B out"]


async def test_the_lock_is_freed_when_the_block_fails(make_client: MakeClient) -> None:
    client = make_client(None)
    locks = ConversationLocks(client)
    try:
        async with locks.hold("X"):
            raise RuntimeError("kaputt")
    except RuntimeError:
        pass
    assert await client.exists("werkbot:lock:conversation:X") == 0


async def test_turns_on_one_instance_follow_each_other(make_client: MakeClient) -> None:
    locks = ConversationLocks(make_client(None))
    order: list[str] = []
    await asyncio.wait_for(
        asyncio.gather(
            hold_for(locks, "X", "1", order, 0.1),
            hold_for(locks, "X", "2", order, 0.1),
            hold_for(locks, "X", "3", order, 0.1),
        ),
        3.0,
    )
    assert order == ["1 in", "1 out", "2 in", "2 out", "3 in", "3 out"]


async def test_without_redis_the_block_runs_with_the_local_lock_only() -> None:
    client = unreachable_client()
    try:
        locks = ConversationLocks(client)
        order: list[str] = []
        await asyncio.wait_for(
            asyncio.gather(
                hold_for(locks, "X", "1", order, 0.1),
                hold_for(locks, "X", "2", order, 0.1),
            ),
            2.0,
        )
        assert order == ["1 in", "1 out", "2 in", "2 out"]
    finally:
        await client.aclose()


async def test_without_redis_at_all_the_lock_is_local() -> None:
    locks = ConversationLocks()
    order: list[str] = []
    await asyncio.gather(
        hold_for(locks, "X", "1", order, 0.05), hold_for(locks, "X", "2", order, 0.05)
    )
    assert order == ["1 in", "1 out", "2 in", "2 out"]


async def test_a_living_holder_keeps_its_lock_past_the_lease(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locks_module, "LEASE_SECONDS", 0.3)
    first, second = ConversationLocks(make_client(None)), ConversationLocks(make_client(None))
    order: list[str] = []
    entered = asyncio.Event()
    holding = asyncio.create_task(hold_for(first, "X", "A", order, 1.0, entered))
    await asyncio.wait_for(entered.wait(), 2.0)
    await asyncio.wait_for(hold_for(second, "X", "B", order, 0.0), 3.0)
    await holding
    assert order == ["A in", "A out", "B in", "B out"]  # renewed, not expired


async def test_a_dead_holders_lock_frees_after_the_lease(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locks_module, "LEASE_SECONDS", 0.5)
    client = make_client(None)
    dead = client.lock(locks_module.PREFIX + "X", timeout=0.5)
    assert await dead.acquire()  # taken by an instance that then died: never renewed
    order: list[str] = []
    await asyncio.wait_for(hold_for(ConversationLocks(client), "X", "B", order, 0.0), 3.0)
    assert order == ["B in", "B out"]
