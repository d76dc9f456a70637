"""The widget's own message ids: a resent message is stored once.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as table:
        table.add_column(sa.Column("client_id", sa.String(40), nullable=True))
        table.create_unique_constraint(
            "uq_messages_conversation_client_id", ["conversation_id", "client_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("messages") as table:
        table.drop_constraint("uq_messages_conversation_client_id", type_="unique")
        table.drop_column("client_id")
