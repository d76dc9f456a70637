"""Small rules of the handoff: contact validation, office hours, tickets, routing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.db.models import Advisor, Handoff
from bot.handoff.office_hours import OfficeHours, OfficeHoursError
from bot.handoff.routing import advisor_title, matches
from bot.handoff.tickets import new_ticket, normalise_ticket
from bot.handoff.validation import looks_like_email, parse_contact, parse_name


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("0345 1234567", "phone", "0345 1234567"),
        ("+49 (0)391 555-12", "phone", "+49 (0)391 555-12"),
        ("0171/2345678", "phone", "0171/2345678"),
        ("Meister@Firma.de", "email", "meister@firma.de"),
    ],
)
def test_valid_contacts(text: str, kind: str, value: str) -> None:
    contact = parse_contact(text)
    assert contact is not None
    assert (contact.kind, contact.value) == (kind, value)


@pytest.mark.parametrize("text", ["123", "weiß nicht", "name@firma", "a@@b.de", "12345678"])
def test_invalid_contacts(text: str) -> None:
    assert parse_contact(text) is None


def test_addresses_spelt_with_at_are_meant_as_email() -> None:
    for text in ("heike.brandt(at)t-online", "p [at] web.de", "peter at web.de", "name@web"):
        assert looks_like_email(text)
        assert parse_contact(text) is None
    assert not looks_like_email("Bäckerei am Markt")
    assert not looks_like_email("Schmidt at home")


def test_names_need_letters_and_no_digits() -> None:
    assert parse_name("  Maria   Beispiel ") == "Maria Beispiel"
    assert parse_name("R2D2") is None
    assert parse_name("x") is None


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("ich bin der Klaus Meier", "Klaus Meier"),
        ("Mein Name ist Schulze.", "Schulze"),
        ("moin, hier ist die Anke Wolf", "Anke Wolf"),
        ("Name: Jan Binder", "Jan Binder"),
        ("Petra Lange hier", "Petra Lange"),
        ("Jana Ichmann", "Jana Ichmann"),
    ],
)
def test_a_name_loses_the_words_around_it(typed: str, name: str) -> None:
    assert parse_name(typed) == name


def test_office_hours_by_weekday_in_berlin_time() -> None:
    hours = OfficeHours.parse("Mo-Do 08:00-16:00; Fr 08:00-13:00")
    assert hours.is_open(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))  # Tue 10:00 in Berlin
    assert not hours.is_open(datetime(2026, 11, 24, 15, 30, tzinfo=UTC))  # 16:30
    assert not hours.is_open(datetime(2026, 11, 27, 12, 30, tzinfo=UTC))  # Fri 13:30
    assert not hours.is_open(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))  # Saturday
    assert OfficeHours.parse("Mo-So 00:00-24:00").is_open(
        datetime(2026, 11, 29, 23, 59, tzinfo=UTC)
    )


@pytest.mark.parametrize("text", ["", "Montag 8-16", "Mo-Xy 08:00-16:00", "Mo 25:00-26:00"])
def test_malformed_office_hours_are_rejected(text: str) -> None:
    with pytest.raises(OfficeHoursError):
        OfficeHours.parse(text)


def test_tickets_are_unambiguous_and_normalised() -> None:
    ticket = new_ticket()
    assert ticket.startswith("HK-")
    assert len(ticket) == 9
    assert not set(ticket[3:]) & set("01IO")
    assert normalise_ticket(" hk 7q4m2x") == "HK-7Q4M2X" == normalise_ticket("7Q4M2X")


def test_routing_matches_region_and_topic() -> None:
    halle_tse = Advisor(
        display_name="Anna Schulz", salutation="Frau", regions=["halle"], topics=["kasse_tse"]
    )
    anyone = Advisor(display_name="Kim Weber", salutation="", regions=[], topics=[])
    handoff = Handoff(region="magdeburg", topic="kasse_tse")
    assert not matches(halle_tse, handoff)
    assert matches(anyone, handoff)
    assert matches(halle_tse, Handoff(region=None, topic="kasse_tse"))
    assert advisor_title(halle_tse) == "Frau Schulz"
    assert advisor_title(anyone) == "Kim Weber"
