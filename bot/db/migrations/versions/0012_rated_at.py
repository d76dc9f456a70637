"""When a handoff was rated: a rating may come days after the conversation closed (a
rating button has no time limit), and the dashboard counts it on the day it came.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handoffs") as table:
        table.add_column(sa.Column("rated_at", sa.DateTime(timezone=True), nullable=True))
    # earlier ratings were counted on the day the conversation closed
    op.execute("UPDATE handoffs SET rated_at = closed_at WHERE rating IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("handoffs") as table:
        table.drop_column("rated_at")
