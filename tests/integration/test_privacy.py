"""Erase and access on request, through the real gateway, Rasa and its PostgreSQL
tracker store, with the command the data protection officer uses."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import aiohttp
import pytest

from tests.integration.test_conversation import open_chat
from tests.stack import Gateway, Stack, run_bot

pytestmark = pytest.mark.integration


async def tracker_events(stack: Stack, conversation_id: str) -> list[dict[str, Any]]:
    """Rasa's stored events of a conversation (through its HTTP API)."""
    url = f"{stack.rasa_url}/conversations/{conversation_id}/tracker"
    params = {"token": stack.rasa_token}
    async with aiohttp.ClientSession() as session, session.get(url, params=params) as response:
        assert response.status == 200
        return list((await response.json())["events"])


def privacy(stack: Stack, gateway: Gateway, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot privacy …` on the gateway's database and Rasa's tracker store."""
    env = {"DATABASE_URL": gateway.database_url, "TRACKER_STORE_URL": stack.tracker_store_url}
    return run_bot("privacy", *args, env=env)


async def test_export_then_erase_everywhere(stack: Stack, gateway: Gateway) -> None:
    async with aiohttp.ClientSession() as session:
        chat = await open_chat(session, gateway)
        await chat.say("Brauche ich eine TSE für meine Kasse?")
        await chat.ws.close()
    conversation = chat.conversation_id
    assert any(e.get("event") == "user" for e in await tracker_events(stack, conversation))

    exported = privacy(stack, gateway, "export", conversation)
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert data["messages"][0]["text"] == "Brauche ich eine TSE für meine Kasse?"
    assert any(e.get("event") == "user" for e in data["dialogue_state_events"])

    erased = privacy(stack, gateway, "erase", conversation, "--yes")
    assert erased.returncode == 0, erased.stderr
    assert not any(e.get("event") == "user" for e in await tracker_events(stack, conversation))
    async with aiohttp.ClientSession() as session:
        again = await open_chat(session, gateway, conversation)
        await again.ws.close()
    assert again.conversation_id != conversation  # the old id is gone
    assert again.history == []
    assert privacy(stack, gateway, "export", conversation).returncode == 1
    audit = privacy(stack, gateway, "audit", "--days", "1")
    assert audit.returncode == 0, audit.stderr
    rows = [line.split("\t") for line in audit.stdout.splitlines()[1:]]
    assert ["cli", "", "export", "", ""] in [row[1:] for row in rows]
    assert ["cli", "", "erase", "", "Die Person hat um Löschung gebeten"] in [
        row[1:] for row in rows
    ]
    assert conversation not in audit.stdout
