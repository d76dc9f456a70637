"""Clicks and case views per channel: the links in the bot's messages name the
channel they were sent in (?via=telegram), so the dashboard's channel filter applies
to them too. Counts from before have no channel ("").

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _hits_table(name: str, with_channel: bool) -> None:
    channel = [sa.Column("channel", sa.String(20), primary_key=True)] if with_channel else []
    op.create_table(
        name,
        sa.Column("day", sa.Date(), primary_key=True),
        *channel,
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )


def upgrade() -> None:
    # a new primary key: copy into a new table (the same on SQLite and PostgreSQL)
    _hits_table("impact_hits_channels", with_channel=True)
    op.execute(
        'INSERT INTO impact_hits_channels (day, channel, kind, "key", count) '
        "SELECT day, '', kind, \"key\", count FROM impact_hits"
    )
    op.drop_table("impact_hits")
    op.rename_table("impact_hits_channels", "impact_hits")


def downgrade() -> None:
    _hits_table("impact_hits_total", with_channel=False)
    op.execute(
        'INSERT INTO impact_hits_total (day, kind, "key", count) '
        'SELECT day, kind, "key", SUM(count) FROM impact_hits GROUP BY day, kind, "key"'
    )
    op.drop_table("impact_hits")
    op.rename_table("impact_hits_total", "impact_hits")
