"""The figures as tables (page, CSV and JSON read the same rows) and their charts."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from bot.impact.charts import bar_chart, hbar_chart, number
from bot.impact.collect import (
    ANSWERED,
    CALLBACK,
    CLAIM,
    CONVERSATIONS,
    EVENT,
    FEEDBACK,
    GUIDE,
    HANDOFF,
    MESSAGES,
    RATING,
    RECOMMENDED,
    TOPIC,
    TRADE_GROUP,
    UNANSWERED,
)
from bot.impact.hits import CASE_VIEW, REGISTRATION
from bot.impact.periods import Figures, period_label
from bot.kb.labels import TOPIC_LABELS, TRADE_GROUP_LABELS

Cell = str | int | float | None
TOP = 10


@dataclass(frozen=True)
class FigureTable:
    """One figure: its id (CSV name), title, header and rows, and its chart (SVG)."""

    id: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    chart: str
    note: str = ""


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` in percent (one decimal), None without a whole."""
    return round(100 * part / whole, 1) if whole else None


def quantile(histogram: Counter[int], fraction: float) -> int | None:
    """The value at `fraction` of a histogram (nearest rank), None if empty."""
    total = sum(histogram.values())
    if not total:
        return None
    rank, seen = max(1, math.ceil(total * fraction)), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)


def minutes(seconds: int | None) -> float | None:
    """Seconds as minutes with one decimal."""
    return None if seconds is None else round(seconds / 60, 1)


