"""Delivery states of outbound messages: set by the outbox, advanced by platform
reports (which may come late, twice or out of order: states only move forward)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.base import StatusReport
from bot.channels.whatsapp import UNREACHABLE_CODES, WINDOW_CODES
from bot.db.channel_models import InboundEvent, OutboxRow
from bot.db.models import Conversation, Message, utcnow

QUEUED = "queued"
# a state never goes back to a lower rank; "failed" only ends what is not delivered
RANK = {"queued": 0, "needs_template": 0, "sending": 0, "held": 0, "sent": 1, "failed": 1}
RANK |= {"delivered": 2, "read": 3}
LABELS = {
    "queued": "wird gesendet",
    "sent": "gesendet",
    "delivered": "zugestellt",
    "read": "gelesen",
    "failed": "nicht zustellbar",
    "needs_template": "wartet: 24-Stunden-Fenster zu",
    # the widget: no socket was open; shown when the person opens the chat again
    "held": "wartet, bis die Person den Chat öffnet",
}


def delivery_json(status: str, error: str | None = None) -> dict[str, str | None]:
    """A delivery state as the console shows it."""
    return {"status": status, "label": LABELS.get(status, status), "error": error}


async def set_status(
    session: AsyncSession, message_ids: list[int], status: str, error: str | None
) -> None:
    """Set the delivery state shown next to messages."""
    if message_ids:
        await session.execute(
            update(Message)
            .where(Message.id.in_(message_ids))
            .values(delivery_status=status, delivery_error=error)
        )


async def apply_report(session: AsyncSession, report: StatusReport) -> tuple[str, list[int]]:
    """Advance the rows and messages a platform reports on; (conversation id, message
    ids) that changed, or ("", []) for a report on nothing we know or a step back."""
    rows = (
        await session.scalars(select(OutboxRow).where(OutboxRow.provider_id == report.provider_id))
    ).all()
    if not rows:
        return "", []
    status = report.status
    if status == "failed" and report.error_code in WINDOW_CODES:
        status = "needs_template"
    elif status not in RANK or RANK[status] < RANK.get(rows[0].status, 0):
        return "", []
    if status == "failed" and RANK.get(rows[0].status, 0) > RANK["sent"]:
        return "", []  # delivered or read already: a late failure report changes nothing
    if status == rows[0].status:
        return "", []
    conversation_id = rows[0].conversation_id
    for row in rows:
        row.status = status
        if status == "needs_template":
            row.next_attempt_at = utcnow()
    if status == "failed" and report.error_code in UNREACHABLE_CODES:
        conversation = await session.get(Conversation, conversation_id)
        if conversation is not None:
            conversation.unreachable_at = utcnow()
    message_ids = [row.message_id for row in rows]
    await set_status(session, message_ids, status, report.error)
    return conversation_id, message_ids


async def reopen(session: AsyncSession, conversation_id: str) -> None:
    """The person wrote: what waited for the window goes out, in order."""
    waiting = (
        await session.scalars(
            select(OutboxRow).where(
                OutboxRow.conversation_id == conversation_id,
                OutboxRow.status == "needs_template",
            )
        )
    ).all()
    for row in waiting:
        row.status, row.next_attempt_at = QUEUED, utcnow()
    await set_status(session, [row.message_id for row in waiting], QUEUED, None)


def early_report(report: StatusReport, channel: str) -> InboundEvent:
    """A report on a message whose send has not been recorded yet (Meta can be faster
    than our own commit): kept by its provider id until the outbox records the send."""
    return InboundEvent(
        event_key=report.event_key,
        channel=channel,
        payload=report.provider_id,
        details={"status": report.status, "code": report.error_code, "error": report.error},
        status="early",
        attempts=0,
    )


async def apply_early_reports(session: AsyncSession, provider_id: str) -> list[str]:
    """Apply the reports that came before the send of `provider_id` was recorded; the
    states they set."""
    early = (
        await session.scalars(
            select(InboundEvent)
            .where(InboundEvent.status == "early", InboundEvent.payload == provider_id)
            .order_by(InboundEvent.id)
        )
    ).all()
    applied = []
    for event in early:
        details = event.details or {}
        report = StatusReport(
            event.event_key,
            provider_id,
            str(details.get("status")),
            details.get("code") if isinstance(details.get("code"), int) else None,
            details.get("error") if isinstance(details.get("error"), str) else None,
        )
        conversation_id, changed = await apply_report(session, report)
        event.status, event.conversation_id = "processed", conversation_id or None
        if changed:
            applied.append(report.status)
    return applied
