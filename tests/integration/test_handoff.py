"""Handoff through the real gateway, Rasa and action server, on PostgreSQL, with
restarts of all three while an advisor has the conversation."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest

from bot.services import APP_PYTHON, Supervisor, clean_env
from tests.advisors import PASSWORD, login, next_frame, open_console
from tests.integration.test_conversation import Chat, open_chat, texts
from tests.stack import Gateway, Stack, start_gateway

pytestmark = pytest.mark.integration


def add_advisor(database_url: str, username: str, *options: str) -> None:
    """`python -m bot advisors add` as an administrator would run it."""
    subprocess.run(
        [str(APP_PYTHON), "-m", "bot", "advisors", "add", username, *options, "--password-stdin"],
        input=PASSWORD + "\n",
        env={**clean_env(None), "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def handoff_gateway(
    stack: Stack, postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Supervisor, Gateway]]:
    """A gateway of its own on PostgreSQL (it gets restarted) with one advisor."""
    supervisor, gateway = start_gateway(stack, postgres_url, tmp_path_factory.mktemp("handoff"))
    add_advisor(
        postgres_url,
        "krause",
        "--name",
        "Petra Krause",
        "--salutation",
        "Frau",
        "--regions",
        "halle",
    )
    yield supervisor, gateway
    supervisor.stop()


async def tracker_slots(stack: Stack, conversation_id: str) -> dict[str, Any]:
    """Rasa's dialogue state of a conversation (from its tracker store)."""
    url = f"{stack.rasa_url}/conversations/{conversation_id}/tracker?token={stack.rasa_token}"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 200
        return dict((await response.json())["slots"])


async def test_handoff_survives_restarts_of_gateway_rasa_and_actions(
    stack: Stack, handoff_gateway: tuple[Supervisor, Gateway]
) -> None:
    supervisor, gateway = handoff_gateway
    async with aiohttp.ClientSession() as session:
        chat = await open_chat(session, gateway)
        await chat.say("Ich habe eine Bäckerei in Halle")
        answer = await chat.say("Brauche ich eine TSE für meine Registrierkasse?")
        assert "Quelle:" in texts(answer)
        consent = await chat.say("Ich möchte mit einem Berater sprechen")
        assert "Datenschutz" in texts(consent)
        summary = await chat.say("Einverstanden", "#handoff:consent")
        assert "TSE" in texts(summary)
        assert "Gewerk: Bäcker" in texts(summary)

        advisor = await login(gateway.url, "krause")
        console = await open_console(advisor)
        queued = await chat.say("Ja, stimmt", "#handoff:summary_ok")
        assert "Position 1" in texts(queued)
        waiting = (await next_frame(console, "queue"))["waiting"]
        assert [item["region"] for item in waiting] == ["halle"]
        handoff_id = waiting[0]["id"]
        await chat.ws.close()
        await console.close()

        # the gateway restarts: nothing is lost, the advisor stays logged in
        supervisor.stop()
        supervisor.start()
        supervisor.wait_healthy(timeout=60)
        chat = await open_chat(session, gateway, chat.conversation_id)
        assert "Position 1" in chat.history[-1]["text"]
        console = await open_console(advisor)
        assert (await advisor.post(f"/berater/api/handoffs/{handoff_id}/claim")).status == 200
        claimed = await receive(chat)
        assert "Frau Krause von der Handwerkskammer ist jetzt für Sie da." in texts(claimed)

        # Rasa and the action server restart while the advisor has the conversation; in a
        # thread, while both sockets are read, so that they answer the gateway's pings
        # (an aiohttp client answers a ping only while it reads)
        def restart_both() -> None:
            stack.restart("rasa")
            stack.restart("actions")

        restarting = asyncio.ensure_future(asyncio.to_thread(restart_both))
        to_person: list[dict[str, Any]] = []
        to_console: list[dict[str, Any]] = []
        while not restarting.done():
            for ws, frames in ((chat.ws, to_person), (console, to_console)):
                try:
                    frames.append(await ws.receive_json(timeout=0.25))
                except TimeoutError:
                    continue
        await restarting
        assert to_person == []
        assert await say_silently(chat, "Sind Sie noch da?") == []
        pushed = [f["message"]["text"] for f in to_console if f["type"] == "message"]
        while "Sind Sie noch da?" not in pushed:
            pushed.append((await next_frame(console, "message"))["message"]["text"])
        assert pushed[-1] == "Sind Sie noch da?"  # after the claim notice
        assert len(pushed) == 2
        await advisor.post(f"/berater/api/handoffs/{handoff_id}/reply", {"text": "Ja, ich bin da."})
        assert texts(await receive(chat)) == "Ja, ich bin da."

        await advisor.post(f"/berater/api/handoffs/{handoff_id}/close")
        closed = await receive(chat)
        assert "Sie sprechen wieder mit dem digitalen Assistenten" in texts(closed)
        await chat.say("5", "#rating:5")
        detail = await advisor.get(f"/berater/api/handoffs/{handoff_id}")
        assert detail["handoff"]["rating"] == 5
        assert [g["id"] for g in detail["guides"]]  # the guide the bot showed
        # the bot answers again and still knows the trade (tracker store in PostgreSQL)
        assert "Quelle:" in texts(await chat.say("Was ist eine E-Rechnung?"))
        assert (await tracker_slots(stack, chat.conversation_id))["trade"] == "baecker"
        await chat.ws.close()
        await console.close()
        await advisor.http.close()


async def receive(chat: Chat, wait: float = 5.0) -> list[dict[str, Any]]:
    """Messages pushed to the person (advisor replies, notices)."""
    got = [(await chat.ws.receive_json(timeout=wait))["message"]]
    while True:
        try:
            got.append((await chat.ws.receive_json(timeout=0.5))["message"])
        except TimeoutError:
            return got


async def say_silently(chat: Chat, text: str) -> list[dict[str, Any]]:
    """Send a message and return what comes back within 2 s (the bot must be silent)."""
    await chat.ws.send_json({"type": "message", "text": text, "payload": None})
    started = time.monotonic()
    got: list[dict[str, Any]] = []
    while time.monotonic() - started < 2:
        try:
            got.append((await chat.ws.receive_json(timeout=0.5))["message"])
        except TimeoutError:
            continue
    return got


async def test_second_fallback_hands_over_with_consent(gateway: Gateway) -> None:
    async with aiohttp.ClientSession() as session:
        chat = await open_chat(session, gateway)
        # what the NLU makes of gibberish varies; the payload fixes the low-confidence intent
        first = await chat.say("qwrt zxcv plm", "/nlu_fallback")
        assert "nicht verstanden" in texts(first)
        second = await chat.say("brmpf hjkl", "/nlu_fallback")
        assert "Datenschutz" in texts(second)
        assert [b["payload"] for b in second[-1]["buttons"]] == [
            "#handoff:consent",
            "#handoff:cancel",
        ]
        cancelled = await chat.say("Abbrechen", "#handoff:cancel")
        assert "abgebrochen" in texts(cancelled)
        await chat.ws.close()


async def test_advisor_button_under_an_answer_asks_consent(gateway: Gateway) -> None:
    async with aiohttp.ClientSession() as session:
        chat = await open_chat(session, gateway)
        answer = await chat.say("Muss ich E-Rechnungen empfangen können?")
        assert "Mit Berater sprechen" in [b["title"] for b in answer[-1]["buttons"]]
        consent = await chat.say("Mit Berater sprechen", "/request_human")
        assert "Datenschutz" in texts(consent)
        summary = await chat.say("ja")
        assert "E-Rechnung" in texts(summary)
        await chat.ws.close()
