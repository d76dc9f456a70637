"""SQLAlchemy models of conversations and their messages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Current time, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite keeps no offset and
    hands back naive values; they are UTC because only UTC is written)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store in UTC."""
        return value.astimezone(UTC) if value is not None and value.tzinfo else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Read back as aware UTC."""
        if value is None or value.tzinfo:
            return value
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base of all werkbot tables."""


class Conversation(Base):
    """One conversation of one person on one channel; its id is Rasa's sender id."""

    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), default="web")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # messengers: the person's last message (WhatsApp's 24-hour window) and since when
    # the platform refuses delivery (the person blocked the bot)
    last_inbound_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    unreachable_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id"
    )


class Message(Base):
    """A message by the person (`user`), the bot (`bot`) or the gateway (`system`)."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "client_id", name="uq_messages_conversation_client_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    sender: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text, default="")
    buttons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON, nullable=True)
    custom: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # outbound only: queued, sent, delivered, read, failed or needs_template
    delivery_status: Mapped[str | None] = mapped_column(String(15), nullable=True)
    delivery_error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # the widget's own id of a person's message: a resend after a lost ack is stored once
    client_id: Mapped[str | None] = mapped_column(String(40), nullable=True)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class KbGuide(Base):
    """A guide of the knowledge base as loaded by `python -m bot kb load`."""

    __tablename__ = "kb_guides"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    topics: Mapped[list[str]] = mapped_column(JSON)
    trades: Mapped[list[str]] = mapped_column(JSON)
    summary: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[str]] = mapped_column(JSON)
    checked: Mapped[date] = mapped_column(Date)
    keywords: Mapped[list[str]] = mapped_column(JSON)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    sections: Mapped[list[KbSection]] = relationship(
        back_populates="guide", order_by="KbSection.number", cascade="all, delete-orphan"
    )


class KbSection(Base):
    """One `##` section of a guide."""

    __tablename__ = "kb_sections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    guide_id: Mapped[str] = mapped_column(
        ForeignKey("kb_guides.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(300))
    # with its dated blocks ({{valid_from …: …}}); shown resolved for the day
    text: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    guide: Mapped[KbGuide] = relationship(back_populates="sections")


class Feedback(Base):
    """ "Hat geholfen" / "Hat nicht geholfen" on one answer of the bot."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventRow(Base):
    """An event: a demo file of knowledge_base/events/ or an imported calendar entry."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    uid: Mapped[str] = mapped_column(String(300), unique=True)
    origin: Mapped[str] = mapped_column(String(10))  # "datei" or "ical"
    title: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(30))
    start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(300))
    region: Mapped[str] = mapped_column(String(20))
    topics: Mapped[list[str]] = mapped_column(JSON)
    trades: Mapped[list[str]] = mapped_column(JSON)
    registration_url: Mapped[str] = mapped_column(String(500))
    cost: Mapped[str] = mapped_column(String(100))
    organiser: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)


class Advisor(Base):
    """An advisor of the chamber who answers escalated conversations."""

    __tablename__ = "advisors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    salutation: Mapped[str] = mapped_column(String(10), default="")  # "Frau", "Herr" or ""
    email: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # an admin may read every claimed or ended handoff (not only their own)
    admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # "beratung", "redaktion", "admin" (bot/console/roles.py); `admin` mirrors the last
    roles: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["beratung"])
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AdvisorSession(Base):
    """A login of an advisor; the cookie holds the token, the table only its hash."""

    __tablename__ = "advisor_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    advisor_id: Mapped[int] = mapped_column(
        ForeignKey("advisors.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Handoff(Base):
    """One escalation of a conversation to the advisors: live chat or callback request."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket: Mapped[str] = mapped_column(String(20), unique=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20), default="web")
    status: Mapped[str] = mapped_column(String(20), index=True)
    # the question the intake asks next (summary or a field of the callback form)
    step: Mapped[str | None] = mapped_column(String(30), nullable=True)
    reason: Mapped[str] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(Text, default="")
    trade: Mapped[str | None] = mapped_column(String(100), nullable=True)
    topic: Mapped[str | None] = mapped_column(String(50), nullable=True)
    region: Mapped[str | None] = mapped_column(String(20), nullable=True)
    advisor_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisors.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    contact_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    business: Mapped[str | None] = mapped_column(String(150), nullable=True)
    contact: Mapped[str | None] = mapped_column(String(200), nullable=True)
    preferred_time: Mapped[str | None] = mapped_column(String(100), nullable=True)
    email_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # failed sends so far, when to try again, and since when a sender holds the mail
    email_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    email_next_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    email_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # a callback's result as the advisor recorded it: reached, not_reached, appointment
    callback_outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)
    advisor: Mapped[Advisor | None] = relationship(lazy="joined")


class HandoffNote(Base):
    """An advisor's internal note on a handoff; never shown to the person."""

    __tablename__ = "handoff_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoffs.id", ondelete="CASCADE"), index=True
    )
    advisor_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisors.id", ondelete="SET NULL"), nullable=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(Base):
    """Who read, exported or erased which handoff, and why; no personal data of the
    person (ids only: a handoff id stays meaningless once its conversation is erased)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # "console" (an advisor) or "cli" (the data protection officer's command)
    actor: Mapped[str] = mapped_column(String(10))
    advisor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(10))  # "read", "export" or "erase"
    handoff_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
