"""Erasing conversations everywhere: after the retention period and on request.

A conversation is one person's data: the gateway's rows (conversation, messages,
feedback, handoffs with their callback data, ratings and notes, deleted together by
the foreign keys' ON DELETE CASCADE) and Rasa's tracker events under the same id.
What outlives it are the dashboard's counts (bot/impact/), stored before each purge.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Conversation, Handoff
from bot.handoff.store import OPEN
from bot.impact.aggregate import aggregate_finished
from bot.privacy.tracker import TrackerEvents

# a handoff in these states still needs its conversation, however old
STILL_NEEDED = (*OPEN, "callback_open")


async def purge_expired(
    sessions: async_sessionmaker[AsyncSession],
    tracker: TrackerEvents,
    cutoff: datetime,
    connected: Collection[str] = (),
) -> list[str]:
    """Erase every conversation whose last message and last handoff change are older
    than `cutoff`, unless a handoff is still open or the person is connected; the ids
    erased. A message written meanwhile keeps its conversation (checked in the delete).
    First the dashboard's daily counts of every finished day are stored (if that
    fails, nothing is erased)."""
    await aggregate_finished(sessions)
    recent_handoffs = select(Handoff.conversation_id).where(
        or_(Handoff.status.in_(STILL_NEEDED), Handoff.closed_at >= cutoff)
    )
    async with sessions.begin() as session:
        result = await session.execute(
            delete(Conversation)
            .where(
                Conversation.updated_at < cutoff,
                Conversation.id.not_in(recent_handoffs),
                Conversation.id.not_in(list(connected)),
            )
            .returning(Conversation.id)
        )
        erased = [str(row) for row in result.scalars()]
    await tracker.delete(erased)
    return erased


async def erase(
    sessions: async_sessionmaker[AsyncSession], tracker: TrackerEvents, conversation_id: str
) -> bool:
    """Erase one conversation everywhere, whatever its state; False if unknown."""
    async with sessions.begin() as session:
        result = await session.execute(
            delete(Conversation)
            .where(Conversation.id == conversation_id)
            .returning(Conversation.id)
        )
        found = result.first() is not None
    await tracker.delete([conversation_id])
    return found
