"""Audit log of transcript reads, exports and erasures; admin advisors.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(10), nullable=False),
        sa.Column("advisor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(20), nullable=True),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    with op.batch_alter_table("advisors") as table:
        table.add_column(
            sa.Column("admin", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("advisors") as table:
        table.drop_column("admin")
    op.drop_index("ix_audit_log_at", "audit_log")
    op.drop_table("audit_log")
