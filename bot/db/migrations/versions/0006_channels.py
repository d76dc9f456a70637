"""Messenger channels: identities, inbound dedup, outbox, button tokens, delivery status.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _conversation() -> sa.Column[str]:
    return sa.Column(
        "conversation_id",
        sa.String(32),
        sa.ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    with op.batch_alter_table("conversations") as table:
        table.add_column(sa.Column("last_inbound_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("unreachable_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("messages") as table:
        table.add_column(sa.Column("delivery_status", sa.String(15), nullable=True))
        table.add_column(sa.Column("delivery_error", sa.String(300), nullable=True))
    op.create_table(
        "channel_identities",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("ref_hash", sa.String(64), nullable=False),
        sa.Column("ref_enc", sa.Text(), nullable=False),
        _conversation(),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("channel", "ref_hash"),
    )
    op.create_index(
        "ix_channel_identities_conversation_id", "channel_identities", ["conversation_id"]
    )
    op.create_table(
        "inbound_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_key", sa.String(200), nullable=False, unique=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column(
            "conversation_id",
            sa.String(32),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column(
            "message_id",
            sa.Integer(),
            sa.ForeignKey("messages.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_inbound_events_conversation_id", "inbound_events", ["conversation_id"])
    op.create_index("ix_inbound_events_status", "inbound_events", ["status"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _conversation(),
        sa.Column(
            "message_id",
            sa.Integer(),
            sa.ForeignKey("messages.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("status", sa.String(15), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("provider_id", sa.String(200), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    for column in ("conversation_id", "message_id", "status", "provider_id"):
        op.create_index(f"ix_outbox_{column}", "outbox", [column])
    op.create_table(
        "button_refs",
        sa.Column("token", sa.String(16), primary_key=True),
        _conversation(),
        sa.Column(
            "message_id",
            sa.Integer(),
            sa.ForeignKey("messages.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_button_refs_conversation_id", "button_refs", ["conversation_id"])
    op.create_index("ix_button_refs_message_id", "button_refs", ["message_id"])


def downgrade() -> None:
    for table in ("button_refs", "outbox", "inbound_events", "channel_identities"):
        op.drop_table(table)
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("delivery_error")
        batch.drop_column("delivery_status")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("unreachable_at")
        batch.drop_column("last_inbound_at")
