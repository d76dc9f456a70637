"""The daily job: store the counts of finished days before the purge can take them.

Idempotent: aggregating a day again replaces its rows. The job itself only takes days
it has not stored yet, because a day whose conversations are already purged would be
replaced by smaller numbers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Date, delete, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Conversation
from bot.impact.collect import TOP_METRICS, DayCounts, collect, day_of
from bot.impact.models import ImpactDaily, ImpactDay, ImpactDuration, ImpactMonthly

# days counted in one pass (one read of their messages, one transaction)
CHUNK_DAYS = 31


async def store_days(session: AsyncSession, first: date, last: date, found: DayCounts) -> None:
    """Replace the stored counts of `first` … `last` by `found` and mark the days done."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    for table in (ImpactDaily, ImpactDuration):
        await session.execute(delete(table).where(table.day >= first, table.day <= last))
    await session.execute(delete(ImpactDay).where(ImpactDay.day >= first, ImpactDay.day <= last))
    daily = [
        {"day": day, "channel": channel, "metric": metric, "key": key, "value": value}
        for (day, channel, metric, key), value in found.counts.items()
    ]
    durations = [
        {"day": day, "channel": channel, "kind": kind, "seconds": seconds, "count": count}
        for (day, channel, kind, seconds), count in found.durations.items()
    ]
    now = datetime.now(UTC)
    if daily:
        await session.execute(insert(ImpactDaily), daily)
    if durations:
        await session.execute(insert(ImpactDuration), durations)
    await session.execute(insert(ImpactDay), [{"day": d, "aggregated_at": now} for d in days])
    await roll_up_months(session, first, last)


def month_of(day: date) -> date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def next_month(month: date) -> date:
    """The first day of the month after `month`."""
    return (month + timedelta(days=32)).replace(day=1)


async def roll_up_months(session: AsyncSession, first: date, last: date) -> None:
    """Sum the keyed daily counts of every month `first` … `last` touch (again)."""
    month = month_of(first)
    while month <= last:
        end = next_month(month)
        await session.execute(delete(ImpactMonthly).where(ImpactMonthly.month == month))
        sums = (
            select(
                literal(month, Date),
                ImpactDaily.channel,
                ImpactDaily.metric,
                ImpactDaily.key,
                func.sum(ImpactDaily.value),
            )
            .where(
                ImpactDaily.day >= month,
                ImpactDaily.day < end,
                ImpactDaily.metric.in_(TOP_METRICS),
            )
            .group_by(ImpactDaily.channel, ImpactDaily.metric, ImpactDaily.key)
        )
        columns = ["month", "channel", "metric", "key", "value"]
        await session.execute(insert(ImpactMonthly).from_select(columns, sums))
        month = end


async def aggregate_days(
    sessions: async_sessionmaker[AsyncSession], first: date, last: date
) -> None:
    """Count and store the days `first` … `last` (again), a chunk per transaction."""
    start = first
    while start <= last:
        end = min(last, start + timedelta(days=CHUNK_DAYS - 1))
        async with sessions.begin() as session:
            await store_days(session, start, end, await collect(session, start, end))
        start = end + timedelta(days=1)


async def stored_until(session: AsyncSession) -> date | None:
    """The last day whose counts are stored."""
    last: date | None = await session.scalar(select(func.max(ImpactDay.day)))
    return last


async def first_pending(session: AsyncSession) -> date | None:
    """The first day the job has not stored: the day after the last stored one, or
    the day of the oldest conversation; None if there is nothing at all."""
    last = await stored_until(session)
    if last is not None:
        return last + timedelta(days=1)
    oldest: datetime | None = await session.scalar(select(func.min(Conversation.created_at)))
    return day_of(oldest) if oldest is not None else None


async def aggregate_finished(
    sessions: async_sessionmaker[AsyncSession], now: datetime | None = None
) -> tuple[date, date] | None:
    """Store every finished day (before today in Berlin) not stored yet; the range done."""
    yesterday = day_of(now or datetime.now(UTC)) - timedelta(days=1)
    async with sessions() as session:
        first = await first_pending(session)
    if first is None or first > yesterday:
        return None
    await aggregate_days(sessions, first, yesterday)
    return first, yesterday
