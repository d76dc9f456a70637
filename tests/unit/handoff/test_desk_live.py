"""Presence and typing through the real gateway app (fake Rasa): frames reach only the
consoles of advisors who may read the handoff; the advisor's typing reaches the person."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.keys import HANDOFFS, SIGNALS
from tests.advisors import Advisor, next_frame, open_console
from tests.fake_rasa import FakeRasa
from tests.unit.handoff.conftest import Person
from tests.unit.handoff.test_live_chat import reach_queue, stored_handoff


async def no_frame(ws: aiohttp.ClientWebSocketResponse, kind: str) -> None:
    with pytest.raises(TimeoutError):
        await next_frame(ws, kind, wait=0.5)


async def typing_frame(person: Person) -> dict[str, Any]:
    while True:
        frame: dict[str, Any] = await person.ws.receive_json(timeout=2)
        if frame["type"] == "typing":
            return frame


async def test_presence_and_typing_reach_only_the_advisors_who_may_read(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
    brandt: Advisor,
) -> None:
    schulz_ws, brandt_ws = await open_console(schulz), await open_console(brandt)
    await reach_queue(person, fake_rasa)
    handoff = await stored_handoff(client)
    detail = await schulz.get(f"/berater/api/handoffs/{handoff.id}")
    assert detail["handoff"]["presence"] == "open"

    # the TSE chat is offered to Frau Schulz first: Herr Brandt hears nothing of it
    await person.ws.send_json({"type": "typing"})
    frame = await next_frame(schulz_ws, "typing")
    assert frame == {"type": "typing", "handoff_id": handoff.id, "sender": "user"}
    await no_frame(brandt_ws, "typing")

    await person.ws.close()
    frame = await next_frame(schulz_ws, "presence")
    assert frame == {"type": "presence", "handoff_id": handoff.id, "open": False}
    await no_frame(brandt_ws, "presence")
    detail = await schulz.get(f"/berater/api/handoffs/{handoff.id}")
    assert detail["handoff"]["presence"] == "closed"

    back = await client.ws_connect("/ws")
    await back.receive_json()
    await back.send_json({"type": "resume", "conversation_id": person.conversation_id})
    assert (await next_frame(schulz_ws, "presence"))["open"] is True
    person.ws = back

    # typing the other way: only the advisor holding the chat, at most every 2 s
    path = f"/berater/api/handoffs/{handoff.id}/typing"
    response = await schulz.post(path)
    assert response.status == 409  # not claimed yet
    assert (await schulz.post(f"/berater/api/handoffs/{handoff.id}/claim")).status == 200
    response = await schulz.post(path)
    assert (response.status, await response.json()) == (200, {"sent": True})
    assert await typing_frame(person) == {
        "type": "typing",
        "sender": "advisor",
        "name": "Frau Schulz",
    }
    response = await schulz.post(path)
    assert await response.json() == {"sent": False}
    assert (await brandt.post(path)).status == 404  # not his to read
    forged = await schulz.http.post(schulz.base + path, headers={"X-CSRF-Token": "falsch"})
    assert forged.status == 403


async def test_a_messenger_chat_has_no_presence(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
) -> None:
    console = await open_console(schulz)  # online: the person is queued, not asked to call back
    await reach_queue(person, fake_rasa)
    handoff = await stored_handoff(client)
    updated = await client.app[HANDOFFS].handoffs.transition(
        handoff.id, ("waiting",), channel="telegram"
    )
    assert updated is not None
    assert client.app[SIGNALS].presence_of(updated) is None
    detail = await schulz.get(f"/berater/api/handoffs/{handoff.id}")
    assert detail["handoff"]["presence"] is None
    await console.close()
