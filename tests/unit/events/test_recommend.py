from dataclasses import replace

from bot.events.recommend import (
    EventQuery,
    alternatives,
    describe,
    formats_in,
    regions_in,
    select,
)
from bot.events.schema import Event, EventFormat
from bot.events.timeexpr import time_window
from tests.unit.conftest import NOW

BASE = EventQuery(now=NOW)


def ids(events: list[Event]) -> list[str]:
    return [event.id for event in events]


def test_only_future_events_soonest_first(events: list[Event]) -> None:
    assert ids(select(events, BASE)) == [
        "ki-alle",
        "sprechtag-halle",
        "e-rechnung-dez",
        "kasse-baecker",
        "kasse-friseur",
        "e-rechnung-jan",
    ]


def test_trade_keeps_events_for_all_trades_and_for_that_trade(events: list[Event]) -> None:
    query = replace(BASE, trades=frozenset({"friseur"}), topic="kasse_tse")
    assert ids(select(events, query)) == ["kasse-friseur"]
    group = replace(BASE, trades=frozenset({"baecker", "konditor", "fleischer"}))
    assert "kasse-baecker" in ids(select(events, group))
    assert "kasse-friseur" not in ids(select(events, group))


def test_region_includes_online_events(events: list[Event]) -> None:
    chosen = ids(select(events, replace(BASE, region="halle")))
    assert "sprechtag-halle" in chosen
    assert "ki-alle" in chosen
    assert "kasse-friseur" not in chosen


def test_time_window_and_format(events: list[Event]) -> None:
    window = time_window("im Januar", NOW)
    january = replace(BASE, topic="e_rechnung", window=window)
    assert ids(select(events, january)) == ["e-rechnung-jan"]
    workshops = replace(BASE, formats=frozenset({EventFormat.WORKSHOP}))
    assert ids(select(events, workshops)) == ["kasse-baecker", "kasse-friseur"]


def test_alternatives_when_nothing_fits(events: list[Event]) -> None:
    window = time_window("morgen", NOW)
    query = replace(BASE, topic="e_rechnung", trades=frozenset({"friseur"}), window=window)
    assert select(events, query) == []
    others = alternatives(events, query)
    assert ids(others.same_topic) == ["e-rechnung-dez", "e-rechnung-jan"]
    assert ids(others.for_trade) == ["ki-alle", "sprechtag-halle"]


def test_words_of_the_message() -> None:
    assert regions_in("Gibt es was in Magdeburg?") == "magdeburg"
    assert regions_in("Halle (Saale)") == "halle"
    assert regions_in("Hallenbad") is None
    assert formats_in("Gibt es Webinare oder Sprechtage?") == {
        EventFormat.WEBINAR,
        EventFormat.SPRECHTAG,
    }


def test_entry_shows_date_time_format_place_and_registration(events: list[Event]) -> None:
    text = describe(events[3])
    assert text.splitlines()[0] == (
        "So. 06.12.2026, 10:00–12:00 Uhr · Workshop · Halle (Saale), Gräfestraße 24"
    )
    assert "(Beispieltermin)" in text
    assert "Anmeldung: https://example.org/anmeldung/kasse-baecker" in text
