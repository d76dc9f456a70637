"""The dashboard's figures for a range of days: stored daily counts plus, for the days
not stored yet (today), the same counts from the live tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.best_practices import shipped_cases
from bot.db.models import EventRow, KbGuide
from bot.impact.aggregate import stored_until
from bot.impact.collect import EVENT, GUIDE, collect, day_of
from bot.impact.hits import REGISTRATION
from bot.impact.periods import Builder, Figures, Query
from bot.impact.stored import fetch_rows, read_hits, read_stored


async def _titles(session: AsyncSession, figures: Figures) -> None:
    guides = list(figures.tops[GUIDE])
    events = list(figures.tops[EVENT] | figures.tops[REGISTRATION])
    found = await fetch_rows(
        session, select(KbGuide.id, KbGuide.title).where(KbGuide.id.in_(guides))
    )
    figures.titles["guide"] = {str(key): str(title) for key, title in found}
    found = await fetch_rows(
        session, select(EventRow.id, EventRow.title).where(EventRow.id.in_(events))
    )
    figures.titles["event"] = {str(key): str(title) for key, title in found}
    figures.titles["case"] = {case.id: case.title for case in shipped_cases()}


async def load_figures(session: AsyncSession, query: Query, now: datetime | None = None) -> Figures:
    """The figures of `query`: stored days from the daily table, later days (today)
    counted from the live tables."""
    builder = Builder(query)
    today = day_of(now or datetime.now(UTC))
    stored = await stored_until(session)
    live_from = query.first
    if stored is not None and stored >= query.first:
        await read_stored(session, builder, min(stored, query.last))
        live_from = stored + timedelta(days=1)
    live_to = min(query.last, today)
    if live_from <= live_to:
        builder.live(await collect(session, live_from, live_to))
    await read_hits(session, builder)
    await _titles(session, builder.figures)
    return builder.figures
