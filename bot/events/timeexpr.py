"""German time expressions ("nächste Woche", "im Januar", "vor Ostern") as time windows.

dateparser finds the expression in the message and tells its date and period (day,
week, month, year); the window is that whole period. Easter, which dateparser does not
know, comes from dateutil's Easter computation.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser
from dateparser.search import search_dates
from dateutil.easter import easter

BERLIN = ZoneInfo("Europe/Berlin")
# dateparser does not know "übernächste"; it does know "in zwei Wochen".
REWRITES = [
    (re.compile(r"\bübernächste[nrs]?\s+woche\b", re.IGNORECASE), "in zwei Wochen"),
    (re.compile(r"\bnächste[nrs]?\s+monat\b", re.IGNORECASE), "nächsten Monat"),
]
BEFORE_EASTER = re.compile(r"\b(vor|bis)\s+ostern\b", re.IGNORECASE)
EASTER = re.compile(r"\b(an|über|zu)\s+ostern\b", re.IGNORECASE)

# words dateparser takes for days that are mostly something else ("was gibts denn so",
# "gibts die auch im März", "Sprechtage mit der IHK", "son Webinar", "gibts jetzt
# Webinare zur E-Rechnung?"); a phrase that is only one of them is no time
NOT_WEEKDAYS = frozenset({"so", "son", "die", "di", "do", "mo", "mi", "mit", "fr", "sa", "jetzt"})

Window = tuple[datetime, datetime]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=BERLIN)


def _window(found: datetime, period: str) -> Window:
    day = found.date()
    if period == "week":
        monday = day - timedelta(days=day.weekday())
        return _midnight(monday), _midnight(monday + timedelta(days=7))
    if period == "month":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return _midnight(first), _midnight(following)
    if period == "year":
        return _midnight(date(day.year, 1, 1)), _midnight(date(day.year + 1, 1, 1))
    return _midnight(day), _midnight(day + timedelta(days=1))


def next_easter(now: datetime) -> date:
    """The next Easter Sunday on or after `now`."""
    this_year: date = easter(now.year)
    return this_year if this_year >= now.date() else easter(now.year + 1)


def time_window(text: str, now: datetime) -> Window | None:
    """The period a message asks about, or None if it names no time."""
    now = now.astimezone(BERLIN)
    if BEFORE_EASTER.search(text):
        return now, _midnight(next_easter(now))
    if EASTER.search(text):
        sunday = next_easter(now)
        return _midnight(sunday - timedelta(days=2)), _midnight(sunday + timedelta(days=2))
    for pattern, replacement in REWRITES:
        text = pattern.sub(replacement, text)
    settings = {"RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DATES_FROM": "future"}
    found = [
        (phrase, when)
        for phrase, when in search_dates(text, languages=["de"], settings=settings) or []
        if phrase.strip().lower() not in NOT_WEEKDAYS
    ]
    if not found:
        return None
    phrase, when = found[0]
    data = DateDataParser(languages=["de"], settings=settings).get_date_data(phrase)
    period = (data.period or "day") if data.date_obj is not None else "day"
    return _window((data.date_obj or when).replace(tzinfo=BERLIN), period)
