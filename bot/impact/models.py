"""Tables of the dashboard: counts per day, never a conversation id or a text.

Also indexes on the live tables: today's figures and the aggregation job read
messages, conversations and feedback by time.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models import Base, Conversation, Feedback, Message, UTCDateTime, utcnow

Index("ix_messages_created_at", Message.created_at)
Index("ix_conversations_created_at", Conversation.created_at)
Index("ix_feedback_created_at", Feedback.created_at)


class ImpactDaily(Base):
    """How often something happened on one day (Berlin) in one channel: `metric` with
    a `key` such as a topic, guide, event id or sender ("" if none)."""

    __tablename__ = "impact_daily"
    # the series (few metrics) from the index alone, without the keyed rows of top lists
    __table_args__ = (
        Index("ix_impact_daily_metric_day", "metric", "day", "channel", "key", "value"),
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    metric: Mapped[str] = mapped_column(String(30), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class ImpactMonthly(Base):
    """The keyed counts of `impact_daily` (topics, guides, trade groups, events) summed
    per month of stored days: top lists over a year read a twelfth of the rows."""

    __tablename__ = "impact_monthly"

    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    metric: Mapped[str] = mapped_column(String(30), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class ImpactDuration(Base):
    """How many handoffs of one kind ("claim": live chat until an advisor took it,
    "callback": request until the call) took `seconds` on one day in one channel."""

    __tablename__ = "impact_durations"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    seconds: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class ImpactHit(Base):
    """Clicks counted as they happen: "registration" (an event's registration link
    through /r/<id>) and "case_view" (a page /praxis/<id>); per channel the link was
    sent in ("" for links from pages and from before 0013); nothing about the visitor."""

    __tablename__ = "impact_hits"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True, default="")
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class ImpactDay(Base):
    """A day whose counts are in `impact_daily` and `impact_durations` (finished)."""

    __tablename__ = "impact_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    aggregated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
