"""The handoff service without the web layer: availability and the retention purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiohttp import web
from sqlalchemy import select

from bot.db.models import Conversation
from bot.db.store import MessageStore, StoredMessage
from bot.handoff.office_hours import OfficeHours
from bot.handoff.service import HandoffService


async def test_live_chat_needs_office_hours_and_someone_online(
    handoff_service: HandoffService,
) -> None:
    assert not handoff_service.available()  # open, but nobody online
    handoff_service._consoles.attach(1, web.WebSocketResponse())
    assert handoff_service.available()
    handoff_service._hours = OfficeHours.parse("Mo-So 08:00-08:00")
    assert not handoff_service.available()


async def test_purge_deletes_only_expired_ended_handoffs(
    handoff_service: HandoffService, store: MessageStore
) -> None:
    handoffs = handoff_service.handoffs
    long_ago = datetime.now(UTC) - timedelta(days=100)
    ids = {}
    for name, status, closed in (
        ("old", "closed", long_ago),
        ("recent", "closed", datetime.now(UTC)),
        ("open_callback", "callback_open", None),
    ):
        conversation = await store.open_conversation(None, "web")
        await store.add(conversation, StoredMessage("user", f"Nachricht {name}"))
        handoff = await handoffs.create(conversation, "web", reason="request_human")
        await handoffs.transition(handoff.id, ("consent",), status=status, closed_at=closed)
        ids[name] = conversation
    deleted = await handoffs.purge(datetime.now(UTC) - timedelta(days=90))
    assert deleted == 1
    async with store._sessions() as session:
        left = set(await session.scalars(select(Conversation.id)))
    assert left == {ids["recent"], ids["open_callback"]}
    assert await store.history(ids["old"]) == []
