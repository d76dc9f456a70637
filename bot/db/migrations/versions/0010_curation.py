"""The editors' curation queue: groups of similar questions, their masked occurrences
and the editors' comments.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _advisor() -> sa.Column[int]:
    return sa.Column(
        "advisor_id", sa.Integer(), sa.ForeignKey("advisors.id", ondelete="SET NULL"), nullable=True
    )


def _group() -> sa.Column[int]:
    return sa.Column(
        "group_id",
        sa.Integer(),
        sa.ForeignKey("curation_groups.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "curation_groups",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "assignee_id",
            sa.Integer(),
            sa.ForeignKey("advisors.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("guide_id", sa.String(100), nullable=True),
    )
    op.create_index("ix_curation_groups_status", "curation_groups", ["status"])
    op.create_index("ix_curation_groups_last_seen", "curation_groups", ["last_seen"])
    op.create_table(
        "curation_items",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _group(),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("guide_id", sa.String(100), nullable=True),
        sa.Column("section", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column(
            "conversation_id",
            sa.String(32),
            sa.ForeignKey("conversations.id", ondelete="SET NULL"),
            nullable=True,
        ),
    )
    op.create_index("ix_curation_items_group_id", "curation_items", ["group_id"])
    op.create_index("ix_curation_items_conversation_id", "curation_items", ["conversation_id"])
    op.create_table(
        "curation_comments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _group(),
        _advisor(),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_curation_comments_group_id", "curation_comments", ["group_id"])


def downgrade() -> None:
    op.drop_table("curation_comments")
    op.drop_table("curation_items")
    op.drop_table("curation_groups")
