"""Charts as SVG, rendered on the server: grouped bars over periods and horizontal
bars for top lists. Colours come from classes in wirkung.css (the CSP allows no
inline styles); every chart stands next to a table with its numbers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 52, 8, 30, 40
HEIGHT = 250
MAX_LABELS = 7
ROW = 24
LABEL_CHARS = 34


def number(value: float, digits: int = 0) -> str:
    """German notation: 1.234 and 12,5."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def nice_max(value: float) -> float:
    """A round upper end of the axis at or above `value` (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return float(next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value))


def _open(chart_id: str, title: str, height: int) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)} (Zahlen in der Tabelle)</title>',
    ]


def _legend(names: Sequence[str]) -> list[str]:
    parts: list[str] = []
    x = LEFT
    for number_, name in enumerate(names):
        parts.append(f'<rect class="s{number_}" x="{x}" y="8" width="12" height="12"/>')
        parts.append(f'<text class="legend" x="{x + 16}" y="18">{escape(name)}</text>')
        x += 24 + 8 * len(name)
    return parts


def bar_chart(
    chart_id: str, title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]
) -> str:
    """Grouped vertical bars: one group per period, one bar per series."""
    top = nice_max(max((max(values, default=0) for _, values in series), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = _open(chart_id, title, HEIGHT)
    for share in (0, 0.5, 1):
        y = TOP + plot_h * (1 - share)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>')
        digits = 0 if top * share == int(top * share) else 1
        parts.append(
            f'<text class="axis" x="{LEFT - 6}" y="{y + 4}" text-anchor="end">'
            f"{number(top * share, digits)}</text>"
        )
    group = plot_w / max(len(labels), 1)
    bar = group * 0.8 / max(len(series), 1)
    every = math.ceil(len(labels) / MAX_LABELS) or 1
    for slot, label in enumerate(labels):
        x0 = LEFT + slot * group + group * 0.1
        for number_, (_, values) in enumerate(series):
            value = values[slot] if slot < len(values) else 0
            height = plot_h * value / top
            parts.append(
                f'<rect class="s{number_}" x="{x0 + number_ * bar:.1f}" '
                f'y="{TOP + plot_h - height:.1f}" width="{max(bar - 1, 1):.1f}" '
                f'height="{height:.1f}"/>'
            )
        if slot % every == 0:
            parts.append(
                f'<text class="axis" x="{LEFT + slot * group + group / 2:.1f}" '
                f'y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{escape(label)}</text>'
            )
    parts += _legend([name for name, _ in series])
    parts.append("</svg>")
    return "".join(parts)


def hbar_chart(chart_id: str, title: str, items: Sequence[tuple[str, float]]) -> str:
    """Horizontal bars for a ranked list (label, value)."""
    height = TOP + ROW * max(len(items), 1) + 8
    label_w = 250
    plot_w = WIDTH - label_w - 60
    top = nice_max(max((value for _, value in items), default=0))
    parts = _open(chart_id, title, height)
    for row, (label, value) in enumerate(items):
        y = TOP + row * ROW
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        width = plot_w * value / top
        parts.append(
            f'<text class="axis" x="{label_w - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(short)}</text>"
        )
        parts.append(
            f'<rect class="s0" x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{ROW - 8}"/>'
        )
        parts.append(
            f'<text class="axis" x="{label_w + width + 6:.1f}" y="{y + 15}">{number(value)}</text>'
        )
    if not items:
        parts.append(f'<text class="axis" x="{LEFT}" y="{TOP + 15}">Keine Daten</text>')
    parts.append("</svg>")
    return "".join(parts)
