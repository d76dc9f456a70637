"""Advisors see only what they need: nothing of a handoff the person cancelled, a
claimed one only by the advisor who claimed it (console API, fake Rasa)."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from tests.advisors import Advisor, open_console
from tests.fake_rasa import FakeRasa
from tests.unit.handoff.conftest import Person
from tests.unit.handoff.test_live_chat import reach_queue, stored_handoff


async def status_of(advisor: Advisor, path: str) -> int:
    async with advisor.http.get(advisor.base + path) as response:
        return response.status


async def test_a_cancelled_handoff_is_nobodys_to_read(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
) -> None:
    console = await open_console(schulz)
    await reach_queue(person, fake_rasa)
    await person.say("zurück zum Assistenten")
    handoff = await stored_handoff(client)
    assert handoff.status == "cancelled"
    queue = await schulz.get("/berater/api/queue")
    listed = [h["id"] for name in ("waiting", "callbacks", "active", "closed") for h in queue[name]]
    assert handoff.id not in listed
    assert await status_of(schulz, f"/berater/api/handoffs/{handoff.id}") == 404
    assert await status_of(schulz, f"/berater/api/search?ticket={handoff.ticket}") == 404
    await console.close()


async def test_a_claimed_handoff_is_read_only_by_its_advisor(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
    brandt: Advisor,
) -> None:
    console = await open_console(schulz)
    await reach_queue(person, fake_rasa)
    handoff = await stored_handoff(client)
    # waiting: routed to Frau Schulz (Halle, TSE) first, not yet to Herr Brandt
    assert await status_of(schulz, f"/berater/api/handoffs/{handoff.id}") == 200
    assert await status_of(brandt, f"/berater/api/handoffs/{handoff.id}") == 404
    await schulz.post(f"/berater/api/handoffs/{handoff.id}/claim")
    assert await status_of(schulz, f"/berater/api/handoffs/{handoff.id}") == 200
    assert await status_of(brandt, f"/berater/api/handoffs/{handoff.id}") == 404
    assert await status_of(brandt, f"/berater/api/search?ticket={handoff.ticket}") == 404
    assert (await brandt.get("/berater/api/queue"))["active"] == []
    assert [h["id"] for h in (await schulz.get("/berater/api/queue"))["active"]] == [handoff.id]
    await console.close()
