"""One event as an iCalendar file for "In Kalender eintragen"."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar

from bot.events.schema import Event


def calendar_file(event: Event, now: datetime | None = None) -> bytes:
    """RFC 5545 bytes with one VEVENT."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Handwerkskammer//werkbot//DE")
    calendar.add("version", "2.0")
    entry = icalendar.Event()
    entry.add("uid", f"{event.id}@werkbot")
    entry.add("dtstamp", now or datetime.now(UTC))
    entry.add("dtstart", event.start)
    entry.add("dtend", event.end)
    entry.add("summary", event.title)
    entry.add("location", "online" if event.region == "online" else event.location)
    entry.add("description", f"{event.description}\n\nAnmeldung: {event.registration_url}")
    entry.add("url", str(event.registration_url))
    calendar.add_component(entry)
    return bytes(calendar.to_ical())
