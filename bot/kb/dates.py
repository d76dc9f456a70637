"""Dates written in German text ("1. Januar 2027", "01.01.2027", "2027-01-01")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "januar": 1,
    "jänner": 1,
    "februar": 2,
    "märz": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "dezember": 12,
}
WRITTEN = re.compile(
    r"\b(?P<d>\d{1,2})\.\s*(?P<m>" + "|".join(MONTHS) + r")\s+(?P<y>(19|20)\d{2})\b",
    re.IGNORECASE,
)
NUMERIC = re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(19|20)\d{2})\b")
ISO = re.compile(r"\b(?P<y>(19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b")


@dataclass(frozen=True)
class DateMention:
    """A date in a text and where it stands."""

    day: date
    start: int
    end: int


def mentions(text: str) -> Iterator[DateMention]:
    """Every valid date written in `text`, in order."""
    found = []
    for pattern in (WRITTEN, NUMERIC, ISO):
        for match in pattern.finditer(text):
            month = match["m"]
            number = MONTHS[month.lower()] if month.isalpha() else int(month)
            try:
                day = date(int(match["y"]), number, int(match["d"]))
            except ValueError:
                continue
            found.append(DateMention(day, match.start(), match.end()))
    yield from sorted(found, key=lambda mention: mention.start)
