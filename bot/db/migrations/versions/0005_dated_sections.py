"""Guide sections valid from or until a day.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "kb_sections" not in sa.inspect(op.get_bind()).get_table_names():
        return  # a database adopted from before migrations, without the guides' tables
    with op.batch_alter_table("kb_sections") as table:
        table.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
        table.add_column(sa.Column("valid_until", sa.Date(), nullable=True))


def downgrade() -> None:
    if "kb_sections" not in sa.inspect(op.get_bind()).get_table_names():
        return
    with op.batch_alter_table("kb_sections") as table:
        table.drop_column("valid_until")
        table.drop_column("valid_from")
