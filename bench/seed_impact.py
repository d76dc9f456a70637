"""Seeding a PostgreSQL database with about a year of werkbot traffic for the impact
benchmark: conversations, messages, feedback and handoffs through COPY, day by day.

Realistic spread: ~13 months ending today, more traffic on weekdays and in the later
months, three channels, answers from real guide ids and topics, some questions without
an answer, event recommendations with the counting registration link, feedback on a
fifth of the answers, handoffs (live and callback) on a few conversations.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import asyncpg

from bot.best_practices import shipped_cases
from bot.events.schema import load_event_files
from bot.events.timeexpr import BERLIN
from bot.kb.guides import load_guides
from bot.kb.taxonomy import load_taxonomy

CHANNELS = (("web", 0.6), ("whatsapp", 0.25), ("telegram", 0.15))
# clicks: from links the bot sent in a channel, or from a page ("")
HIT_CHANNELS = ("web", "whatsapp", "telegram", "")
MESSAGES_PER_CONVERSATION = 8


@dataclass
class Catalogue:
    """What the seeded answers refer to: guides with topics, trades, events, cases."""

    guides: list[tuple[str, list[str]]]
    trades: list[str]
    events: list[str]
    cases: list[str]

    @classmethod
    def load(cls) -> Catalogue:
        guides = [(g.meta.id, list(g.meta.topics)) for g in load_guides()]
        return cls(
            guides,
            sorted(load_taxonomy().trades),
            [event.id for event in load_event_files()],
            [case.id for case in shipped_cases()],
        )


@dataclass
class Rows:
    """One day's rows, as COPY wants them."""

    conversations: list[tuple[Any, ...]] = field(default_factory=list)
    messages: list[tuple[Any, ...]] = field(default_factory=list)
    feedback: list[tuple[Any, ...]] = field(default_factory=list)
    handoffs: list[tuple[Any, ...]] = field(default_factory=list)
    hits: list[tuple[Any, ...]] = field(default_factory=list)


