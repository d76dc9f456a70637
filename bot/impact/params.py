"""Reading the dashboard's query parameters: from, to, granularity, channel, monat."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from bot.impact.periods import Granularity, Query, period_of

CHANNELS = {"web": "Website-Chat", "telegram": "Telegram", "whatsapp": "WhatsApp"}
MAX_DAYS = 3 * 366
DEFAULT_PERIODS = 12


class ParamError(ValueError):
    """A parameter the dashboard cannot use (the message is shown as it is)."""


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ParamError(f"„{name}“ muss ein Datum wie 2026-11-30 sein.") from error


def default_first(today: date, granularity: Granularity) -> date:
    """The start of the twelfth period before today's (weeks or months)."""
    if granularity == "week":
        return period_of(today, "week") - timedelta(weeks=DEFAULT_PERIODS - 1)
    month = today.year * 12 + today.month - 1 - (DEFAULT_PERIODS - 1)
    return date(month // 12, month % 12 + 1, 1)


def parse_query(params: Mapping[str, str], today: date) -> Query:
    """The query of `from`, `to`, `granularity` and `channel` (defaults: the last
    twelve months up to today, all channels)."""
    granularity = params.get("granularity") or "month"
    if granularity not in ("week", "month"):
        raise ParamError("„granularity“ ist week oder month.")
    channel = params.get("channel") or None
    if channel is not None and channel not in CHANNELS:
        raise ParamError(f"Unbekannter Kanal (erlaubt: {', '.join(CHANNELS)}).")
    last = _day(params["to"], "to") if params.get("to") else today
    first = (
        _day(params["from"], "from") if params.get("from") else default_first(last, granularity)  # type: ignore[arg-type]
    )
    if first > last:
        raise ParamError("„from“ liegt nach „to“.")
    if (last - first).days > MAX_DAYS:
        raise ParamError("Höchstens drei Jahre auf einmal.")
    return Query(first, last, granularity, channel)  # type: ignore[arg-type]


def parse_month(value: str | None, today: date) -> tuple[date, date]:
    """First and last day of `monat` (2026-11); default: the month before today's."""
    if value:
        try:
            first = date.fromisoformat(f"{value}-01")
        except ValueError as error:
            raise ParamError("„monat“ muss ein Monat wie 2026-11 sein.") from error
    else:
        first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last
