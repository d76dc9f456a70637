"""Events in the database: upsert by uid (idempotent) and read back as `Event`."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import session_factory
from bot.db.migrate import upgrade_schema
from bot.db.models import EventRow
from bot.events.schema import Event


@dataclass(frozen=True)
class UpsertReport:
    """How many events were new, changed or already there unchanged."""

    added: int
    updated: int
    unchanged: int


def to_event(row: EventRow) -> Event:
    """The `Event` of a row."""
    start, end = row.start, row.end
    return Event.model_validate(
        {
            "id": row.id,
            "title": row.title,
            "format": row.format,
            "start": start,
            "end": end,
            "location": row.location,
            "region": row.region,
            "topics": row.topics,
            "trades": row.trades,
            "registration_url": row.registration_url,
            "cost": row.cost,
            "organiser": row.organiser,
            "description": row.description,
            "demo": row.demo,
        }
    )


def _values(event: Event, uid: str, origin: str) -> dict[str, object]:
    return {
        "uid": uid,
        "origin": origin,
        "title": event.title,
        "format": event.format.value,
        # in UTC: SQLite keeps no offset and would store the Berlin wall-clock time
        "start": event.start.astimezone(UTC),
        "end": event.end.astimezone(UTC),
        "location": event.location,
        "region": event.region,
        "topics": list(event.topics),
        "trades": list(event.trades),
        "registration_url": str(event.registration_url),
        "cost": event.cost,
        "organiser": event.organiser,
        "description": event.description,
        "demo": event.demo,
    }


async def upsert_events(
    engine: AsyncEngine, events: Iterable[tuple[Event, str]], origin: str
) -> UpsertReport:
    """Insert or update events keyed by their uid (the file id or the calendar UID)."""
    await upgrade_schema(engine)
    added = updated = unchanged = 0
    async with session_factory(engine).begin() as session:
        for event, uid in events:
            values = _values(event, uid, origin)
            row = await session.scalar(select(EventRow).where(EventRow.uid == uid))
            if row is None:
                session.add(EventRow(id=event.id, **values))
                added += 1
            elif to_event(row) != event or row.origin != origin:
                for name, value in values.items():
                    setattr(row, name, value)
                updated += 1
            else:
                unchanged += 1
    return UpsertReport(added, updated, unchanged)


async def upcoming_events(engine: AsyncEngine, now: datetime) -> list[Event]:
    """Every event that has not started before `now`, soonest first."""
    async with session_factory(engine)() as session:
        rows = await session.scalars(
            select(EventRow).where(EventRow.start >= now.astimezone(UTC)).order_by(EventRow.start)
        )
        return [to_event(row) for row in rows]


async def event_by_id(engine: AsyncEngine, event_id: str) -> Event | None:
    """One event, or None."""
    async with session_factory(engine)() as session:
        row = await session.get(EventRow, event_id)
        return to_event(row) if row else None


class UpcomingEventsCache:
    """Upcoming events read from the database at most once per `ttl` seconds.

    The calendar changes only by imports; reading and validating every row for each
    question would cost more than the whole recommendation.
    """

    def __init__(self, engine: AsyncEngine, ttl: float = 60.0) -> None:
        self._engine = engine
        self._ttl = ttl
        self._events: list[Event] = []
        self._loaded_at: float | None = None

    async def upcoming(self, now: datetime) -> list[Event]:
        """Events that have not started before `now` (read again after `ttl`)."""
        fresh = self._loaded_at is not None and time.monotonic() - self._loaded_at < self._ttl
        if not fresh:
            self._events = await upcoming_events(self._engine, now)
            self._loaded_at = time.monotonic()
        return [event for event in self._events if event.start >= now]
