"""Two gateways behind HAProxy on PostgreSQL and Redis (the production setting):
a handoff with person and advisor on different instances, and an instance killed
while a person writes — every message stored once, in order, and answered."""

from __future__ import annotations

import asyncio
import os
import signal
from typing import Any

import aiohttp
import asyncpg
import pytest

from tests.advisors import login, next_frame, open_console
from tests.cluster import Cluster
from tests.integration.test_conversation import Chat, open_chat, texts
from tests.stack import Gateway

pytestmark = pytest.mark.integration


async def receive(chat: Chat, wait: float = 10.0) -> list[dict[str, Any]]:
    """Messages pushed to the chat (first within `wait` s, then until a short pause)."""
    replies = [(await chat.ws.receive_json(timeout=wait))["message"]]
    while True:
        try:
            frame = await chat.ws.receive_json(timeout=0.5)
        except TimeoutError:
            return replies
        if frame["type"] == "message":
            replies.append(frame["message"])


async def test_handoff_with_person_and_advisor_on_different_instances(cluster: Cluster) -> None:
    one, two = cluster.instances
    async with aiohttp.ClientSession() as session:
        chat = await open_chat(session, one)  # the person on instance 1
        await chat.say("Ich habe eine Bäckerei in Halle")
        await chat.say("Brauche ich eine TSE für meine Registrierkasse?")
        await chat.say("Ich möchte mit einem Berater sprechen")
        await chat.say("Einverstanden", "#handoff:consent")

        advisor = await login(two.url, "krause")  # the advisor on instance 2
        console = await open_console(advisor)
        queued = await chat.say("Ja, stimmt", "#handoff:summary_ok")
        assert "Position 1" in texts(queued)
        waiting = (await next_frame(console, "queue", wait=5))["waiting"]
        assert len(waiting) == 1  # the queue change reached instance 2 through Redis
        handoff_id = waiting[0]["id"]

        assert (await advisor.post(f"/berater/api/handoffs/{handoff_id}/claim")).status == 200
        claimed = await receive(chat)
        assert "Frau Krause von der Handwerkskammer ist jetzt für Sie da." in texts(claimed)
        # the person's window counts as open although it is on the other instance
        detail = await advisor.get(f"/berater/api/handoffs/{handoff_id}")
        assert detail["handoff"]["presence"] == "open"

        await chat.ws.send_json({"type": "message", "text": "Wie richte ich die TSE ein?"})
        pushed = [(await next_frame(console, "message", wait=5))["message"]["text"]]
        if pushed[0] != "Wie richte ich die TSE ein?":  # first the claim notice
            pushed.append((await next_frame(console, "message", wait=5))["message"]["text"])
        assert pushed[-1] == "Wie richte ich die TSE ein?"
        reply = {"text": "Dafür brauchen Sie Ihr Kassenhandbuch."}
        await advisor.post(f"/berater/api/handoffs/{handoff_id}/reply", reply)
        assert texts(await receive(chat)) == "Dafür brauchen Sie Ihr Kassenhandbuch."

        await chat.ws.close()
        presence = await next_frame(console, "presence", wait=5)
        assert presence == {"type": "presence", "handoff_id": handoff_id, "open": False}
        await advisor.post(f"/berater/api/handoffs/{handoff_id}/close")
        await console.close()
        await advisor.http.close()


async def stored_messages(database_url: str, conversation_id: str) -> list[tuple[str, str]]:
    """(role, text) of a conversation's stored messages, in order."""
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT sender, text FROM messages WHERE conversation_id = $1 ORDER BY id",
            conversation_id,
        )
    finally:
        await connection.close()
    return [(row["sender"], row["text"]) for row in rows]


async def acknowledged(chat: Chat, ident: str, wait: float = 10.0) -> None:
    """Read frames until the gateway acknowledges the message `ident`."""
    while True:
        frame = await chat.ws.receive_json(timeout=wait)
        if frame["type"] == "ack" and frame["id"] == ident:
            return


async def reconnect(session: aiohttp.ClientSession, front: Gateway, conversation_id: str) -> Chat:
    """As the widget reconnects: again after a failed attempt, for up to 10 s."""
    for _ in range(20):
        try:
            return await open_chat(session, front, conversation_id)
        except aiohttp.WSServerHandshakeError:
            await asyncio.sleep(0.5)
    raise AssertionError("no instance took the reconnect")


async def test_an_instance_killed_mid_conversation_loses_and_doubles_nothing(
    cluster: Cluster,
) -> None:
    """As the widget does: each message has an id; after the reconnect (through
    HAProxy, which sends it to the living instance) it resumes and sends again what
    was not acknowledged."""
    one, _ = cluster.instances
    questions = [
        "Was ist eine E-Rechnung?",
        "Brauche ich eine TSE?",
        "Was kostet eine Handwerkersoftware?",
    ]
    async with aiohttp.ClientSession() as session:
        chat = await open_chat(session, one)
        conversation_id = chat.conversation_id
        await chat.ws.send_json({"type": "message", "id": "nachricht-0", "text": questions[0]})
        await acknowledged(chat, "nachricht-0")
        assert "Quelle:" in texts(await receive(chat))
        # the instance dies right after the message left: stored or not, answered or not
        await chat.ws.send_json({"type": "message", "id": "nachricht-1", "text": questions[1]})
        os.killpg(cluster.supervisor.processes["gateway-1"].pid, signal.SIGKILL)

        chat = await reconnect(session, cluster.front, conversation_id)
        assert chat.conversation_id == conversation_id
        await chat.ws.send_json({"type": "message", "id": "nachricht-1", "text": questions[1]})
        await acknowledged(chat, "nachricht-1")
        await chat.ws.send_json({"type": "message", "id": "nachricht-2", "text": questions[2]})
        await acknowledged(chat, "nachricht-2")
        for _ in range(40):  # answers of m1 (perhaps after the recovery wait) and m2
            stored = await stored_messages(cluster.front.database_url, conversation_id)
            if stored[-1][0] != "user" and len(stored) >= 6:
                break
            await asyncio.sleep(0.5)
        await chat.ws.close()
    cluster.supervisor.stop("gateway-1")
    cluster.supervisor.start("gateway-1")
    cluster.supervisor.wait_healthy("gateway-1", timeout=60)

    asked = [text for role, text in stored if role == "user"]
    assert asked == questions  # each once, in order
    # and each answered (the widget sends the next message on the acknowledgement, so
    # answers may follow two questions): an answer with its source per question
    sources = [text for role, text in stored if role == "bot" and "Quelle:" in text]
    assert len(sources) == len(questions), stored
