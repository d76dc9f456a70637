"""Weeks and months of a query, and the figures collected into them."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from bot.impact.collect import TOP_METRICS, DayCounts

Granularity = Literal["week", "month"]
MONTHS = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")


@dataclass(frozen=True)
class Query:
    """Which days (inclusive), per week or month, one channel or all (None)."""

    first: date
    last: date
    granularity: Granularity = "month"
    channel: str | None = None


@dataclass
class Figures:
    """Counts per period (`series`, `hits`, `durations`) and over the whole range."""

    query: Query
    periods: list[date]
    # (metric, key) -> count per period
    series: defaultdict[tuple[str, str], list[int]]
    # REGISTRATION / CASE_VIEW -> count per period
    hits: defaultdict[str, list[int]]
    # CLAIM / CALLBACK -> seconds histogram per period
    durations: defaultdict[str, list[Counter[int]]]
    # TOP_METRICS, REGISTRATION, CASE_VIEW -> key -> count over the range
    tops: defaultdict[str, Counter[str]]
    # "guide" / "event" / "case" -> id -> title
    titles: dict[str, dict[str, str]] = field(default_factory=dict)

    def total(self, metric: str, key: str = "") -> int:
        """The count of a series over the range."""
        return sum(self.series.get((metric, key), []))


def period_of(day: date, granularity: Granularity) -> date:
    """The first day of the week (Monday) or month `day` lies in."""
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def period_label(start: date, granularity: Granularity) -> str:
    """ "KW 47/2026" or "Nov 2026"."""
    if granularity == "week":
        year, week, _ = start.isocalendar()
        return f"KW {week}/{year}"
    return f"{MONTHS[start.month - 1]} {start.year}"


def periods_of(query: Query) -> list[date]:
    """The starts of the periods the range touches."""
    found: list[date] = []
    start = period_of(query.first, query.granularity)
    while start <= query.last:
        found.append(start)
        if query.granularity == "week":
            start += timedelta(days=7)
        else:
            start = (start + timedelta(days=32)).replace(day=1)
    return found


class Builder:
    """Adds counts into the periods of one query."""

    def __init__(self, query: Query) -> None:
        self.query = query
        periods = periods_of(query)
        self.index = {start: number for number, start in enumerate(periods)}
        size = len(periods)
        self.figures = Figures(
            query,
            periods,
            defaultdict(lambda: [0] * size),
            defaultdict(lambda: [0] * size),
            defaultdict(lambda: [Counter() for _ in range(size)]),
            defaultdict(Counter),
        )

    def slot(self, day: date) -> int | None:
        """The period `day` counts in (None outside the range)."""
        if not self.query.first <= day <= self.query.last:
            return None
        return self.index[period_of(day, self.query.granularity)]

    def live(self, found: DayCounts) -> None:
        """Add the counts of days not stored yet."""
        wanted, figures = self.query.channel, self.figures
        for (day, channel, metric, key), value in found.counts.items():
            slot = self.slot(day)
            if slot is None or wanted not in (None, channel):
                continue
            if metric in TOP_METRICS:
                figures.tops[metric][key] += value
            else:
                figures.series[metric, key][slot] += value
        for (day, channel, kind, seconds), count in found.durations.items():
            slot = self.slot(day)
            if slot is not None and wanted in (None, channel):
                figures.durations[kind][slot][seconds] += count
