"""Reading and writing conversations and messages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels import MESSENGERS
from bot.db.channel_models import OutboxRow
from bot.db.models import Conversation, Feedback, KbGuide, Message, utcnow

# the outbox sends a new message when its turn is complete (nudged) or after this grace,
# so that the bubbles of one turn go out as one message
OUTBOX_GRACE = timedelta(seconds=5)


@dataclass(frozen=True)
class StoredMessage:
    """A message as it is kept and shown; `id` is None for notices that are not stored."""

    sender: str
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)
    custom: dict[str, Any] | None = None
    id: int | None = None
    created_at: datetime | None = None
    # a person's message from the widget: the widget's own id, to match its bubble
    client_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The form the widget receives."""
        return {
            "id": self.id,
            "client_id": self.client_id,
            "sender": self.sender,
            "text": self.text,
            "buttons": self.buttons,
            "custom": self.custom,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }


def _to_stored(row: Message) -> StoredMessage:
    return StoredMessage(
        id=row.id,
        sender=row.sender,
        text=row.text,
        buttons=list(row.buttons or []),
        custom=row.custom,
        created_at=row.created_at,
        client_id=row.client_id,
    )


def is_valid_conversation_id(value: str) -> bool:
    """Conversation ids are 32 lower-case hex characters (a UUID4 without dashes)."""
    return len(value) == 32 and all(c in "0123456789abcdef" for c in value)


class MessageStore:
    """Conversations and messages in the database."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def open_conversation(self, conversation_id: str | None, channel: str) -> str:
        """Return `conversation_id` if it is stored, else the id of a new conversation,
        which is stored with its first message (an opened widget keeps nothing)."""
        if conversation_id and is_valid_conversation_id(conversation_id):
            async with self._sessions() as session:
                existing = await session.get(Conversation, conversation_id)
                if existing is not None:
                    return existing.id
        return uuid.uuid4().hex

    async def add(
        self, conversation_id: str, message: StoredMessage, channel: str = "web"
    ) -> StoredMessage:
        """Store one message (and its conversation, if it is the first); return it
        with its id and time."""
        now = utcnow()
        async with self._sessions.begin() as session:
            conversation = await session.get(Conversation, conversation_id)
            if conversation is None:
                conversation = Conversation(id=conversation_id, channel=channel, created_at=now)
                session.add(conversation)
                await session.flush()
            conversation.updated_at = now
            row = Message(
                conversation_id=conversation_id,
                created_at=now,
                sender=message.sender,
                text=message.text,
                buttons=message.buttons or None,
                custom=message.custom,
                client_id=message.client_id,
            )
            session.add(row)
            await session.flush()
            if conversation.channel in MESSENGERS and message.sender != "user":
                # messengers deliver through the outbox (bot/channels/outbox.py); the row
                # comes in the same transaction: a stored message is never lost to delivery
                row.delivery_status = "queued"
                session.add(
                    OutboxRow(
                        conversation_id=conversation_id,
                        message_id=row.id,
                        channel=conversation.channel,
                        status="queued",
                        attempts=0,
                        next_attempt_at=now + OUTBOX_GRACE,
                        created_at=now,
                    )
                )
            return _to_stored(row)

    async def add_once(
        self, conversation_id: str, message: StoredMessage, channel: str = "web"
    ) -> tuple[StoredMessage, bool]:
        """Store a person's message unless one with its `client_id` is stored already (a
        resend after a lost acknowledgement); (the stored message, whether it is new)."""
        if message.client_id:
            async with self._sessions() as session:
                known = await session.scalar(
                    select(Message).where(
                        Message.conversation_id == conversation_id,
                        Message.client_id == message.client_id,
                    )
                )
                if known is not None:
                    return _to_stored(known), False
        try:
            return await self.add(conversation_id, message, channel), True
        except IntegrityError:  # the same resend on another instance won the race
            return await self.add_once(conversation_id, message, channel)

    async def set_delivery(self, message_ids: list[int], status: str) -> None:
        """Set the delivery state of outbound messages (the widget's; messengers' come
        from the outbox)."""
        async with self._sessions.begin() as session:
            await session.execute(
                update(Message).where(Message.id.in_(message_ids)).values(delivery_status=status)
            )

    async def mark_fetched(self, conversation_id: str) -> None:
        """The widget opened the conversation and got its history: what was held for it
        is delivered."""
        async with self._sessions.begin() as session:
            await session.execute(
                update(Message)
                .where(
                    Message.conversation_id == conversation_id, Message.delivery_status == "held"
                )
                .values(delivery_status="delivered")
            )

    async def history(self, conversation_id: str, limit: int = 200) -> list[StoredMessage]:
        """The last `limit` messages of a conversation, oldest first."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id)
                .order_by(Message.id.desc())
                .limit(limit)
            )
            return [_to_stored(row) for row in reversed(rows.all())]

    async def recent_offers(self, conversation_id: str, limit: int = 10) -> list[set[str]]:
        """The button payloads of the bot's last `limit` messages, newest first."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(Message.buttons)
                .where(Message.conversation_id == conversation_id, Message.sender != "user")
                .order_by(Message.id.desc())
                .limit(limit)
            )
            return [
                {
                    str(button["payload"])
                    for button in buttons or []
                    if isinstance(button, dict) and button.get("payload")
                }
                for buttons in rows
            ]

    async def add_feedback(self, conversation_id: str, helpful: bool) -> StoredMessage | None:
        """Attach feedback to the latest answer from the knowledge base; that answer."""
        async with self._sessions.begin() as session:
            rows = await session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id, Message.sender == "bot")
                .order_by(Message.id.desc())
                .limit(20)
            )
            answer = next((row for row in rows if (row.custom or {}).get("answer")), None)
            if answer is None:
                return None
            session.add(
                Feedback(message_id=answer.id, conversation_id=conversation_id, helpful=helpful)
            )
            return _to_stored(answer)

    async def guide_titles(self, guide_ids: list[str]) -> dict[str, str]:
        """Titles of loaded guides by id."""
        if not guide_ids:
            return {}
        async with self._sessions() as session:
            rows = await session.execute(
                select(KbGuide.id, KbGuide.title).where(KbGuide.id.in_(guide_ids))
            )
            return {guide_id: title for guide_id, title in rows.all()}
