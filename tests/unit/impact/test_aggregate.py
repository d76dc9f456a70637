"""The daily counts: exact on a small seed, idempotent, stored before the purge erases
conversations, and free of anything personal (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Conversation, Message
from bot.impact.aggregate import aggregate_days, aggregate_finished
from bot.impact.collect import day_of
from bot.impact.models import ImpactDaily, ImpactDay, ImpactDuration, ImpactHit, ImpactMonthly
from bot.privacy.retention import purge_expired
from bot.privacy.tracker import EVENTS, TrackerEvents
from tests.unit.impact.seed import (
    DAY_A,
    DAY_B,
    EXPECTED,
    EXPECTED_DURATIONS,
    QUESTION,
    at,
    message,
    seed,
)

Sessions = async_sessionmaker[AsyncSession]


async def stored(sessions: Sessions) -> tuple[dict[Any, int], dict[Any, int]]:
    """Everything in impact_daily and impact_durations."""
    async with sessions() as session:
        daily = {
            (r.day, r.channel, r.metric, r.key): r.value
            for r in await session.scalars(select(ImpactDaily))
        }
        durations = {
            (r.day, r.channel, r.kind, r.seconds): r.count
            for r in await session.scalars(select(ImpactDuration))
        }
    return daily, durations


async def test_a_day_counts_exactly_what_happened_in_berlin(database: Sessions) -> None:
    await seed(database)
    await aggregate_days(database, DAY_A, DAY_B)
    assert await stored(database) == (EXPECTED, EXPECTED_DURATIONS)
    async with database() as session:
        days = set(await session.scalars(select(ImpactDay.day)))
    assert days == {DAY_A, DAY_B}


async def test_aggregating_again_replaces_a_days_rows(database: Sessions) -> None:
    ids = await seed(database)
    await aggregate_days(database, DAY_A, DAY_B)
    await aggregate_days(database, DAY_A, DAY_B)
    assert await stored(database) == (EXPECTED, EXPECTED_DURATIONS)
    async with database.begin() as session:
        session.add(message(ids["web"], at(DAY_A, 18), "user", "Noch eine Frage"))
    await aggregate_days(database, DAY_A, DAY_A)
    daily, durations = await stored(database)
    assert daily == {**EXPECTED, (DAY_A, "web", "messages", "user"): 3}
    assert durations == EXPECTED_DURATIONS


async def test_the_purge_stores_the_counts_before_it_erases(
    database: Sessions, tmp_path: Path
) -> None:
    await seed(database)
    now = datetime.now(UTC)
    async with database.begin() as session:  # both conversations are long over
        await session.execute(update(Conversation).values(updated_at=at(DAY_B, 9)))
    tracker = TrackerEvents.from_url(f"sqlite:///{tmp_path}/tracker.db")
    async with tracker._engine.begin() as connection:
        await connection.run_sync(EVENTS.metadata.create_all)
    try:
        erased = await purge_expired(database, tracker, now - timedelta(days=1))
    finally:
        await tracker.close()
    assert len(erased) == 2
    async with database() as session:
        assert list(await session.scalars(select(Message.id))) == []
        days = sorted(await session.scalars(select(ImpactDay.day)))
    # every day from the first conversation to yesterday is stored, the seed's exactly
    assert days[0] == DAY_A
    assert days[-1] == day_of(now) - timedelta(days=1)
    assert await stored(database) == (EXPECTED, EXPECTED_DURATIONS)
    # the job never stores a day twice: the purged days keep their counts
    assert await aggregate_finished(database, now) is None
    assert await stored(database) == (EXPECTED, EXPECTED_DURATIONS)


async def test_aggregate_rows_hold_no_personal_data(database: Sessions) -> None:
    ids = await seed(database)
    await aggregate_days(database, DAY_A, DAY_B)
    values: list[str] = []
    async with database() as session:
        for table in (ImpactDaily, ImpactMonthly, ImpactDuration, ImpactHit, ImpactDay):
            for row in await session.scalars(select(table)):
                values += [str(getattr(row, c.key)) for c in table.__table__.columns]
    text = " ".join(values)
    for secret in (*ids.values(), "HK-LIVE-1", "Jana", "0345", "Bäcker", "Drohnen", "E-Rechnung?"):
        assert secret not in text
    assert QUESTION not in text
    columns = {c.name for t in (ImpactDaily, ImpactDuration) for c in t.__table__.columns}
    assert columns == {"day", "channel", "metric", "key", "value", "kind", "seconds", "count"}


async def test_nothing_to_do_on_an_empty_database(database: Sessions) -> None:
    assert await aggregate_finished(database) is None
    async with database() as session:
        assert list(await session.scalars(select(ImpactDay))) == []


async def test_month_sums_follow_the_days(database: Sessions) -> None:
    ids = await seed(database)
    await aggregate_days(database, DAY_A, DAY_B)
    async with database.begin() as session:
        session.add(
            message(ids["web"], at(DAY_B, 8), "bot", "Ja.", answer={"guide_id": "kasse-tse"})
        )
    await aggregate_days(database, DAY_B, DAY_B)  # one day again: its month is summed again
    async with database() as session:
        monthly = {
            (r.month, r.channel, r.metric, r.key): r.value
            for r in await session.scalars(select(ImpactMonthly))
        }
    november = DAY_A.replace(day=1)
    assert monthly[november, "web", "guide", "kasse-tse"] == 2
    assert monthly[november, "telegram", "topic", "foerderung"] == 1
    assert {key[2] for key in monthly} == {"guide", "topic", "trade_group", "event"}
