"""Counting one range of days from the live tables: what the daily job stores and what
the dashboard shows for days not yet stored (today).

Only counts leave this module: per day (Berlin), channel, metric and key. The person's
texts are never read; of the bot's texts only those carrying a registration link.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Conversation, Feedback, Handoff, Message
from bot.events.timeexpr import BERLIN
from bot.kb.taxonomy import load_taxonomy

# metrics of impact_daily (key in brackets)
CONVERSATIONS = "conversations"
MESSAGES = "messages"  # (sender)
ANSWERED = "answered"  # an answer from the knowledge base
UNANSWERED = "unanswered"  # no reliable answer
FEEDBACK = "feedback"  # ("helpful" or "not_helpful")
TOPIC = "topic"  # (topic id)
TRADE_GROUP = "trade_group"  # (trade group id)
GUIDE = "guide"  # (guide id)
EVENT = "event"  # an event recommended (event id)
RECOMMENDED = "recommended"  # events recommended, all together
HANDOFF = "handoff"  # ("live" or "callback")
RATING = "rating"  # ("1" … "5")
# metrics with many keys: read as top lists over a range, summed per month too
TOP_METRICS = (TOPIC, TRADE_GROUP, GUIDE, EVENT)
# metrics read per day as series (a handful of keys each)
SERIES_METRICS = (
    CONVERSATIONS, MESSAGES, ANSWERED, UNANSWERED, FEEDBACK, RECOMMENDED, HANDOFF, RATING
)  # fmt: skip
# kinds of impact_durations
CLAIM = "claim"
CALLBACK = "callback"

CALLBACK_STATES = ("callback_open", "callback_done")
EVENT_LINK = re.compile(r"/(?:r|veranstaltungen)/([a-z0-9][a-z0-9_-]*)", re.IGNORECASE)
BATCH = 5000

Key = tuple[date, str, str, str]  # day, channel, metric, key
DurationKey = tuple[date, str, str, int]  # day, channel, kind, seconds


@dataclass
class DayCounts:
    """Counts of a range of days."""

    counts: Counter[Key] = field(default_factory=Counter)
    durations: Counter[DurationKey] = field(default_factory=Counter)


def day_start(day: date) -> datetime:
    """Midnight in Berlin at the start of `day`."""
    return datetime.combine(day, time(), BERLIN)


def day_of(moment: datetime) -> date:
    """The Berlin day of a moment."""
    return moment.astimezone(BERLIN).date()


def coarse(seconds: float) -> int:
    """A duration rounded to 10 s below ten minutes, to a minute below two hours and
    to ten minutes above (fewer stored rows; medians stay accurate to the minute)."""
    step = 10 if seconds < 600 else 60 if seconds < 7200 else 600
    return max(0, round(seconds / step) * step)


def answer_keys(custom: dict[str, Any]) -> list[tuple[str, str]]:
    """(metric, key) pairs one bot message counts for."""
    found: list[tuple[str, str]] = []
    answer = custom.get("answer")
    if isinstance(answer, dict):
        found.append((ANSWERED, ""))
        if answer.get("guide_id"):
            found.append((GUIDE, str(answer["guide_id"])[:120]))
        found += [(TOPIC, str(topic)[:120]) for topic in answer.get("topics") or []]
        group = load_taxonomy().group_of(str(answer.get("trade") or ""))
        if group:
            found.append((TRADE_GROUP, group))
    if "no_answer" in custom:
        found.append((UNANSWERED, ""))
    return found


def event_ids(text: str | None, custom: dict[str, Any]) -> set[str]:
    """Events a bot message recommends: its links to event pages and registrations."""
    links = " ".join(str(link.get("url", "")) for link in custom.get("links") or [])
    return {match.lower()[:120] for match in EVENT_LINK.findall(f"{text or ''} {links}")}


async def _messages(session: AsyncSession, start: datetime, end: datetime, into: DayCounts) -> None:
    """Messages per sender; answers, topics, guides, trade groups and events of the bot."""
    # the bot's text only where it may carry a registration link; never the person's
    bot_text = case(
        (and_(Message.sender == "bot", Message.text.contains("/r/")), Message.text), else_=None
    )
    query = (
        select(Message.created_at, Message.sender, Message.custom, bot_text, Conversation.channel)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.created_at >= start, Message.created_at < end)
        .execution_options(yield_per=BATCH)
    )
    counts = into.counts
    result = await session.stream(query)
    async for rows in result.partitions():
        for created, sender, custom, text, channel in rows:
            day = day_of(created)
            counts[day, channel, MESSAGES, sender] += 1
            if sender != "bot" or not (custom or text):
                continue
            for metric, key in answer_keys(custom or {}):
                counts[day, channel, metric, key] += 1
            for event in event_ids(text, custom or {}):
                counts[day, channel, EVENT, event] += 1
                counts[day, channel, RECOMMENDED, ""] += 1


async def _conversations(
    session: AsyncSession, start: datetime, end: datetime, into: DayCounts
) -> None:
    query = select(Conversation.created_at, Conversation.channel).where(
        Conversation.created_at >= start, Conversation.created_at < end
    )
    for created, channel in await session.execute(query):
        into.counts[day_of(created), channel, CONVERSATIONS, ""] += 1


async def _feedback(session: AsyncSession, start: datetime, end: datetime, into: DayCounts) -> None:
    query = (
        select(Feedback.created_at, Feedback.helpful, Conversation.channel)
        .join(Conversation, Conversation.id == Feedback.conversation_id)
        .where(Feedback.created_at >= start, Feedback.created_at < end)
    )
    for created, helpful, channel in await session.execute(query):
        key = "helpful" if helpful else "not_helpful"
        into.counts[day_of(created), channel, FEEDBACK, key] += 1


def _within(column: Any, start: datetime, end: datetime) -> Any:
    return and_(column >= start, column < end)


async def _handoffs(session: AsyncSession, start: datetime, end: datetime, into: DayCounts) -> None:
    """Handoffs on the day they were queued (live or callback), the wait until an
    advisor took a live chat on the day of the claim, the time until a callback and
    the rating on the day it was given."""
    query = select(
        Handoff.channel,
        Handoff.status,
        Handoff.queued_at,
        Handoff.claimed_at,
        Handoff.closed_at,
        Handoff.rating,
        Handoff.rated_at,
    ).where(
        or_(
            _within(Handoff.queued_at, start, end),
            _within(Handoff.claimed_at, start, end),
            _within(Handoff.closed_at, start, end),
            _within(Handoff.rated_at, start, end),
        )
    )
    counts, durations = into.counts, into.durations
    rows = await session.execute(query)
    for channel, status, queued, claimed, closed, rating, rated in rows:
        callback = status in CALLBACK_STATES
        if queued is not None and start <= queued < end:
            counts[day_of(queued), channel, HANDOFF, CALLBACK if callback else "live"] += 1
        if claimed is not None and queued is not None and start <= claimed < end and not callback:
            seconds = coarse((claimed - queued).total_seconds())
            durations[day_of(claimed), channel, CLAIM, seconds] += 1
        if rated is not None and start <= rated < end and rating is not None and 1 <= rating <= 5:
            counts[day_of(rated), channel, RATING, str(rating)] += 1
        if status == "callback_done" and queued and closed and start <= closed < end:
            seconds = coarse((closed - queued).total_seconds())
            durations[day_of(closed), channel, CALLBACK, seconds] += 1


async def collect(session: AsyncSession, first: date, last: date) -> DayCounts:
    """The counts of the days `first` to `last` (Berlin, inclusive)."""
    start, end = day_start(first), day_start(last + timedelta(days=1))
    found = DayCounts()
    await _conversations(session, start, end, found)
    await _messages(session, start, end, found)
    await _feedback(session, start, end, found)
    await _handoffs(session, start, end, found)
    return found
