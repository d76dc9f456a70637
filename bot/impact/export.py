"""The figures as CSV (one file per figure, for spreadsheets in German) and JSON."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict
from typing import Any

from bot.impact.periods import Figures, period_label
from bot.impact.summary import Totals
from bot.impact.tables import Cell, FigureTable

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_value(value: Cell) -> str:
    """A value as German spreadsheets read it: 12,5 and an empty cell for none."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    text = str(value)
    # an imported event title like "=HYPERLINK(…)" must stay text in a spreadsheet
    return f"'{text}" if isinstance(value, str) and text[:1] in FORMULA else text


def figure_csv(table: FigureTable) -> bytes:
    """One figure as CSV: semicolons, UTF-8 with BOM (Excel opens umlauts right)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([csv_value(value) for value in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def figures_json(figures: Figures, tables: list[FigureTable], totals: Totals) -> dict[str, Any]:
    """Everything the page shows, as JSON (the charts left out)."""
    query = figures.query
    return {
        "from": query.first.isoformat(),
        "to": query.last.isoformat(),
        "granularity": query.granularity,
        "channel": query.channel,
        "periods": [
            {"start": start.isoformat(), "label": period_label(start, query.granularity)}
            for start in figures.periods
        ],
        "totals": asdict(totals),
        "figures": [
            {
                "id": table.id,
                "title": table.title,
                "headers": table.headers,
                "rows": table.rows,
                "note": table.note,
            }
            for table in tables
        ],
    }
