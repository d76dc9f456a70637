"""Tables of the messenger channels: identities, inbound dedup, outbox, button ids.

Every row belongs to a conversation and goes with it (ON DELETE CASCADE): retention
and erasure need nothing of their own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models import Base, UTCDateTime, utcnow


class ChannelIdentity(Base):
    """A person's address on a messenger: only hashed (lookup) and encrypted (sending).

    `kind` is "wa_id" (phone number), "bsuid" (WhatsApp business-scoped user id) or
    "tg_chat" (Telegram chat id). One WhatsApp user may have a wa_id and a BSUID; both
    rows point to the same conversation.
    """

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "ref_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))
    ref_hash: Mapped[str] = mapped_column(String(64))
    ref_enc: Mapped[str] = mapped_column(Text)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InboundEvent(Base):
    """One webhook event, stored before the webhook is answered; the unique key makes
    a platform's retry a no-op. `status`: stored, processed, ignored or failed."""

    __tablename__ = "inbound_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    conversation_id: Mapped[str | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), nullable=True, index=True
    )
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), nullable=True
    )
    # the Rasa payload of a tapped button, and what the processing needs besides
    payload: Mapped[str | None] = mapped_column(Text, nullable=True)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxRow(Base):
    """A message waiting for (or done with) delivery to a messenger; written in the
    same transaction as the message. Rendered when sent, so it never holds an address.

    `status`: queued, sending, sent, delivered, read, failed, needs_template or dead.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(15), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    provider_id: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    last_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ButtonRef(Base):
    """A button as a messenger sees it: a short opaque token for the Rasa payload."""

    __tablename__ = "button_refs"

    token: Mapped[str] = mapped_column(String(16), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
