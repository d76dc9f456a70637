"""Amounts people name, and answers that depend on them."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.amounts import (
    amount_in,
    euros_in,
    names_limit,
    people_in,
    restates_amount,
    threshold_sentence,
)
from actions.routing import ActionAnswerQuestion
from bot.kb.guides import CoreAnswer, Threshold
from tests.unit.actions.helpers import EMPTY_DOMAIN, tracker

CORE = CoreAnswer(
    text="Über 800.000 Euro Vorjahresumsatz ab 2027, sonst ab 2028.",
    section="Ab wann?",
    threshold=Threshold(
        unit="euro",
        limit=800_000,
        over="Mit [Betrag] Umsatz ab 2027.",
        up_to="Mit [Betrag] Umsatz erst ab 2028.",
    ),
)


@pytest.mark.parametrize(
    ("text", "euros"),
    [
        ("wir machen so 1,2 mio umsatz", 1_200_000),
        ("moment hab mich vertan, sind nur 650.000", 650_000),
        ("umsatz 2026 war 900000", 900_000),
        ("so 750 000 euro", 750_000),
        ("800 tausend", 800_000),
        ("900k", 900_000),
        ("ab 2027?", None),
        ("rechnung unter 250 euro", None),
    ],
)
def test_turnovers_are_read_in_every_spelling(text: str, euros: int | None) -> None:
    assert euros_in(text) == euros


def test_head_counts() -> None:
    assert people_in("wir sind 25 leute") == 25
    assert people_in("Bäckerei mit 8 Mitarbeitern") == 8
    assert people_in("seit 2019 im Betrieb") is None


def test_an_amount_is_a_turnover_only_when_said_or_alone() -> None:
    assert (
        amount_in("rechnung über 15.000 euro an die stadt, muss die elektronisch sein?", "euro")
        is None
    )
    assert amount_in("sind nur 650.000", "euro") == 650_000
    assert amount_in("und bei 500.000?", "euro", "wir haben viel umsatz") == 500_000
    assert amount_in("und wenn wir auf 22 wachsen?", "personen", "wir sind 12 leute") == 22
    assert amount_in("und 2027?", "personen", "wir sind 12 leute") is None
    assert amount_in("und wenn wir auf 22 wachsen?", "personen") is None


def test_the_answer_for_the_named_amount() -> None:
    assert threshold_sentence(CORE, "wir machen 1,2 mio umsatz, ab wann?", "") == (
        "Mit 1.200.000 Euro Umsatz ab 2027."
    )
    assert threshold_sentence(CORE, "moment, sind nur 650.000", "") == (
        "Mit 650.000 Euro Umsatz erst ab 2028."
    )
    # a core question takes the amount from the conversation before it
    assert threshold_sentence(CORE, "ab wann muss ich?", "umsatz 900.000") == (
        "Mit 900.000 Euro Umsatz ab 2027."
    )
    assert threshold_sentence(CORE, "ab wann muss ich?", "") is None
    assert threshold_sentence(CORE, "was muss ich trotzdem machen?", "umsatz 900.000") is None


def test_a_short_turn_restates_the_amount_a_threshold_depends_on() -> None:
    assert restates_amount(CORE, "letztes jahr warns 1,2 mio")
    assert not restates_amount(CORE, "und wie verschick ich die dann")
    assert not restates_amount(None, "letztes jahr warns 1,2 mio")


def test_weights_are_read_in_grams() -> None:
    assert amount_in("brauch ich für ne drohne mit 900 gramm n führerschein", "gramm") == 900
    assert amount_in("die wiegt 1,2 kg", "gramm") == 1200
    assert amount_in("ne kleine drohne", "gramm") is None


def test_a_section_may_name_the_threshold_s_limit() -> None:
    grams = Threshold(
        unit="gramm",
        limit=249,
        over="Mit [Betrag] brauchen Sie den Nachweis.",
        up_to="Mit [Betrag] brauchen Sie keinen.",
    )
    assert names_limit("Ab 250 Gramm Startmasse braucht der Fernpilot …", grams)
    assert not names_limit("Prüfen Sie vor jedem Flug Flugverbotszonen.", grams)
    assert names_limit("Die Grenze liegt bei 800.000 Euro Vorjahresumsatz.", CORE.threshold)


async def test_an_amount_named_goes_first_where_the_section_names_the_limit() -> None:
    dispatcher = CollectingDispatcher()
    question = "brauch ich für ne drohne mit 900 gramm n drohnenführerschein"
    await ActionAnswerQuestion().run(dispatcher, tracker(question), EMPTY_DOMAIN)
    assert dispatcher.messages[0]["text"].startswith("Ja: Bei 900 Gramm Startmasse")
