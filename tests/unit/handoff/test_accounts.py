"""Password checks: one at a time off the event loop, a bounded queue, and hashes
of older settings replaced at the next login."""

from __future__ import annotations

import asyncio

import pytest
from argon2 import PasswordHasher
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Advisor
from bot.handoff.accounts import (
    HASHER,
    MAX_WAITING_VERIFICATIONS,
    PARALLEL_VERIFICATIONS,
    AdvisorStore,
    LoginBusyError,
)
from tests.advisors import PASSWORD


async def test_a_flood_of_logins_is_refused_beyond_the_queue_not_hashed(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    store = AdvisorStore(sessions)
    await store.add("schulz", PASSWORD, "Anna Schulz")
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    beating = asyncio.create_task(heartbeat())
    # a slow check holds the worker while 40 logins arrive
    await store._verifying.acquire()
    flood = asyncio.gather(
        *(store.authenticate(f"x{n}", "falsch-falsch") for n in range(40)),
        return_exceptions=True,
    )
    await asyncio.sleep(0.5)
    store._verifying.release()
    results = await flood
    beating.cancel()
    refused = [r for r in results if isinstance(r, LoginBusyError)]
    assert len(refused) == 40 - PARALLEL_VERIFICATIONS - MAX_WAITING_VERIFICATIONS
    assert all(r is None for r in results if not isinstance(r, LoginBusyError))
    assert ticks > 5  # the event loop kept running while the hashes were checked
    # once the queue has drained, the real advisor gets in
    assert await store.authenticate("schulz", PASSWORD) is not None


async def test_a_hash_of_older_settings_is_replaced_at_the_next_login(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    store = AdvisorStore(sessions)
    advisor = await store.add("brandt", PASSWORD, "Jens Brandt")
    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSWORD)
    async with sessions.begin() as session:
        await session.execute(
            update(Advisor).where(Advisor.id == advisor.id).values(password_hash=old)
        )
    assert await store.authenticate("brandt", "falsches-passwort") is None
    assert await store.authenticate("brandt", PASSWORD) is not None
    renewed = await store.get(advisor.id)
    assert renewed is not None
    assert renewed.password_hash != old
    assert not HASHER.check_needs_rehash(renewed.password_hash)
    assert await store.authenticate("brandt", PASSWORD) is not None


@pytest.mark.parametrize("password", ["", "x" * 200])
async def test_odd_passwords_are_simply_wrong(
    sessions: async_sessionmaker[AsyncSession], password: str
) -> None:
    store = AdvisorStore(sessions)
    await store.add("vogt", PASSWORD, "Petra Vogt")
    assert await store.authenticate("vogt", password) is None
