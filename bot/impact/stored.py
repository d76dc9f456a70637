"""Reading the stored counts of a query: summed per period in SQL (a year is a dozen
rows per series, not hundreds of days), top lists from the monthly sums."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, and_, bindparam, case, cast, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import BindParameter, ColumnElement, Executable

from bot.impact.aggregate import month_of, next_month
from bot.impact.collect import SERIES_METRICS, TOP_METRICS
from bot.impact.models import ImpactDaily, ImpactDuration, ImpactHit, ImpactMonthly
from bot.impact.periods import Builder, Query

FIRST: ColumnElement[int] = literal_column("1")  # GROUP BY the period (first column)


async def fetch_rows(session: AsyncSession, statement: Executable) -> Sequence[Any]:
    """All rows of a Core statement (without the ORM's work per row)."""
    connection = await session.connection()
    return (await connection.execute(statement)).all()


def inline(value: Any) -> BindParameter[Any]:
    """A value written into the SQL text: PostgreSQL plans each range for its own
    dates, where a cached generic plan for "any range" tripled the time of a query."""
    return bindparam(None, value, literal_execute=True)


def _channel(column: Any, channel: str | None) -> list[Any]:
    return [] if channel is None else [column == inline(channel)]


def _between(column: Any, first: date, last: date) -> Any:
    return and_(column >= inline(first), column <= inline(last))


def _one_of(column: Any, values: Sequence[str]) -> Any:
    return column.in_([inline(value) for value in values])


def period_number(day: Any, periods: list[date]) -> ColumnElement[int]:
    """The number of the period a day column falls in, as SQL (CASE over the starts)."""
    if len(periods) == 1:
        return cast(inline(0), Integer)
    whens = [
        (day < inline(periods[n + 1]), cast(inline(n), Integer)) for n in range(len(periods) - 1)
    ]
    return case(*whens, else_=cast(inline(len(periods) - 1), Integer))


async def read_stored(session: AsyncSession, builder: Builder, last: date) -> None:
    """Add the stored counts of `query.first` … `last`: series and durations per
    period, top lists over the range."""
    query, figures = builder.query, builder.figures
    series = (
        select(
            period_number(ImpactDaily.day, figures.periods),
            ImpactDaily.metric,
            ImpactDaily.key,
            func.sum(ImpactDaily.value),
        )
        .where(
            _one_of(ImpactDaily.metric, SERIES_METRICS),
            _between(ImpactDaily.day, query.first, last),
            *_channel(ImpactDaily.channel, query.channel),
        )
        .group_by(FIRST, ImpactDaily.metric, ImpactDaily.key)
    )
    for slot, metric, key, value in await fetch_rows(session, series):
        figures.series[metric, key][slot] += int(value)
    waits = (
        select(
            period_number(ImpactDuration.day, figures.periods),
            ImpactDuration.kind,
            ImpactDuration.seconds,
            func.sum(ImpactDuration.count),
        )
        .where(
            _between(ImpactDuration.day, query.first, last),
            *_channel(ImpactDuration.channel, query.channel),
        )
        .group_by(FIRST, ImpactDuration.kind, ImpactDuration.seconds)
    )
    for slot, kind, seconds, count in await fetch_rows(session, waits):
        figures.durations[kind][slot][seconds] += int(count)
    await _tops(session, builder, last)


def whole_months(query: Query, last: date) -> list[date]:
    """The months that lie wholly inside the query and start by `last`."""
    found, month = [], month_of(query.first)
    while month <= last:
        if month >= query.first and next_month(month) - timedelta(days=1) <= query.last:
            found.append(month)
        month = next_month(month)
    return found


async def _tops(session: AsyncSession, builder: Builder, last: date) -> None:
    """Top lists: whole months from `impact_monthly`, the days around them daily."""
    query, tops = builder.query, builder.figures.tops
    months = whole_months(query, last)
    edges = [(query.first, last)]
    if months:
        edges = [(query.first, months[0] - timedelta(days=1)), (next_month(months[-1]), last)]
        monthly = (
            select(ImpactMonthly.metric, ImpactMonthly.key, func.sum(ImpactMonthly.value))
            .where(
                _between(ImpactMonthly.month, months[0], months[-1]),
                *_channel(ImpactMonthly.channel, query.channel),
            )
            .group_by(ImpactMonthly.metric, ImpactMonthly.key)
        )
        for metric, key, value in await fetch_rows(session, monthly):
            tops[metric][key] += int(value)
    ranges = [_between(ImpactDaily.day, a, b) for a, b in edges if a <= b]
    if not ranges:
        return
    daily = (
        select(ImpactDaily.metric, ImpactDaily.key, func.sum(ImpactDaily.value))
        .where(
            _one_of(ImpactDaily.metric, TOP_METRICS),
            or_(*ranges),
            *_channel(ImpactDaily.channel, query.channel),
        )
        .group_by(ImpactDaily.metric, ImpactDaily.key)
    )
    for metric, key, value in await fetch_rows(session, daily):
        tops[metric][key] += int(value)


async def read_hits(session: AsyncSession, builder: Builder) -> None:
    """Clicks and page views: per period and kind, and per key over the range."""
    query, figures = builder.query, builder.figures
    within = [
        _between(ImpactHit.day, query.first, query.last),
        *_channel(ImpactHit.channel, query.channel),
    ]
    per_period = (
        select(period_number(ImpactHit.day, figures.periods), ImpactHit.kind)
        .add_columns(func.sum(ImpactHit.count))
        .where(*within)
        .group_by(FIRST, ImpactHit.kind)
    )
    for slot, kind, count in await fetch_rows(session, per_period):
        figures.hits[kind][slot] += int(count)
    per_key = (
        select(ImpactHit.kind, ImpactHit.key, func.sum(ImpactHit.count))
        .where(*within)
        .group_by(ImpactHit.kind, ImpactHit.key)
    )
    for kind, key, count in await fetch_rows(session, per_key):
        figures.tops[kind][key] += int(count)
