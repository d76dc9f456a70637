"""Choosing events for a person: future only, by trade, topic, region, format and time."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from bot.events.schema import FORMAT_LABELS, Event, EventFormat
from bot.events.timeexpr import BERLIN, Window
from bot.folding import fold

WEEKDAYS = ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."]
REGION_WORDS = {"halle": "halle", "magdeburg": "magdeburg", "online": "online"}
FORMAT_WORDS = {
    "webinar": EventFormat.WEBINAR,
    "online-seminar": EventFormat.WEBINAR,
    "workshop": EventFormat.WORKSHOP,
    "werkstattgespraech": EventFormat.WERKSTATTGESPRAECH,
    "infoveranstaltung": EventFormat.INFOVERANSTALTUNG,
    "informationsveranstaltung": EventFormat.INFOVERANSTALTUNG,
    "sprechtag": EventFormat.SPRECHTAG,
    "messe": EventFormat.MESSE,
}


@dataclass(frozen=True)
class EventQuery:
    """What the person is looking for; empty fields do not filter."""

    now: datetime
    trades: frozenset[str] = frozenset()
    topic: str | None = None
    region: str | None = None
    formats: frozenset[EventFormat] = frozenset()
    window: Window | None = None


def regions_in(text: str) -> str | None:
    """ "halle", "magdeburg" or "online" if the message names it."""
    words = set(re.findall(r"\w+", fold(text)))
    return next((region for word, region in REGION_WORDS.items() if word in words), None)


def formats_in(text: str) -> frozenset[EventFormat]:
    """Event formats the message names ("Webinare", "Sprechtage", …)."""
    folded = fold(text)
    return frozenset(fmt for word, fmt in FORMAT_WORDS.items() if word in folded)


def matches(event: Event, query: EventQuery) -> bool:
    """True if `event` lies ahead and fits every filter of `query`."""
    if event.start < query.now:
        return False
    if query.window and not query.window[0] <= event.start < query.window[1]:
        return False
    if query.topic and query.topic not in event.topics:
        return False
    if query.trades and event.trades and not query.trades & set(event.trades):
        return False
    if query.region and event.region not in {query.region, "online"}:
        return False
    return not query.formats or event.format in query.formats


def select(events: Iterable[Event], query: EventQuery) -> list[Event]:
    """The fitting events, soonest first."""
    return sorted((e for e in events if matches(e, query)), key=lambda e: (e.start, e.id))


@dataclass(frozen=True)
class Alternatives:
    """What to offer when nothing fits: same topic at another time, other topics."""

    same_topic: list[Event]
    for_trade: list[Event]


def alternatives(events: list[Event], query: EventQuery, limit: int = 2) -> Alternatives:
    """Nearest events after relaxing the time and format, then also the topic."""
    relaxed = replace(query, window=None, formats=frozenset())
    same_topic = select(events, relaxed)[:limit] if query.topic else []
    shown = {event.id for event in same_topic}
    other = [e for e in select(events, replace(relaxed, topic=None)) if e.id not in shown]
    return Alternatives(same_topic, other[:limit])


def registration_link(event: Event, public_url: str | None) -> str:
    """The counting redirect to the event's registration (/r/<id>, bot/impact/), or
    the registration page itself without the gateway's address."""
    return f"{public_url}/r/{event.id}" if public_url else str(event.registration_url)


def describe(event: Event, public_url: str | None = None) -> str:
    """Date, time, format, place and registration link, short enough for a phone; with
    `public_url` the link goes through the gateway, which counts the click."""
    start, end = event.start.astimezone(BERLIN), event.end.astimezone(BERLIN)
    day = f"{WEEKDAYS[start.weekday()]} {start:%d.%m.%Y}"
    if end.date() == start.date():
        when = f"{day}, {start:%H:%M}–{end:%H:%M} Uhr"
    else:
        when = f"{day} bis {WEEKDAYS[end.weekday()]} {end:%d.%m.%Y}"
    place = "online" if event.region == "online" else event.location
    demo = " (Beispieltermin)" if event.demo else ""
    return (
        f"{when} · {FORMAT_LABELS[event.format]} · {place}\n"
        f"{event.title}{demo}\n"
        f"Anmeldung: {registration_link(event, public_url)} · {event.cost}"
    )
