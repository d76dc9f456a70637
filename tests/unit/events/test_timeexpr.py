from datetime import datetime

import pytest

from bot.events.timeexpr import BERLIN, next_easter, time_window
from tests.unit.conftest import NOW


def day(year: int, month: int, number: int) -> datetime:
    return datetime(year, month, number, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("Was ist nächste Woche bei euch los?", (day(2026, 11, 30), day(2026, 12, 7))),
        ("übernächste Woche", (day(2026, 12, 7), day(2026, 12, 14))),
        ("Gibt es im Januar Webinare zur E-Rechnung?", (day(2027, 1, 1), day(2027, 2, 1))),
        ("nächsten Monat", (day(2026, 12, 1), day(2027, 1, 1))),
        ("morgen", (day(2026, 11, 25), day(2026, 11, 26))),
        ("am 15. Januar", (day(2027, 1, 15), day(2027, 1, 16))),
    ],
)
def test_german_expressions_become_windows(text: str, window: tuple[datetime, datetime]) -> None:
    assert time_window(text, NOW) == window


def test_before_easter_runs_from_now_to_easter_sunday() -> None:
    assert next_easter(NOW) == day(2027, 3, 28).date()
    assert time_window("Webinare vor Ostern?", NOW) == (NOW, day(2027, 3, 28))


@pytest.mark.parametrize(
    "text",
    [
        "Gibt es Webinare zur E-Rechnung?",
        "Wie machen das andere?",
        "was gibts denn so an veranstaltungen",  # "so" is no Sonntag
        "gibts die auch online?",  # "die" is no Dienstag
        "sprechtage mit der ihk",  # "mit" is no Mittwoch
        "gibts son webinar auch",  # "son" is no Sonntag
        "gibts jetzt webinare zur e-rechnung",  # "jetzt" is no day
    ],
)
def test_no_time_named(text: str) -> None:
    assert time_window(text, NOW) is None


def test_an_article_before_a_month_leaves_the_month() -> None:
    assert time_window("gibts die auch im märz", NOW) == (day(2027, 3, 1), day(2027, 4, 1))
