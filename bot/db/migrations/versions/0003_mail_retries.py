"""Callback e-mails: claimed before they are sent, retried with backoff, then flagged.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoffs") as table:
        table.add_column(
            sa.Column("email_attempts", sa.Integer(), nullable=False, server_default="0")
        )
        table.add_column(sa.Column("email_next_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("email_claimed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoffs") as table:
        table.drop_column("email_claimed_at")
        table.drop_column("email_next_at")
        table.drop_column("email_attempts")