class Seeder:
    """Generates the days; message ids are assigned here so feedback can point at them."""

    def __init__(self, catalogue: Catalogue, total_messages: int, days: int, seed: int = 18):
        self.cat = catalogue
        self.rng = random.Random(seed)
        self.days = days
        self.next_id = 1
        self.tickets = 0
        # conversations per day: growing traffic, fewer at weekends
        weights = [
            (0.5 + day / days)
            * (0.4 if (date.today() - timedelta(days=days - day)).weekday() >= 5 else 1)
            for day in range(days)
        ]
        scale = total_messages / MESSAGES_PER_CONVERSATION / sum(weights)
        self.per_day = [max(1, round(w * scale)) for w in weights]

    def _custom(self, kind: float, trade: str | None) -> tuple[str, str | None]:
        rng, cat = self.rng, self.cat
        if kind < 0.7:
            guide, topics = rng.choice(cat.guides)
            answer = {"guide_id": guide, "section": rng.randint(1, 5), "topics": topics}
            answer |= {"score": round(rng.uniform(3, 20), 2), "trade": trade}
            return "Antwort aus dem Leitfaden …", json.dumps({"answer": answer})
        if kind < 0.85:
            return "Dazu habe ich keine verlässliche Antwort.", json.dumps({"no_answer": {}})
        if kind < 0.92:
            event = rng.choice(cat.events)
            text = f"Webinar\nAnmeldung: https://werkbot.example/r/{event} · kostenlos"
            link = {"url": f"https://werkbot.example/veranstaltungen/{event}", "title": "T"}
            return text, json.dumps({"links": [link]})
        return "Gern geschehen.", None

    def _conversation(self, rows: Rows, start: datetime) -> None:
        rng = self.rng
        cid = uuid.uuid4().hex
        channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        trade = rng.choice(self.cat.trades) if rng.random() < 0.5 else None
        when = start
        answers: list[tuple[int, datetime]] = []
        count = max(2, round(rng.gauss(MESSAGES_PER_CONVERSATION, 2)))
        for number in range(count):
            when += timedelta(seconds=rng.randint(5, 90))
            if number % 2 == 0:
                rows.messages.append((self.next_id, cid, "user", "Frage …", None, when))
            else:
                text, custom = self._custom(rng.random(), trade)
                rows.messages.append((self.next_id, cid, "bot", text, custom, when))
                if custom and '"answer"' in custom:
                    answers.append((self.next_id, when))
            self.next_id += 1
        rows.conversations.append((cid, channel, start, when))
        for message_id, at in answers:
            if rng.random() < 0.2:
                rows.feedback.append(
                    (message_id, cid, rng.random() < 0.75, at + timedelta(seconds=20))
                )
        if rng.random() < 0.04:
            self._handoff(rows, cid, channel, when)

    def _handoff(self, rows: Rows, cid: str, channel: str, when: datetime) -> None:
        rng = self.rng
        self.tickets += 1
        queued = when + timedelta(seconds=30)
        if rng.random() < 0.6:
            claimed = queued + timedelta(seconds=rng.randint(10, 900))
            closed = claimed + timedelta(minutes=rng.randint(3, 30))
            status = "closed"
        else:
            claimed, closed = None, queued + timedelta(minutes=rng.randint(20, 3000))
            status = "callback_done"
        rating = rng.randint(1, 5) if rng.random() < 0.5 else None
        rows.handoffs.append(
            (
                f"HK-B{self.tickets:07d}",
                cid,
                channel,
                status,
                "request_human",
                "",
                when,
                queued,
                claimed,
                closed,
                rating,
                None if rating is None else closed,
            )
        )

    def day_rows(self, number: int, now: datetime) -> Rows:
        """The rows of day `number` (0 = the first of the range)."""
        day = now.astimezone(BERLIN).date() - timedelta(days=self.days - 1 - number)
        rows = Rows()
        midnight = datetime.combine(day, time(), BERLIN)
        for _ in range(self.per_day[number]):
            start = midnight + timedelta(seconds=self.rng.randint(6 * 3600, 22 * 3600))
            if start < now:
                self._conversation(rows, start.astimezone(UTC))
        for event in self.rng.sample(self.cat.events, min(5, len(self.cat.events))):
            channel = self.rng.choice(HIT_CHANNELS)
            rows.hits.append((day, channel, "registration", event, self.rng.randint(1, 6)))
        for case in self.rng.sample(self.cat.cases, min(5, len(self.cat.cases))):
            channel = self.rng.choice(HIT_CHANNELS)
            rows.hits.append((day, channel, "case_view", case, self.rng.randint(1, 9)))
        return rows

    def all_days(self, now: datetime) -> Iterator[Rows]:
        """Every day of the range, oldest first."""
        for number in range(self.days):
            yield self.day_rows(number, now)


COLUMNS = {
    "conversations": ["id", "channel", "created_at", "updated_at"],
    "messages": ["id", "conversation_id", "sender", "text", "custom", "created_at"],
    "feedback": ["message_id", "conversation_id", "helpful", "created_at"],
    "handoffs": [
        "ticket",
        "conversation_id",
        "channel",
        "status",
        "reason",
        "summary",
        "created_at",
        "queued_at",
        "claimed_at",
        "closed_at",
        "rating",
        "rated_at",
    ],
    "impact_hits": ["day", "channel", "kind", "key", "count"],
}


async def seed(dsn: str, total_messages: int, days: int = 396) -> dict[str, int]:
    """Seed `dsn` (migrated, empty); the row counts written."""
    seeder = Seeder(Catalogue.load(), total_messages, days)
    now = datetime.now(UTC)
    written = dict.fromkeys(COLUMNS, 0)
    connection = await asyncpg.connect(dsn)
    try:
        batch = Rows()
        for rows in seeder.all_days(now):
            for name in ("conversations", "messages", "feedback", "handoffs", "hits"):
                getattr(batch, name).extend(getattr(rows, name))
            if len(batch.messages) >= 50_000:
                await _copy(connection, batch, written)
                batch = Rows()
        await _copy(connection, batch, written)
        await connection.execute("SELECT setval('messages_id_seq', (SELECT max(id) FROM messages))")
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return written


async def _copy(connection: asyncpg.Connection, batch: Rows, written: dict[str, int]) -> None:
    tables = {
        "conversations": batch.conversations,
        "messages": batch.messages,
        "feedback": batch.feedback,
        "handoffs": batch.handoffs,
        "impact_hits": batch.hits,
    }
    async with connection.transaction():
        for table, records in tables.items():
            if records:
                await connection.copy_records_to_table(
                    table, records=records, columns=COLUMNS[table]
                )
                written[table] += len(records)
