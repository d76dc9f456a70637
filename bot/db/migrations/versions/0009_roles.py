"""Roles of console accounts: beratung, redaktion, admin.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("advisors") as table:
        table.add_column(
            sa.Column("roles", sa.JSON(), nullable=False, server_default='["beratung"]')
        )
    # admins keep what they could do: everything
    op.execute("UPDATE advisors SET roles = '[\"admin\"]' WHERE admin")


def downgrade() -> None:
    with op.batch_alter_table("advisors") as table:
        table.drop_column("roles")
