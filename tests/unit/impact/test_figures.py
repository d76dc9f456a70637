"""Figures per week or month and channel: the same from the daily table as from the
live tables, with exact numbers, tables and CSV."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.impact.aggregate import aggregate_days
from bot.impact.export import figure_csv
from bot.impact.figures import load_figures
from bot.impact.periods import Figures, Query, periods_of
from bot.impact.summary import totals
from bot.impact.tables import Cell, FigureTable, figure_tables, quantile
from tests.unit.impact.seed import DAY_A, DAY_B, seed

Sessions = async_sessionmaker[AsyncSession]
LATER = datetime(2026, 12, 1, 12, tzinfo=UTC)


async def figures(sessions: Sessions, query: Query) -> Figures:
    async with sessions() as session:
        return await load_figures(session, query, LATER)


def rows(found: Figures) -> dict[str, list[list[Cell]]]:
    return {table.id: table.rows for table in figure_tables(found)}


async def test_month_figures_are_exact_and_the_same_stored_or_live(database: Sessions) -> None:
    await seed(database)
    query = Query(date(2026, 11, 1), date(2026, 11, 30), "month")
    live = rows(await figures(database, query))
    await aggregate_days(database, DAY_A, DAY_B)
    found = await figures(database, query)
    assert rows(found) == live
    tables = rows(found)
    assert tables["conversations"] == [["Nov 2026", 2, 7, 3]]
    assert tables["knowledge_base"] == [["Nov 2026", 2, 1, 66.7]]
    assert tables["helpful"] == [["Nov 2026", 1, 1, 50.0]]
    assert tables["handoffs"] == [["Nov 2026", 1, 1]]
    assert tables["wait_live"] == [["Nov 2026", 1, 5.0, 5.0]]
    assert tables["callback_time"] == [["Nov 2026", 1, 1260.0, 1260.0]]
    assert tables["events"] == [["Nov 2026", 1, 0]]
    assert tables["event_list"] == [["webinar-1", 1, 0]]
    assert sorted(tables["topics"]) == [["E-Rechnung", 1], ["Förderung", 1], ["Kasse und TSE", 1]]
    assert tables["trade_groups"] == [["Lebensmittel", 1]]
    assert tables["ratings"][0] == ["5 von 5", 1]
    summary = totals(found)
    assert (summary.conversations, summary.messages, summary.handoffs) == (2, 7, 2)
    assert (summary.answered_share, summary.helpful_share) == (66.7, 50.0)


async def test_weeks_and_one_channel(database: Sessions) -> None:
    await seed(database)
    await aggregate_days(database, DAY_A, DAY_A)  # day B comes from the live tables
    query = Query(date(2026, 10, 26), date(2026, 11, 8), "week", "telegram")
    tables = rows(await figures(database, query))
    assert tables["conversations"] == [["KW 44/2026", 0, 0, 0], ["KW 45/2026", 1, 2, 1]]
    assert tables["knowledge_base"][1] == ["KW 45/2026", 1, 0, 100.0]
    assert tables["helpful"][1] == ["KW 45/2026", 0, 1, 0.0]
    assert tables["handoffs"][1] == ["KW 45/2026", 0, 1]
    assert tables["knowledge_base"][0][3] is None  # nothing to share


def test_periods_cover_the_range() -> None:
    months = periods_of(Query(date(2025, 11, 15), date(2026, 2, 3), "month"))
    assert months == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    weeks = periods_of(Query(date(2026, 11, 4), date(2026, 11, 16), "week"))
    assert weeks == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]


def test_quantiles_by_nearest_rank() -> None:
    waits = Counter({60: 5, 120: 4, 3600: 1})
    assert (quantile(waits, 0.5), quantile(waits, 0.9), quantile(waits, 1.0)) == (60, 120, 3600)
    assert quantile(Counter(), 0.5) is None


async def test_csv_has_a_header_and_german_numbers(database: Sessions) -> None:
    await seed(database)
    found = await figures(database, Query(date(2026, 11, 1), date(2026, 11, 30), "month"))
    tables = {table.id: table for table in figure_tables(found)}
    assert figure_csv(tables["knowledge_base"]).decode("utf-8-sig") == (
        "Zeitraum;Beantwortet;Ohne verlässliche Antwort;Anteil beantwortet (%)\r\n"
        "Nov 2026;2;1;66,7\r\n"
    )
    assert figure_csv(tables["conversations"]).startswith(b"\xef\xbb\xbfZeitraum;")


def test_csv_keeps_formulas_as_text() -> None:
    table = FigureTable("event_list", "T", ["Veranstaltung", "Anzahl"], [["=HYPERLINK(1)", 2]], "")
    assert figure_csv(table).decode("utf-8-sig") == "Veranstaltung;Anzahl\r\n'=HYPERLINK(1);2\r\n"


async def test_top_lists_from_month_sums_and_the_days_around_them(database: Sessions) -> None:
    await seed(database)
    query = Query(date(2026, 10, 15), date(2026, 12, 31), "month")
    live = rows(await figures(database, query))
    await aggregate_days(database, date(2026, 10, 15), DAY_B)
    stored = rows(await figures(database, query))
    assert stored == live
    assert stored["guides"] == [["e-rechnung", 1], ["kasse-tse", 1]]
