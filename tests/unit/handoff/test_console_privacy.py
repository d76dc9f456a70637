"""Export and erase from the console, the audit log behind them, and the admin role
(console API, fake Rasa)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.db.models import Conversation
from bot.handoff.accounts import AdvisorStore
from bot.keys import AUDIT, SESSIONS
from tests.advisors import PASSWORD, Advisor, login, open_console
from tests.fake_rasa import FakeRasa
from tests.unit.handoff.conftest import Person
from tests.unit.handoff.test_live_chat import reach_queue, stored_handoff


@pytest.fixture
async def admin(client: TestClient) -> AsyncIterator[Advisor]:  # type: ignore[type-arg]
    """Frau Vogt, an admin with no region or topic of her own, logged in."""
    await AdvisorStore(client.app[SESSIONS]).add("vogt", PASSWORD, "Petra Vogt", "Frau", admin=True)
    advisor = await login(str(client.make_url("")).rstrip("/"), "vogt")
    yield advisor
    await advisor.http.close()


async def audit_rows(client: TestClient) -> list[tuple[str, int | None, int | None, str | None]]:  # type: ignore[type-arg]
    entries = await client.app[AUDIT].entries()
    return [(e.action, e.advisor_id, e.handoff_id, e.reason) for e in entries]


async def test_every_read_and_export_is_audited_without_personal_data(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
) -> None:
    console = await open_console(schulz)
    await reach_queue(person, fake_rasa)
    handoff = await stored_handoff(client)
    await schulz.get(f"/berater/api/handoffs/{handoff.id}")
    async with schulz.http.get(
        f"{schulz.base}/berater/api/handoffs/{handoff.id}/export"
    ) as response:
        assert response.status == 200
        assert "attachment" in response.headers["Content-Disposition"]
        assert handoff.ticket in response.headers["Content-Disposition"]
        assert response.headers["Cache-Control"] == "no-store"
        exported = await response.json()
    assert exported["conversation"]["id"] == person.conversation_id
    assert exported["handoffs"][0]["ticket"] == handoff.ticket
    rows = await audit_rows(client)
    assert [(action, handoff_id) for action, _, handoff_id, _ in rows] == [
        ("read", handoff.id),
        ("export", handoff.id),
    ]
    assert all(advisor_id is not None for _, advisor_id, _, _ in rows)
    await console.close()


async def test_an_advisor_who_may_not_read_may_neither_export_nor_erase(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
    brandt: Advisor,
) -> None:
    console = await open_console(schulz)
    await reach_queue(person, fake_rasa)
    handoff = await stored_handoff(client)
    async with brandt.http.get(
        f"{brandt.base}/berater/api/handoffs/{handoff.id}/export"
    ) as response:
        assert response.status == 404
    refused = await brandt.post(f"/berater/api/handoffs/{handoff.id}/erase", {"reason": "other"})
    assert refused.status == 404
    assert await audit_rows(client) == []
    async with client.app[SESSIONS]() as session:
        assert await session.get(Conversation, person.conversation_id) is not None
    await console.close()


async def test_erase_needs_a_listed_reason_and_the_csrf_token(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
) -> None:
    console = await open_console(schulz)
    await reach_queue(person, fake_rasa)
    handoff = await stored_handoff(client)
    path = f"/berater/api/handoffs/{handoff.id}/erase"
    for body in ({}, {"reason": "Herr Meier wollte es so"}, {"reason": ["request"]}):
        response = await schulz.post(path, body)
        assert response.status == 400
        assert "Grund" in (await response.json())["error"]
    async with schulz.http.post(schulz.base + path, json={"reason": "request"}) as response:
        assert response.status == 403  # no CSRF token
    assert await audit_rows(client) == []
    await console.close()


async def test_erase_from_the_console_ends_the_persons_chat_everywhere(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
) -> None:
    console = await open_console(schulz)
    await reach_queue(person, fake_rasa)
    handoff = await stored_handoff(client)
    await schulz.post(f"/berater/api/handoffs/{handoff.id}/claim")
    await person.receive()
    response = await schulz.post(f"/berater/api/handoffs/{handoff.id}/erase", {"reason": "mistake"})
    assert response.status == 200
    assert (await response.json())["ticket"] == handoff.ticket
    notice = await person.ws.receive_json(timeout=2)
    assert notice["message"]["custom"] == {"erased": True}
    assert "gelöscht" in notice["message"]["text"]
    closing = await person.ws.receive(timeout=2)
    assert closing.type == aiohttp.WSMsgType.CLOSE
    assert closing.data == 4001
    async with client.app[SESSIONS]() as session:
        assert await session.get(Conversation, person.conversation_id) is None
    actions = [(action, reason) for action, _, _, reason in await audit_rows(client)]
    assert actions == [("erase", "mistake")]
    queue = await schulz.get("/berater/api/queue")
    assert queue["active"] == []
    await console.close()


async def test_an_admin_reads_any_claimed_handoff_but_not_a_cancelled_one(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
    brandt: Advisor,
    admin: Advisor,
) -> None:
    console = await open_console(schulz)
    await reach_queue(person, fake_rasa)
    handoff = await stored_handoff(client)
    await schulz.post(f"/berater/api/handoffs/{handoff.id}/claim")
    async with admin.http.get(f"{admin.base}/berater/api/handoffs/{handoff.id}") as response:
        assert response.status == 200
    async with brandt.http.get(f"{brandt.base}/berater/api/handoffs/{handoff.id}") as response:
        assert response.status == 404
    await console.close()


async def test_an_admin_cannot_read_what_the_person_cancelled(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    admin: Advisor,
) -> None:
    await reach_queue(person, fake_rasa)
    await person.say("zurück zum Assistenten")
    handoff = await stored_handoff(client)
    assert handoff.status == "cancelled"
    async with admin.http.get(f"{admin.base}/berater/api/handoffs/{handoff.id}") as response:
        assert response.status == 404
