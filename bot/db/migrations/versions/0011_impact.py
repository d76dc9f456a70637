"""The dashboard "Wirkung": daily counts that outlive the conversations, monthly sums
of the top lists, and indexes to read messages, conversations and feedback by time.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "impact_daily",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("channel", sa.String(20), primary_key=True),
        sa.Column("metric", sa.String(30), primary_key=True),
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
    )
    op.create_index(
        "ix_impact_daily_metric_day",
        "impact_daily",
        ["metric", "day", "channel", "key", "value"],
    )
    op.create_table(
        "impact_monthly",
        sa.Column("month", sa.Date(), primary_key=True),
        sa.Column("channel", sa.String(20), primary_key=True),
        sa.Column("metric", sa.String(30), primary_key=True),
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False),
    )
    op.create_table(
        "impact_durations",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("channel", sa.String(20), primary_key=True),
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("seconds", sa.Integer(), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "impact_hits",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "impact_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("aggregated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_messages_created_at", "messages", ["created_at"])
    op.create_index("ix_conversations_created_at", "conversations", ["created_at"])
    op.create_index("ix_feedback_created_at", "feedback", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_feedback_created_at", "feedback")
    op.drop_index("ix_conversations_created_at", "conversations")
    op.drop_index("ix_messages_created_at", "messages")
    op.drop_index("ix_impact_daily_metric_day", "impact_daily")
    for table in ("impact_days", "impact_hits", "impact_durations", "impact_monthly"):
        op.drop_table(table)
    op.drop_table("impact_daily")
