"""The handoff service without the web layer: availability."""

from __future__ import annotations

from aiohttp import web

from bot.handoff.office_hours import OfficeHours
from bot.handoff.service import HandoffService


async def test_live_chat_needs_office_hours_and_someone_online(
    handoff_service: HandoffService,
) -> None:
    assert not handoff_service.available()  # open, but nobody online
    await handoff_service._consoles.attach(1, web.WebSocketResponse())
    assert handoff_service.available()
    handoff_service._hours = OfficeHours.parse("Mo-So 08:00-08:00")
    assert not handoff_service.available()
