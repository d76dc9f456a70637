"""Handoffs and messages in the JSON shape of the console API (docs/berater-api.md)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.channels.delivery_status import delivery_json
from bot.db.models import Handoff, Message
from bot.db.store import StoredMessage
from bot.handoff.routing import advisor_title
from bot.handoff.store import MAX_EMAIL_ATTEMPTS
from bot.kb.labels import TOPIC_LABELS


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with offset, or None."""
    return moment.isoformat() if moment else None


def handoff_json(handoff: Handoff, advisor_id: int, matches: bool) -> dict[str, Any]:
    """One handoff as the console sees it."""
    return {
        "id": handoff.id,
        "ticket": handoff.ticket,
        "channel": handoff.channel,
        "status": handoff.status,
        "reason": handoff.reason,
        "summary": handoff.summary,
        "trade": handoff.trade,
        "topic": TOPIC_LABELS.get(handoff.topic or "", handoff.topic),
        "region": handoff.region,
        "created_at": iso(handoff.created_at),
        "queued_at": iso(handoff.queued_at),
        "claimed_at": iso(handoff.claimed_at),
        "closed_at": iso(handoff.closed_at),
        "advisor": advisor_title(handoff.advisor) if handoff.advisor else None,
        "mine": handoff.advisor_id == advisor_id,
        "matches": matches,
        "contact_name": handoff.contact_name,
        "business": handoff.business,
        "contact": handoff.contact,
        "preferred_time": handoff.preferred_time,
        "rating": handoff.rating,
        "callback_outcome": handoff.callback_outcome,
        # the callback e-mail could not be sent: the console shows it
        "email_failed": (
            handoff.email_sent_at is None and handoff.email_attempts >= MAX_EMAIL_ATTEMPTS
        ),
    }


def message_json(row: Message | StoredMessage) -> dict[str, Any]:
    """One message of the transcript (a row, or a message just stored)."""
    return {
        "id": row.id,
        "sender": row.sender,
        "text": row.text,
        "created_at": iso(row.created_at),
        "advisor": (row.custom or {}).get("advisor"),
        "delivery": _delivery(row),
    }


def _delivery(row: Message | StoredMessage) -> dict[str, str | None] | None:
    """An outbound message's delivery state (None for the person's own messages)."""
    status = row.delivery_status if isinstance(row, Message) else None
    if not status:
        return None
    return delivery_json(status, row.delivery_error if isinstance(row, Message) else None)
