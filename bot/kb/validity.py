"""Dates in the knowledge base: a section or a sentence block that is true only from
or until a day, so that a guide is right on both sides of a date.

A section is limited by a comment right under its heading:

    ## Muss ich E-Rechnungen schon verschicken?
    <!-- valid_until: 2026-12-31 -->

A sentence block inside any text (section, summary, core answer) by braces:

    {{valid_until 2026-12-31: Ab dem 1. Januar 2027 müssen …}}
    {{valid_from 2027-01-01: Seit dem 1. Januar 2027 müssen …}}

Both days count as valid (`valid_until` is the last day, `valid_from` the first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

SECTION_MARK = re.compile(
    r"\A\s*<!--\s*(?P<kind>valid_from|valid_until):\s*(?P<day>\d{4}-\d{2}-\d{2})\s*-->"
)
BLOCK = re.compile(
    r"\{\{(?P<kind>valid_from|valid_until) (?P<day>\d{4}-\d{2}-\d{2}): (?P<text>[^{}]*)\}\}"
)


@dataclass(frozen=True)
class Validity:
    """The days on which something is true (None: open-ended)."""

    valid_from: date | None = None
    valid_until: date | None = None

    def covers(self, day: date) -> bool:
        """True if `day` lies within the validity."""
        after_start = self.valid_from is None or day >= self.valid_from
        before_end = self.valid_until is None or day <= self.valid_until
        return after_start and before_end

    def overlaps(self, other: Validity) -> bool:
        """True if some day is within both validities."""
        start = max(self.valid_from or date.min, other.valid_from or date.min)
        end = min(self.valid_until or date.max, other.valid_until or date.max)
        return start <= end


def section_validity(text: str) -> tuple[Validity, str]:
    """The validity marks at the start of a section's text, and the text without them."""
    days: dict[str, date] = {}
    while match := SECTION_MARK.match(text):
        days[match["kind"]] = date.fromisoformat(match["day"])
        text = text[match.end() :]
    return Validity(days.get("valid_from"), days.get("valid_until")), text.strip()


def resolve(text: str, day: date) -> str:
    """`text` as it reads on `day`: blocks valid then unwrapped, the others dropped."""

    def keep(match: re.Match[str]) -> str:
        bound = date.fromisoformat(match["day"])
        valid = day >= bound if match["kind"] == "valid_from" else day <= bound
        return match["text"] if valid else ""

    return " ".join(BLOCK.sub(keep, text).split())


def blocks(text: str) -> list[tuple[str, date]]:
    """The (kind, day) of every block in `text`."""
    return [(m["kind"], date.fromisoformat(m["day"])) for m in BLOCK.finditer(text)]


def stray_braces(text: str) -> bool:
    """True if `text` has braces that are not part of a well-formed block."""
    rest = BLOCK.sub("", text)
    return "{{" in rest or "}}" in rest
