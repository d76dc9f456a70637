"""Limits on the widget's WebSocket: per address, per connection, bounded memory."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot import texts
from bot.app import create_app
from bot.config import Settings
from bot.db.models import Conversation
from bot.keys import LIMITS, SESSIONS
from bot.limits import SlidingWindow
from tests.fake_rasa import FakeRasa
from tests.unit.test_websocket import ClientFactory, welcome

NEW_PER_MINUTE = 5
MAX_MESSAGES = 6


@pytest.fixture
async def client(aiohttp_client: ClientFactory, fake_rasa: FakeRasa, sqlite_url: str) -> TestClient:  # type: ignore[type-arg]
    settings = Settings(
        database_url=sqlite_url,
        rasa_url=fake_rasa.url,
        rasa_timeout_seconds=1,
        max_new_conversations_per_minute=NEW_PER_MINUTE,
        max_messages_per_10_seconds=MAX_MESSAGES,
    )
    return await aiohttp_client(create_app(settings))


def test_a_sliding_window_forgets_the_oldest_keys() -> None:
    window = SlidingWindow(limit=2, seconds=60, max_keys=3)
    assert window.allow("a")
    assert window.allow("a")
    assert not window.allow("a")
    for key in "bcd":
        window.allow(key)
    assert window.allow("a")  # "a" was forgotten, memory stayed at three keys
    assert len(window._events) == 3


async def test_many_sockets_from_one_address_are_refused_and_create_nothing(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    client.app[LIMITS].max_sockets = 5
    sockets = [await client.ws_connect("/ws") for _ in range(5)]
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/ws")
    assert refused.value.status == 429
    await sockets.pop().close()
    sockets.append(await client.ws_connect("/ws"))  # a closed one frees its place
    for ws in sockets:
        await ws.close()
    async with client.app[SESSIONS]() as session:
        assert (await session.scalars(select(Conversation.id))).all() == []


async def test_a_fast_sender_gets_a_polite_notice(client: TestClient) -> None:  # type: ignore[type-arg]
    async with client.ws_connect("/ws") as ws:
        await welcome(ws)
        for _ in range(MAX_MESSAGES):
            await ws.send_json({"type": "message", "text": "Hallo"})
            await ws.receive_json(timeout=5)
        await ws.send_json({"type": "message", "text": "Hallo"})
        notice = (await ws.receive_json(timeout=5))["message"]
    assert notice["text"] == texts.TOO_FAST
    assert notice["id"] is None


async def test_new_conversations_per_address_are_limited(client: TestClient) -> None:  # type: ignore[type-arg]
    replies = []
    for _ in range(NEW_PER_MINUTE + 1):
        async with client.ws_connect("/ws") as ws:
            await welcome(ws)
            await ws.send_json({"type": "message", "text": "Hallo"})
            replies.append((await ws.receive_json(timeout=5))["message"]["text"])
    assert replies[:-1] == ["Guten Tag!"] * NEW_PER_MINUTE
    assert replies[-1] == texts.TOO_MANY_CONVERSATIONS
