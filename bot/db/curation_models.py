"""Tables of the editors' curation queue (bot/curation/).

Items hold masked question text only. Their link to the conversation serves to count a
question once per conversation; ON DELETE SET NULL drops it when the conversation is
erased or expires, and the items stay, masked and unlinked (docs/privacy.md).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models import Base, UTCDateTime, utcnow


class CurationGroup(Base):
    """Similar questions werkbot could not answer well, as one task for the editors."""

    __tablename__ = "curation_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # open, assigned, linked, dismissed or resolved
    status: Mapped[str] = mapped_column(String(12), index=True, default="open")
    # the first question (masked): what later questions are compared with
    question: Mapped[str] = mapped_column(Text)
    count: Mapped[int] = mapped_column(Integer, default=1)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisors.id", ondelete="SET NULL"), nullable=True
    )
    guide_id: Mapped[str | None] = mapped_column(String(100), nullable=True)


class CurationItem(Base):
    """One occurrence: a masked question, why it is here, and the answer it got."""

    __tablename__ = "curation_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("curation_groups.id", ondelete="CASCADE"), index=True
    )
    # no_answer, not_helpful, handoff_no_answer, handoff_not_helpful or out_of_scope
    kind: Mapped[str] = mapped_column(String(24))
    question: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the answer marked "Hat nicht geholfen": its guide, section and text
    guide_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    section: Mapped[int | None] = mapped_column(Integer, nullable=True)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    # never shown; dropped with the conversation (see the module docstring)
    conversation_id: Mapped[str | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), nullable=True, index=True
    )


class CurationComment(Base):
    """An editor's comment on a group (also the record of a proposed guide change)."""

    __tablename__ = "curation_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("curation_groups.id", ondelete="CASCADE"), index=True
    )
    advisor_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisors.id", ondelete="SET NULL"), nullable=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
