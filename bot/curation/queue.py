"""Writing the curation queue: each question masked, then counted in the group of
similar questions (or a new one); once per conversation."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.curation.grouping import Vector, best_match, vector
from bot.curation.masking import mask
from bot.db.curation_models import CurationGroup, CurationItem
from bot.db.models import utcnow

KINDS = ("no_answer", "not_helpful", "handoff_no_answer", "handoff_not_helpful", "out_of_scope")
# a handoff after the same question in the same conversation replaces the first kind
UPGRADES = {"handoff_no_answer": "no_answer", "handoff_not_helpful": "not_helpful"}
MAX_QUESTION = 500
MAX_ANSWER = 1500
# the groups a new question is compared with: the most recently seen
CANDIDATES = 1000


def reopened(group: CurationGroup) -> str:
    """The status of a group that is worked on again: linked, assigned or open."""
    return "linked" if group.guide_id else "assigned" if group.assignee_id else "open"


@dataclass(frozen=True)
class Entry:
    """What the gateway reports: the person's question as typed (masked here), why it
    belongs in the queue, and for "Hat nicht geholfen" the answer given."""

    kind: str
    question: str
    channel: str
    conversation_id: str | None = None
    guide_id: str | None = None
    section: int | None = None
    answer: str | None = None


class CurationQueue:
    """Adds entries to the queue's groups."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        # the candidates' vectors by group and question (erasing a group's oldest
        # question changes its text; the old vector goes with the next match)
        self._vectors: dict[tuple[int, str], Vector] = {}

    async def add(self, entry: Entry) -> int | None:
        """Store `entry` masked in its group; the group's id (None if it is empty or a
        repeat within its conversation)."""
        question = " ".join(mask(entry.question).split())[:MAX_QUESTION]
        if not question or entry.kind not in KINDS:
            return None
        async with self._sessions.begin() as session:
            if entry.conversation_id and await self._repeat(session, entry, question):
                return None
            now = utcnow()
            candidates = await session.execute(
                select(CurationGroup.id, CurationGroup.question)
                .order_by(CurationGroup.last_seen.desc())
                .limit(CANDIDATES)
            )
            # in a thread: CPU work on up to CANDIDATES groups
            query, found = await asyncio.to_thread(self._match, question, candidates.all())
            group = None if found is None else await session.get(CurationGroup, found)
            if group is None:
                group = CurationGroup(
                    status="open", question=question, count=0, first_seen=now, last_seen=now
                )
                session.add(group)
                await session.flush()
                self._vectors[group.id, question] = query
            elif group.status == "resolved":
                group.status = reopened(group)  # asked again: the change did not help (yet)
            group.count += 1
            group.last_seen = now
            session.add(
                CurationItem(
                    group_id=group.id,
                    kind=entry.kind,
                    question=question,
                    channel=entry.channel[:20],
                    created_at=now,
                    guide_id=entry.guide_id,
                    section=entry.section,
                    answer=(entry.answer or "")[:MAX_ANSWER] or None,
                    conversation_id=entry.conversation_id,
                )
            )
            return group.id

    async def _repeat(self, session: AsyncSession, entry: Entry, question: str) -> bool:
        """True if the conversation reported this question already; a handoff after it
        turns the earlier item into a handoff item."""
        earlier = await session.scalar(
            select(CurationItem)
            .where(
                CurationItem.conversation_id == entry.conversation_id,
                CurationItem.question == question,
            )
            .order_by(CurationItem.id.desc())
            .limit(1)
        )
        if earlier is None:
            return False
        if UPGRADES.get(entry.kind) == earlier.kind:
            earlier.kind = entry.kind
        return True

    def _match(self, question: str, groups: Sequence[tuple[int, str]]) -> tuple[Vector, int | None]:
        """The question's vector and the id of the most similar group, if similar enough."""
        query = vector(question)
        known = self._vectors
        current = {(group_id, text): known.get((group_id, text)) for group_id, text in groups}
        self._vectors = {
            key: vector(key[1]) if found is None else found for key, found in current.items()
        }
        return query, best_match(
            query, ((group_id, self._vectors[group_id, text]) for group_id, text in groups)
        )
