"""Handoffs, notes and the feedback history in the database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import (
    Advisor,
    Conversation,
    Feedback,
    Handoff,
    HandoffNote,
    Message,
    utcnow,
)
from bot.handoff.states import Status
from bot.handoff.tickets import new_ticket

# the intake (consent, summary, callback form) and the live chat
INTAKE = (Status.CONSENT, Status.SUMMARY, Status.CALLBACK)
LIVE = (Status.WAITING, Status.ACTIVE)
OPEN = (*INTAKE, *LIVE)
ENDED = (Status.CLOSED, Status.HANDED_BACK, Status.CANCELLED, Status.CALLBACK_DONE)
# a callback e-mail is given up (and flagged in the console) after this many failures
MAX_EMAIL_ATTEMPTS = 8
RECENT_CLOSED = 20


class HandoffStore:
    """Reads and writes handoffs; every state change is one conditional UPDATE."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def create(self, conversation_id: str, channel: str, **values: Any) -> Handoff:
        """A new handoff in the consent step, with a unique ticket number."""
        for _attempt in range(5):
            try:
                async with self._sessions.begin() as session:
                    row = Handoff(
                        ticket=new_ticket(),
                        conversation_id=conversation_id,
                        channel=channel,
                        status=Status.CONSENT,
                        created_at=utcnow(),
                        **values,
                    )
                    session.add(row)
                    await session.flush()
                    handoff_id = row.id
            except IntegrityError:
                continue  # ticket collision: draw again
            return await self.require(handoff_id)
        raise RuntimeError("no free ticket number")

    async def get(self, handoff_id: int) -> Handoff | None:
        """One handoff with its advisor."""
        async with self._sessions() as session:
            return await session.get(Handoff, handoff_id)

    async def require(self, handoff_id: int) -> Handoff:
        """One handoff that must exist."""
        row = await self.get(handoff_id)
        if row is None:
            raise LookupError(handoff_id)
        return row

    async def by_ticket(self, ticket: str) -> Handoff | None:
        """The handoff with this ticket number."""
        async with self._sessions() as session:
            return await session.scalar(select(Handoff).where(Handoff.ticket == ticket))

    async def open_for(self, conversation_id: str) -> Handoff | None:
        """The conversation's running handoff (intake or live), if any."""
        async with self._sessions() as session:
            return await session.scalar(
                select(Handoff)
                .where(Handoff.conversation_id == conversation_id, Handoff.status.in_(OPEN))
                .order_by(Handoff.id.desc())
                .limit(1)
            )

    async def latest_for(self, conversation_id: str) -> Handoff | None:
        """The conversation's newest handoff, whatever its state."""
        async with self._sessions() as session:
            return await session.scalar(
                select(Handoff)
                .where(Handoff.conversation_id == conversation_id)
                .order_by(Handoff.id.desc())
                .limit(1)
            )

    async def transition(
        self,
        handoff_id: int,
        from_statuses: Iterable[str],
        *,
        claimant: int | None = None,
        **values: Any,
    ) -> Handoff | None:
        """Apply `values` if the handoff is in one of `from_statuses` (and, when
        `claimant` is given, unclaimed or claimed by that advisor); None otherwise."""
        condition = [Handoff.id == handoff_id, Handoff.status.in_(tuple(from_statuses))]
        if claimant is not None:
            condition.append((Handoff.advisor_id.is_(None)) | (Handoff.advisor_id == claimant))
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(Handoff).where(*condition).values(**values).returning(Handoff.id)
            )
            changed = result.scalar_one_or_none()
        return await self.get(handoff_id) if changed is not None else None

    async def position(self, handoff: Handoff) -> int:
        """1-based place of a waiting handoff in the live queue."""
        async with self._sessions() as session:
            ahead = await session.scalar(
                select(func.count())
                .select_from(Handoff)
                .where(Handoff.status == Status.WAITING, Handoff.queued_at < handoff.queued_at)
            )
        return int(ahead or 0) + 1

    async def waiting_after(self, queued_at: datetime) -> list[Handoff]:
        """Waiting handoffs queued after `queued_at`, in queue order."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(Handoff)
                .where(Handoff.status == Status.WAITING, Handoff.queued_at > queued_at)
                .order_by(Handoff.queued_at)
            )
            return list(rows.unique())

    async def queue(self) -> dict[str, list[Handoff]]:
        """Waiting chats, open callbacks, active chats and the latest ended ones."""
        async with self._sessions() as session:

            async def of(statuses: tuple[str, ...], newest_first: bool = False) -> list[Handoff]:
                order = Handoff.closed_at.desc() if newest_first else Handoff.queued_at
                rows = await session.scalars(
                    select(Handoff)
                    .where(Handoff.status.in_(statuses))
                    .order_by(order, Handoff.id)
                    .limit(RECENT_CLOSED if newest_first else 500)
                )
                return list(rows.unique())

            return {
                "waiting": await of((Status.WAITING,)),
                "callbacks": await of((Status.CALLBACK_OPEN,)),
                "active": await of((Status.ACTIVE,)),
                "closed": await of(ENDED, newest_first=True),
            }

    async def add_note(self, handoff_id: int, advisor_id: int, text: str) -> HandoffNote:
        """Store an internal note."""
        async with self._sessions.begin() as session:
            note = HandoffNote(
                handoff_id=handoff_id, advisor_id=advisor_id, text=text, created_at=utcnow()
            )
            session.add(note)
            return note

    async def notes(self, handoff_id: int) -> list[tuple[HandoffNote, str]]:
        """Notes of a handoff with the author's display name, oldest first."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(HandoffNote, Advisor.display_name)
                .outerjoin(Advisor, Advisor.id == HandoffNote.advisor_id)
                .where(HandoffNote.handoff_id == handoff_id)
                .order_by(HandoffNote.id)
            )
            return [(note, name or "") for note, name in rows.all()]

    async def messages(self, conversation_id: str) -> list[Message]:
        """The whole conversation, bot part included."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id)
                .order_by(Message.id)
            )
            return list(rows)

    async def last_from_people(self, conversation_ids: Iterable[str]) -> dict[str, Message]:
        """The newest message of the person (sender "user") per conversation."""
        ids = list(set(conversation_ids))
        if not ids:
            return {}
        newest = (
            select(func.max(Message.id))
            .where(Message.conversation_id.in_(ids), Message.sender == "user")
            .group_by(Message.conversation_id)
        )
        async with self._sessions() as session:
            rows = await session.scalars(select(Message).where(Message.id.in_(newest)))
            return {row.conversation_id: row for row in rows}

    async def conversation(self, conversation_id: str) -> Conversation | None:
        """The conversation row (channel, last message of the person, reachability)."""
        async with self._sessions() as session:
            return await session.get(Conversation, conversation_id)

    async def feedback(self, conversation_id: str) -> list[Feedback]:
        """Feedback given in the conversation, oldest first."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(Feedback)
                .where(Feedback.conversation_id == conversation_id)
                .order_by(Feedback.id)
            )
            return list(rows)

    async def not_helpful_streak(self, conversation_id: str) -> int:
        """How many of the latest feedbacks in a row were "Hat nicht geholfen"."""
        streak = 0
        for item in reversed(await self.feedback(conversation_id)):
            if item.helpful:
                break
            streak += 1
        return streak

    async def unsent_callbacks(self, now: datetime, max_attempts: int) -> list[Handoff]:
        """Callback requests whose e-mail is due: not sent, not given up, not waiting
        for its next try."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(Handoff).where(
                    Handoff.status.in_((Status.CALLBACK_OPEN, Status.CALLBACK_DONE)),
                    Handoff.email_sent_at.is_(None),
                    Handoff.email_attempts < max_attempts,
                    (Handoff.email_next_at.is_(None)) | (Handoff.email_next_at <= now),
                )
            )
            return list(rows.unique())

    async def claim_email(self, handoff_id: int, now: datetime, stale: datetime) -> bool:
        """Take the e-mail of a handoff for sending; False if it went out already or
        another sender holds it (since after `stale`)."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(Handoff)
                .where(
                    Handoff.id == handoff_id,
                    Handoff.email_sent_at.is_(None),
                    (Handoff.email_claimed_at.is_(None)) | (Handoff.email_claimed_at < stale),
                )
                .values(email_claimed_at=now)
                .returning(Handoff.id)
            )
            return result.scalar_one_or_none() is not None

    async def email_failed(self, handoff_id: int, next_at: datetime) -> None:
        """Count a failed send, release the claim and set the next try."""
        async with self._sessions.begin() as session:
            await session.execute(
                update(Handoff)
                .where(Handoff.id == handoff_id)
                .values(
                    email_attempts=Handoff.email_attempts + 1,
                    email_next_at=next_at,
                    email_claimed_at=None,
                )
            )
