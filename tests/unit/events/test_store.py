from datetime import UTC, datetime, timedelta

from bot.db.engine import create_engine
from bot.events.calendar import calendar_file
from bot.events.schema import Event
from bot.events.store import (
    UpcomingEventsCache,
    event_by_id,
    upcoming_events,
    upsert_events,
)
from tests.unit.conftest import NOW


async def test_upsert_is_idempotent_by_uid(sqlite_url: str, events: list[Event]) -> None:
    engine = create_engine(sqlite_url)
    pairs = [(event, event.id) for event in events]
    first = await upsert_events(engine, pairs, "datei")
    again = await upsert_events(engine, pairs, "datei")
    moved = events[1].model_copy(update={"title": "Verschoben: neuer Titel"})
    changed = await upsert_events(engine, [(moved, moved.id)], "datei")
    assert (first.added, again.unchanged, changed.updated) == (7, 7, 1)
    upcoming = await upcoming_events(engine, NOW)
    assert "vorbei" not in [event.id for event in upcoming]
    # an event 30 minutes ahead is upcoming in Berlin time, whatever SQLite stores
    soon = events[0].model_copy(
        update={
            "id": "gleich",
            "start": NOW + timedelta(minutes=30),
            "end": NOW + timedelta(hours=1),
        }
    )
    await upsert_events(engine, [(soon, soon.id)], "datei")
    assert "gleich" in [event.id for event in await upcoming_events(engine, NOW)]
    stored = await event_by_id(engine, moved.id)
    assert stored is not None
    assert stored.title == "Verschoben: neuer Titel"
    assert stored.start == moved.start
    assert await event_by_id(engine, "gibt-es-nicht") is None
    await engine.dispose()


def test_calendar_file_has_one_event(events: list[Event]) -> None:
    text = calendar_file(events[3], now=datetime(2026, 11, 24, tzinfo=UTC)).decode()
    assert "BEGIN:VEVENT" in text
    assert "UID:kasse-baecker@werkbot" in text
    assert "SUMMARY:Termin kasse-baecker" in text
    assert "DTSTART;TZID=Europe/Berlin:20261206T100000" in text


async def test_cache_reads_once_per_ttl(sqlite_url: str, events: list[Event]) -> None:
    engine = create_engine(sqlite_url)
    await upsert_events(engine, [(events[1], events[1].id)], "datei")
    cache = UpcomingEventsCache(engine, ttl=60)
    assert [e.id for e in await cache.upcoming(NOW)] == [events[1].id]
    await upsert_events(engine, [(events[2], events[2].id)], "datei")
    assert len(await cache.upcoming(NOW)) == 1
    assert await cache.upcoming(events[1].start + timedelta(minutes=1)) == []
    expired = UpcomingEventsCache(engine, ttl=0)
    assert len(await expired.upcoming(NOW)) == 2
    await engine.dispose()


def test_shipped_demo_calendar_is_marked_and_ahead() -> None:
    from bot.events.schema import load_event_files

    shipped = load_event_files()
    assert len(shipped) >= 30
    assert all(event.demo and "example.org" in str(event.registration_url) for event in shipped)
    assert all(event.start > NOW for event in shipped)
