"""A gateway app on SQLite with a fake Rasa, advisors, and helpers to log in."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.config import Settings
from bot.handoff.accounts import AdvisorStore
from bot.keys import SESSIONS
from tests.advisors import PASSWORD, Advisor, login
from tests.fake_rasa import FakeRasa

TSE_TRIGGER = {
    "reason": "request_human",
    "question": "Brauche ich eine TSE für meine Kasse?",
    "trade": "baecker",
    "topic": "kasse_tse",
}


def handoff_reply(trigger: dict[str, Any] = TSE_TRIGGER) -> list[dict[str, Any]]:
    """What Rasa answers when action_offer_handoff runs."""
    return [{"recipient_id": "x", "custom": {"handoff": dict(trigger)}}]


@dataclass
class Person:
    """The widget side: one WebSocket of one conversation."""

    ws: aiohttp.ClientWebSocketResponse
    conversation_id: str
    seen: list[dict[str, Any]] = field(default_factory=list)

    async def say(
        self, text: str, payload: str | None = None, first: float = 5.0
    ) -> list[dict[str, Any]]:
        """Send a message; return the replies (the first within `first` seconds, the
        rest until a short quiet)."""
        await self.ws.send_json({"type": "message", "text": text, "payload": payload})
        return await self.receive(first=first)

    async def receive(self, wait: float = 0.3, first: float = 5.0) -> list[dict[str, Any]]:
        """Messages pushed to the person: the first within `first` seconds (a slow
        machine), then until nothing comes for `wait` seconds."""
        got: list[dict[str, Any]] = []
        while True:
            try:
                frame = await self.ws.receive_json(timeout=wait if got else first)
            except TimeoutError:
                self.seen += got
                return got
            if frame["type"] == "message":  # not the acknowledgement of the own message
                got.append(frame["message"])


@pytest.fixture
def settings(sqlite_url: str, fake_rasa: FakeRasa) -> Settings:
    """Office always open; matching advisors get a waiting chat first for 60 s."""
    return Settings(
        database_url=sqlite_url, rasa_url=fake_rasa.url, office_hours="Mo-So 00:00-24:00"
    )


@pytest.fixture
async def client(
    aiohttp_client: Callable[..., Awaitable[TestClient]],  # type: ignore[type-arg]
    settings: Settings,
) -> TestClient:  # type: ignore[type-arg]
    """The gateway with two advisors: Frau Schulz (Halle, TSE) and Herr Brandt (Magdeburg)."""
    app = create_app(settings)
    test_client = await aiohttp_client(app)
    advisors = AdvisorStore(app[SESSIONS])
    await advisors.add(
        "schulz", PASSWORD, "Anna Schulz", "Frau", "schulz@hwk.example", ["halle"], ["kasse_tse"]
    )
    await advisors.add(
        "brandt", PASSWORD, "Jens Brandt", "Herr", "brandt@hwk.example", ["magdeburg"], ["bim"]
    )
    return test_client


@pytest.fixture
async def schulz(client: TestClient) -> AsyncIterator[Advisor]:  # type: ignore[type-arg]
    """Frau Schulz, logged in."""
    advisor = await login(str(client.make_url("")).rstrip("/"), "schulz")
    yield advisor
    await advisor.http.close()


@pytest.fixture
async def brandt(client: TestClient) -> AsyncIterator[Advisor]:  # type: ignore[type-arg]
    """Herr Brandt, logged in."""
    advisor = await login(str(client.make_url("")).rstrip("/"), "brandt")
    yield advisor
    await advisor.http.close()


@pytest.fixture
async def person(client: TestClient) -> AsyncIterator[Person]:  # type: ignore[type-arg]
    """A new conversation in the widget."""
    ws = await client.ws_connect("/ws")
    welcome = await ws.receive_json()
    yield Person(ws, welcome["conversation_id"])
    await ws.close()
