"""The console desk's API through the real gateway, Rasa and action server, on SQLite
and PostgreSQL: canned responses (CRUD, validation, CSRF), the search over closed
conversations (full text, filters, who may read what) and the plain-text transcript."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import aiohttp
import pytest

from tests.advisors import Advisor, login, next_frame, open_console
from tests.integration.test_conversation import open_chat, texts
from tests.integration.test_handoff import add_advisor
from tests.stack import Gateway

pytestmark = pytest.mark.integration


async def logged_in(gateway: Gateway, *options: str) -> Advisor:
    username = f"desk-{uuid.uuid4().hex[:6]}"
    add_advisor(gateway.database_url, username, "--name", "Anna Lange", *options)
    return await login(gateway.url, username)


async def test_canned_responses_are_managed_with_validation_and_csrf(gateway: Gateway) -> None:
    lange, other = await logged_in(gateway), await logged_in(gateway)
    try:
        created = await lange.post(
            "/berater/api/canned", {"title": " Gruß ", "text": "Viele Grüße"}
        )
        assert created.status == 201
        entry = (await created.json())["canned"]
        assert (entry["title"], entry["text"]) == ("Gruß", "Viele Grüße")
        assert entry in (await other.get("/berater/api/canned"))["canned"]  # shared by the team

        too_long = await lange.post("/berater/api/canned", {"title": "x" * 61, "text": "a"})
        assert too_long.status == 400
        assert await too_long.json() == {"error": "Der Titel darf höchstens 60 Zeichen lang sein."}
        empty = await lange.post("/berater/api/canned", {"title": "T", "text": " "})
        assert (await empty.json())["error"] == "Bitte geben Sie einen Text ein."
        huge = await lange.post("/berater/api/canned", {"title": "T", "text": "x" * 2001})
        assert (await huge.json())["error"] == "Der Text darf höchstens 2000 Zeichen lang sein."

        path = f"{gateway.url}/berater/api/canned/{entry['id']}"
        headers = {"X-CSRF-Token": lange.csrf}
        async with lange.http.put(path, json={"title": "Gruß", "text": "Beste Grüße"}) as forged:
            assert forged.status == 403  # no CSRF token
        async with lange.http.put(
            path, json={"title": "Gruß", "text": "Beste Grüße"}, headers=headers
        ) as changed:
            assert (await changed.json())["canned"]["text"] == "Beste Grüße"
        async with lange.http.delete(
            path, headers={**headers, "Origin": "http://evil.example"}
        ) as cross:
            assert cross.status == 403
        async with lange.http.delete(path, headers=headers) as deleted:
            assert deleted.status == 200
        async with lange.http.delete(path, headers=headers) as gone:
            assert gone.status == 404
            assert await gone.json() == {"error": "Diesen Textbaustein gibt es nicht."}
        assert entry not in (await lange.get("/berater/api/canned"))["canned"]
        async with (
            aiohttp.ClientSession() as anonymous,
            anonymous.get(f"{gateway.url}/berater/api/canned") as response,
        ):
            assert response.status == 401
    finally:
        await lange.http.close()
        await other.http.close()


async def waiting_for(console: aiohttp.ClientWebSocketResponse, concern: str) -> int:
    """The id of the waiting chat about `concern`, from the console's queue frames (a
    frame sent before the chat was queued does not have it yet)."""
    for _ in range(10):
        frame = await next_frame(console, "queue", wait=5)
        for item in frame["waiting"]:
            if item["summary"] == concern:
                return int(item["id"])
    raise AssertionError(f"{concern!r} never appeared in the queue")


async def closed_chat(gateway: Gateway, advisor: Advisor, concern: str) -> int:
    """A live chat about `concern`, claimed, answered and closed by `advisor`."""
    console = await open_console(advisor)
    async with aiohttp.ClientSession() as session:
        chat = await open_chat(session, gateway)
        assert "Datenschutz" in texts(await chat.say("Ich möchte mit einem Berater sprechen"))
        await chat.say("Einverstanden", "#handoff:consent")
        assert "Position 1" in texts(await chat.say(concern))
        handoff_id = await waiting_for(console, concern)
        assert (await advisor.post(f"/berater/api/handoffs/{handoff_id}/claim")).status == 200
        await advisor.post(f"/berater/api/handoffs/{handoff_id}/reply", {"text": "Gern, gleich."})
        assert (await advisor.post(f"/berater/api/handoffs/{handoff_id}/close")).status == 200
        await chat.ws.close()
    await console.close()
    return handoff_id


async def test_closed_conversations_are_found_by_text_and_filters(gateway: Gateway) -> None:
    lange, brandt = await logged_in(gateway), await logged_in(gateway)
    boss = await logged_in(gateway, "--admin")
    word = f"Kühltheke{uuid.uuid4().hex[:4]}"
    try:
        mine = await closed_chat(gateway, lange, f"Meine {word} und die Kasse")
        theirs = await closed_chat(gateway, brandt, f"Die {word.upper()[:5]} der Nachbarin")

        async def found(advisor: Advisor, query: str) -> list[int]:
            body = await advisor.get(f"/berater/api/closed?{query}")
            return [item["id"] for item in body["handoffs"]]

        assert await found(lange, f"q={word.lower()}") == [mine]
        assert await found(lange, f"scope=all&q={word}") == [mine]  # not an admin: only her own
        assert await found(brandt, f"q={word}") == []
        assert mine in await found(boss, "scope=all&q=kasse")
        assert theirs in await found(boss, "scope=all")
        today = date.today()
        assert mine in await found(
            lange, f"from={today - timedelta(days=1)}&to={today + timedelta(days=1)}"
        )
        assert await found(lange, f"from={today + timedelta(days=2)}") == []
        assert await found(lange, "q=%25") == []  # a wildcard is searched as text
        assert await found(lange, "q=x' OR '1'='1") == []
        async with lange.http.get(f"{gateway.url}/berater/api/closed?scope=alle") as bad:
            assert bad.status == 400
            assert await bad.json() == {"error": "Bitte „Meine“ oder „Alle“ wählen."}

        async with lange.http.get(f"{gateway.url}/berater/api/handoffs/{mine}/transcript") as got:
            assert got.status == 200
            assert got.charset == "utf-8"
            text = (await got.read()).decode("utf-8")
        assert f"Meine {word} und die Kasse" in text
        assert "Anna Lange:\n  Gern, gleich." in text
        async with brandt.http.get(f"{gateway.url}/berater/api/handoffs/{mine}/transcript") as got:
            assert got.status == 404
    finally:
        for advisor in (lange, brandt, boss):
            await advisor.http.close()
