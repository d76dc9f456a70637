"""A small seed with exactly known counts: two days, two channels, a Berlin midnight."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Conversation, Feedback, Handoff, Message
from bot.events.timeexpr import BERLIN

DAY_A = date(2026, 11, 2)
DAY_B = date(2026, 11, 3)
QUESTION = "Brauche ich als Bäcker in Halle eine TSE? Ich bin Jana Beispiel, 0345 123456"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment in Berlin."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def message(conversation: str, when: datetime, sender: str, text: str, **custom: Any) -> Message:
    """A stored message (custom payload from keywords)."""
    return Message(
        conversation_id=conversation,
        sender=sender,
        text=text,
        custom=custom or None,
        created_at=when,
    )


async def seed(sessions: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    """Two days, two channels, answers, feedback, an event and two handoffs; the ids."""
    web, telegram = uuid.uuid4().hex, uuid.uuid4().hex
    answer = {"guide_id": "kasse-tse", "section": 1, "score": 9.1, "topics": ["kasse_tse"]}
    async with sessions.begin() as session:
        session.add(Conversation(id=web, channel="web", created_at=at(DAY_A, 10)))
        # 23:30 in Berlin is still day A; its answer after midnight belongs to day B
        session.add(Conversation(id=telegram, channel="telegram", created_at=at(DAY_A, 23, 30)))
        await session.flush()
        rows = [
            message(web, at(DAY_A, 10), "user", QUESTION),
            message(
                web,
                at(DAY_A, 10, 1),
                "bot",
                "Ja.",
                answer={**answer, "question": QUESTION, "trade": "baecker"},
            ),
            message(web, at(DAY_A, 10, 2), "user", "Und was ist mit Drohnen?"),
            message(web, at(DAY_A, 10, 3), "bot", "Keine Antwort.", no_answer={"question": "x"}),
            message(
                web,
                at(DAY_A, 10, 4),
                "bot",
                "Webinar\nAnmeldung: http://127.0.0.1:8080/r/webinar-1 · kostenlos",
                links=[{"url": "http://127.0.0.1:8080/veranstaltungen/webinar-1", "title": "W"}],
            ),
            message(telegram, at(DAY_A, 23, 30), "user", "Wie schreibe ich eine E-Rechnung?"),
            message(
                telegram,
                at(DAY_B, 0, 10),
                "bot",
                "So.",
                answer={
                    "guide_id": "e-rechnung",
                    "section": 2,
                    "score": 7.0,
                    "topics": ["e_rechnung", "foerderung"],
                },
            ),
        ]
        session.add_all(rows)
        await session.flush()
        session.add(
            Feedback(
                message_id=rows[1].id,
                conversation_id=web,
                helpful=True,
                created_at=at(DAY_A, 10, 5),
            )
        )
        session.add(
            Feedback(
                message_id=rows[6].id,
                conversation_id=telegram,
                helpful=False,
                created_at=at(DAY_B, 0, 11),
            )
        )
        session.add(
            Handoff(
                ticket="HK-LIVE-1",
                conversation_id=web,
                channel="web",
                status="closed",
                reason="request_human",
                summary=QUESTION,
                contact_name="Jana Beispiel",
                created_at=at(DAY_A, 10, 55),
                queued_at=at(DAY_A, 11),
                claimed_at=at(DAY_A, 11, 5),
                closed_at=at(DAY_A, 11, 20),
                rating=5,  # the rating button pressed the next morning
                rated_at=at(DAY_B, 7, 30),
            )
        )
        session.add(
            Handoff(
                ticket="HK-CALL-1",
                conversation_id=telegram,
                channel="telegram",
                status="callback_done",
                reason="no_answer",
                contact="0345 123456",
                created_at=at(DAY_A, 11, 55),
                queued_at=at(DAY_A, 12),
                closed_at=at(DAY_B, 9),
            )
        )
    return {"web": web, "telegram": telegram}


# what the seed above counts to: (day, channel, metric, key) -> value
EXPECTED = {
    (DAY_A, "web", "conversations", ""): 1,
    (DAY_A, "telegram", "conversations", ""): 1,
    (DAY_A, "web", "messages", "user"): 2,
    (DAY_A, "web", "messages", "bot"): 3,
    (DAY_A, "web", "answered", ""): 1,
    (DAY_A, "web", "guide", "kasse-tse"): 1,
    (DAY_A, "web", "topic", "kasse_tse"): 1,
    (DAY_A, "web", "trade_group", "lebensmittel"): 1,
    (DAY_A, "web", "unanswered", ""): 1,
    (DAY_A, "web", "event", "webinar-1"): 1,
    (DAY_A, "web", "recommended", ""): 1,
    (DAY_A, "web", "feedback", "helpful"): 1,
    (DAY_A, "telegram", "messages", "user"): 1,
    (DAY_A, "web", "handoff", "live"): 1,
    (DAY_A, "telegram", "handoff", "callback"): 1,
    (DAY_B, "telegram", "messages", "bot"): 1,
    (DAY_B, "telegram", "answered", ""): 1,
    (DAY_B, "telegram", "guide", "e-rechnung"): 1,
    (DAY_B, "telegram", "topic", "e_rechnung"): 1,
    (DAY_B, "telegram", "topic", "foerderung"): 1,
    (DAY_B, "telegram", "feedback", "not_helpful"): 1,
    (DAY_B, "web", "rating", "5"): 1,
}
EXPECTED_DURATIONS = {
    (DAY_A, "web", "claim", 300): 1,
    (DAY_B, "telegram", "callback", 21 * 3600): 1,
}
