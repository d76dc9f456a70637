"""Everything stored about one conversation, for the person's right of access."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Conversation, Feedback, Handoff, HandoffNote, Message
from bot.db.store import is_valid_conversation_id
from bot.privacy.tracker import TrackerEvents


def row_dict(row: object) -> dict[str, Any]:
    """A row's columns as JSON-ready values."""
    values = {}
    for column in inspect(row).mapper.column_attrs:
        value = getattr(row, column.key)
        values[column.key] = value.isoformat() if isinstance(value, datetime) else value
    return values


async def find_conversation(
    sessions: async_sessionmaker[AsyncSession], reference: str
) -> str | None:
    """The conversation of a conversation id or a handoff ticket ("HWK-…"), if stored."""
    reference = reference.strip()
    async with sessions() as session:
        if is_valid_conversation_id(reference):
            found = await session.get(Conversation, reference)
            return found.id if found else None
        return await session.scalar(
            select(Handoff.conversation_id).where(Handoff.ticket == reference)
        )


async def handoff_of(sessions: async_sessionmaker[AsyncSession], reference: str) -> int | None:
    """The id of the handoff whose ticket is `reference`, if it is one."""
    async with sessions() as session:
        return await session.scalar(select(Handoff.id).where(Handoff.ticket == reference.strip()))


async def export_conversation(
    sessions: async_sessionmaker[AsyncSession], tracker: TrackerEvents, conversation_id: str
) -> dict[str, Any] | None:
    """Conversation, messages, feedback, handoffs (callback data, rating, advisors'
    notes) and Rasa's events of `conversation_id`; None if it is not stored."""
    async with sessions() as session:
        conversation = await session.get(Conversation, conversation_id)
        if conversation is None:
            return None
        by_conversation = {
            "messages": Message.conversation_id,
            "feedback": Feedback.conversation_id,
            "handoffs": Handoff.conversation_id,
        }
        parts: dict[str, Any] = {"conversation": row_dict(conversation)}
        for name, column in by_conversation.items():
            rows = await session.scalars(
                select(column.class_).where(column == conversation_id).order_by("id")
            )
            parts[name] = [row_dict(row) for row in rows]
        handoff_ids = [handoff["id"] for handoff in parts["handoffs"]]
        notes = await session.scalars(
            select(HandoffNote).where(HandoffNote.handoff_id.in_(handoff_ids)).order_by("id")
        )
        parts["handoff_notes"] = [row_dict(note) for note in notes]
    for handoff in parts["handoffs"]:
        handoff.pop("advisor", None)
    parts["dialogue_state_events"] = await tracker.export(conversation_id)
    return parts
