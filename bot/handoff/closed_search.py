"""Filters and full-text search over the ended handoffs an advisor may read.

Parameterised throughout (bound values, LIKE wildcards escaped); the same query runs
on SQLite and PostgreSQL. Case folding is the database's `lower()`: on SQLite it
folds ASCII letters only, so "Ä" finds "Ä" but not "ä" there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Advisor, Handoff, Message
from bot.handoff.core import HandoffError
from bot.handoff.states import Status
from bot.kb.labels import TOPIC_LABELS

SEARCHABLE = (Status.CLOSED, Status.HANDED_BACK, Status.CALLBACK_DONE)
RESULT_LIMIT = 50
MAX_QUERY = 100


@dataclass(frozen=True)
class ClosedFilter:
    """What the advisor asked for: only their own or all they may read, a date range
    (local days, inclusive), a topic id and a search text."""

    mine: bool = True
    since: date | None = None
    until: date | None = None
    topic: str | None = None
    text: str = ""


def _day(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise HandoffError(f"Bitte ein gültiges Datum für „{name}“ angeben.", 400) from error


def parse_filter(query: dict[str, str]) -> ClosedFilter:
    """A ClosedFilter from the query string (HandoffError 400 with a German message)."""
    scope = query.get("scope", "mine")
    if scope not in ("mine", "all"):
        raise HandoffError("Bitte „Meine“ oder „Alle“ wählen.", 400)
    topic = query.get("topic") or None
    if topic is not None and topic not in TOPIC_LABELS:
        raise HandoffError("Dieses Thema gibt es nicht.", 400)
    text = " ".join(query.get("q", "").split())
    if len(text) > MAX_QUERY:
        raise HandoffError(f"Der Suchbegriff darf höchstens {MAX_QUERY} Zeichen lang sein.", 400)
    since, until = _day(query.get("from", ""), "von"), _day(query.get("to", ""), "bis")
    if since and until and since > until:
        raise HandoffError("„Von“ liegt nach „bis“.", 400)
    return ClosedFilter(scope == "mine", since, until, topic, text)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class ClosedSearch:
    """Runs a ClosedFilter for one advisor."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], timezone: str) -> None:
        self._sessions = sessions
        self._zone = ZoneInfo(timezone)

    def _start(self, day: date) -> datetime:
        return datetime.combine(day, time.min, self._zone)

    async def run(self, wanted: ClosedFilter, advisor: Advisor) -> tuple[list[Handoff], bool]:
        """The matching handoffs, newest first, at most RESULT_LIMIT; and whether
        there were more."""
        query = select(Handoff).where(Handoff.status.in_(SEARCHABLE))
        if wanted.mine or not advisor.admin:
            query = query.where(Handoff.advisor_id == advisor.id)
        if wanted.since:
            query = query.where(Handoff.closed_at >= self._start(wanted.since))
        if wanted.until:
            query = query.where(Handoff.closed_at < self._start(wanted.until + timedelta(days=1)))
        if wanted.topic:
            query = query.where(Handoff.topic == wanted.topic)
        if wanted.text:
            pattern = f"%{_escape_like(wanted.text.lower())}%"
            query = query.where(
                exists().where(
                    Message.conversation_id == Handoff.conversation_id,
                    func.lower(Message.text).like(pattern, escape="\\"),
                )
            )
        query = query.order_by(Handoff.closed_at.desc(), Handoff.id.desc()).limit(RESULT_LIMIT + 1)
        async with self._sessions() as session:
            rows = list((await session.scalars(query)).unique())
        return rows[:RESULT_LIMIT], len(rows) > RESULT_LIMIT