class _Tables:
    def __init__(self, figures: Figures) -> None:
        self.f = figures
        self.labels = [period_label(p, figures.query.granularity) for p in figures.periods]

    def s(self, metric: str, key: str = "") -> list[int]:
        return self.f.series.get((metric, key)) or [0] * len(self.labels)

    def per_period(
        self, id_: str, title: str, columns: list[tuple[str, list[Cell]]], charted: list[int]
    ) -> FigureTable:
        rows = [
            [label, *(values[n] for _, values in columns)] for n, label in enumerate(self.labels)
        ]
        series = [(columns[i][0], [float(v or 0) for v in columns[i][1]]) for i in charted]
        return FigureTable(
            id_,
            title,
            ["Zeitraum", *(name for name, _ in columns)],
            rows,
            bar_chart(f"chart-{id_}", title, self.labels, series),
        )

    def ranked(
        self, id_: str, title: str, column: str, counts: Counter[str], label: Callable[[str], str]
    ) -> FigureTable:
        top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP]
        rows: list[list[Cell]] = [[label(key), value] for key, value in top]
        chart = hbar_chart(f"chart-{id_}", title, [(label(k), v) for k, v in top])
        return FigureTable(id_, title, [column, "Anzahl"], rows, chart)

    def usage(self) -> list[FigureTable]:
        messages = [
            sum(v)
            for v in zip(*(self.s(MESSAGES, k) for k in ("user", "bot", "system")), strict=True)
        ]
        answered, unanswered = self.s(ANSWERED), self.s(UNANSWERED)
        helpful, not_helpful = self.s(FEEDBACK, "helpful"), self.s(FEEDBACK, "not_helpful")
        return [
            self.per_period(
                "conversations",
                "Gespräche und Nachrichten",
                [
                    ("Gespräche", list(self.s(CONVERSATIONS))),
                    ("Nachrichten", list(messages)),
                    ("davon von Personen", list(self.s(MESSAGES, "user"))),
                ],
                [0, 1],
            ),
            self.per_period(
                "knowledge_base",
                "Fragen aus der Wissensbasis beantwortet",
                [
                    ("Beantwortet", list(answered)),
                    ("Ohne verlässliche Antwort", list(unanswered)),
                    (
                        "Anteil beantwortet (%)",
                        [share(a, a + u) for a, u in zip(answered, unanswered, strict=True)],
                    ),
                ],
                [2],
            ),
            self.per_period(
                "helpful",
                "Bewertete Antworten: „Hat geholfen“",
                [
                    ("Hat geholfen", list(helpful)),
                    ("Hat nicht geholfen", list(not_helpful)),
                    (
                        "Anteil „Hat geholfen“ (%)",
                        [share(h, h + n) for h, n in zip(helpful, not_helpful, strict=True)],
                    ),
                ],
                [2],
            ),
        ]

    def interests(self) -> list[FigureTable]:
        titles = self.f.titles
        return [
            self.ranked(
                "topics",
                "Häufigste Themen",
                "Thema",
                self.f.tops[TOPIC],
                lambda k: TOPIC_LABELS.get(k, k),
            ),
            self.ranked(
                "trade_groups",
                "Gewerkgruppen der Fragen",
                "Gewerkgruppe",
                self.f.tops[TRADE_GROUP],
                lambda k: TRADE_GROUP_LABELS.get(k, k),
            ),
            self.ranked(
                "guides",
                "Meistgenutzte Leitfäden",
                "Leitfaden",
                self.f.tops[GUIDE],
                lambda k: titles.get("guide", {}).get(k, k),
            ),
        ]

    def events(self) -> list[FigureTable]:
        recommended, clicks = self.f.tops[EVENT], self.f.tops[REGISTRATION]
        names = self.f.titles.get("event", {})
        keys = sorted(
            set(recommended) | set(clicks), key=lambda k: (-recommended[k], -clicks[k], k)
        )
        listing = FigureTable(
            "event_list",
            "Veranstaltungen: Empfehlungen und Anmeldeklicks je Termin",
            ["Veranstaltung", "Empfehlungen", "Klicks auf Anmeldung"],
            [[names.get(k, k), recommended[k], clicks[k]] for k in keys[: TOP * 2]],
            hbar_chart(
                "chart-event_list",
                "Empfehlungen je Veranstaltung",
                [(names.get(k, k), recommended[k]) for k in keys[:TOP]],
            ),
        )
        cases = self.f.titles.get("case", {})
        return [
            self.per_period(
                "events",
                "Veranstaltungen: Empfehlungen und Klicks auf Anmeldelinks",
                [
                    ("Empfehlungen", list(self.s(RECOMMENDED))),
                    (
                        "Klicks auf Anmeldung",
                        list(self.f.hits[REGISTRATION] or [0] * len(self.labels)),
                    ),
                ],
                [0, 1],
            ),
            listing,
            self.ranked(
                "case_views",
                "Aufrufe der Praxisbeispiele",
                "Praxisbeispiel",
                self.f.tops[CASE_VIEW],
                lambda k: cases.get(k, k),
            ),
        ]

    def handoffs(self) -> list[FigureTable]:
        waits = self.f.durations
        claim = [
            waits[CLAIM][n] if waits.get(CLAIM) else Counter[int]() for n in range(len(self.labels))
        ]
        call = [
            waits[CALLBACK][n] if waits.get(CALLBACK) else Counter[int]()
            for n in range(len(self.labels))
        ]
        stars = {n: self.f.total(RATING, str(n)) for n in range(5, 0, -1)}
        rated = sum(stars.values())
        mean = sum(n * count for n, count in stars.items()) / rated if rated else 0.0
        ratings: list[list[Cell]] = [[f"{n} von 5", count] for n, count in stars.items()]
        return [
            self.per_period(
                "handoffs",
                "Übergaben an die Beratung",
                [
                    ("Live-Chat", list(self.s(HANDOFF, "live"))),
                    ("Rückruf", list(self.s(HANDOFF, CALLBACK))),
                ],
                [0, 1],
            ),
            self.per_period(
                "wait_live",
                "Live-Chat: Wartezeit bis zur Übernahme (Minuten)",
                [
                    ("Übernommen", [sum(h.values()) for h in claim]),
                    ("Median", [minutes(quantile(h, 0.5)) for h in claim]),
                    ("90 %", [minutes(quantile(h, 0.9)) for h in claim]),
                ],
                [1, 2],
            ),
            self.per_period(
                "callback_time",
                "Rückruf: Zeit bis zum Rückruf (Minuten)",
                [
                    ("Zurückgerufen", [sum(h.values()) for h in call]),
                    ("Median", [minutes(quantile(h, 0.5)) for h in call]),
                    ("90 %", [minutes(quantile(h, 0.9)) for h in call]),
                ],
                [1, 2],
            ),
            FigureTable(
                "ratings",
                "Bewertungen der Beratung",
                ["Bewertung", "Anzahl"],
                ratings,
                hbar_chart(
                    "chart-ratings",
                    "Bewertungen der Beratung",
                    [(f"{n} von 5", count) for n, count in stars.items()],
                ),
                f"Durchschnitt: {number(mean, 1)} von 5 ({number(rated)} Bewertungen)"
                if rated
                else "",
            ),
        ]


def figure_tables(figures: Figures) -> list[FigureTable]:
    """Every figure of the dashboard, in the order the page shows them."""
    tables = _Tables(figures)
    return [*tables.usage(), *tables.interests(), *tables.events(), *tables.handoffs()]
