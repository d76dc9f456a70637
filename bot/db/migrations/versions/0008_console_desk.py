"""The advisors' desk: canned responses, transcript e-mails with consent, and the
outcome of a callback.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "canned_responses",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "advisor_id",
            sa.Integer(),
            sa.ForeignKey("advisors.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "transcript_mails",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "handoff_id",
            sa.Integer(),
            sa.ForeignKey("handoffs.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "advisor_id",
            sa.Integer(),
            sa.ForeignKey("advisors.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_transcript_mails_handoff_id", "transcript_mails", ["handoff_id"])
    with op.batch_alter_table("handoffs") as table:
        table.add_column(sa.Column("callback_outcome", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoffs") as table:
        table.drop_column("callback_outcome")
    op.drop_index("ix_transcript_mails_handoff_id", "transcript_mails")
    op.drop_table("transcript_mails")
    op.drop_table("canned_responses")
