"""Office hours of the advisors, e.g. "Mo-Do 08:00-16:00; Fr 08:00-13:00"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

DAYS = ["mo", "di", "mi", "do", "fr", "sa", "so"]
RULE = re.compile(
    r"^\s*(?P<first>[a-z]{2})(?:\s*-\s*(?P<last>[a-z]{2}))?\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$"
)


class OfficeHoursError(ValueError):
    """A malformed office hours setting."""


def _clock(value: str) -> time:
    hours, minutes = (int(part) for part in value.split(":"))
    if hours == 24 and minutes == 0:
        return time.max
    return time(hours, minutes)


@dataclass(frozen=True)
class OfficeHours:
    """Opening times per weekday (0 = Monday) in one time zone."""

    windows: dict[int, tuple[time, time]]
    zone: ZoneInfo
    text: str

    @classmethod
    def parse(cls, text: str, zone: str = "Europe/Berlin") -> OfficeHours:
        """Parse rules like "Mo-Fr 08:00-16:00" separated by ";"."""
        windows: dict[int, tuple[time, time]] = {}
        for rule in filter(str.strip, text.lower().split(";")):
            match = RULE.match(rule)
            if not match or match["first"] not in DAYS or (match["last"] or "mo") not in DAYS:
                raise OfficeHoursError(f"Ungültige Sprechzeit: {rule.strip()!r}")
            first = DAYS.index(match["first"])
            last = DAYS.index(match["last"]) if match["last"] else first
            try:
                start, end = _clock(match["start"]), _clock(match["end"])
            except ValueError as error:
                raise OfficeHoursError(f"Ungültige Uhrzeit in {rule.strip()!r}") from error
            for day in range(first, last + 1):
                windows[day] = (start, end)
        if not windows:
            raise OfficeHoursError("Keine Sprechzeiten angegeben")
        return cls(windows, ZoneInfo(zone), text.strip())

    def is_open(self, moment: datetime) -> bool:
        """True if `moment` (timezone-aware) lies within the office hours."""
        local = moment.astimezone(self.zone)
        window = self.windows.get(local.weekday())
        return window is not None and window[0] <= local.time() < window[1]

    def describe(self) -> str:
        """A short German description, e.g. "Mo–Fr 8–16 Uhr"."""
        return self.text.replace("-", "–")
