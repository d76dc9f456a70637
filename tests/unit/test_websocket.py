"""The gateway app end to end in-process, with a fake Rasa behind it."""

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.config import Settings
from tests.fake_rasa import FakeRasa

ClientFactory = Callable[..., Awaitable[TestClient]]  # type: ignore[type-arg]


@pytest.fixture
async def client(aiohttp_client: ClientFactory, fake_rasa: FakeRasa, sqlite_url: str) -> TestClient:  # type: ignore[type-arg]
    settings = Settings(
        database_url=sqlite_url,
        rasa_url=fake_rasa.url,
        rasa_timeout_seconds=1,
        action_server_url=f"{fake_rasa.url}/webhook",
    )
    return await aiohttp_client(create_app(settings))


async def welcome(ws: aiohttp.ClientWebSocketResponse) -> dict[str, object]:
    frame = await ws.receive_json(timeout=5)
    assert frame["type"] == "welcome"
    return dict(frame)


async def next_message(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    """The next message frame (acknowledgements of the person's messages skipped)."""
    while True:
        frame: dict[str, Any] = await ws.receive_json(timeout=5)
        if frame["type"] == "message":
            return frame
        assert frame["type"] == "ack"


async def reopen(
    client: TestClient,  # type: ignore[type-arg]
    conversation: object,
) -> dict[str, object]:
    """Reconnect as the widget does: a new socket, then a `resume` frame with the id."""
    async with client.ws_connect("/ws") as ws:
        await welcome(ws)
        await ws.send_json({"type": "resume", "conversation_id": str(conversation)})
        return await welcome(ws)


async def test_conversation_and_history_after_reconnect(
    client: TestClient,  # type: ignore[type-arg]
    fake_rasa: FakeRasa,
) -> None:
    fake_rasa.replies = [
        {"text": "Guten Tag!", "buttons": [{"title": "Was können Sie?", "payload": "/help"}]}
    ]
    async with client.ws_connect("/ws") as ws:
        first = await welcome(ws)
        assert first["history"] == []
        await ws.send_json({"type": "message", "text": "Hallo"})
        reply = await next_message(ws)
    assert reply["type"] == "message"
    assert reply["message"]["text"] == "Guten Tag!"
    assert reply["message"]["buttons"] == [{"title": "Was können Sie?", "payload": "/help"}]
    conversation = first["conversation_id"]
    again = await reopen(client, conversation)
    assert again["conversation_id"] == conversation
    history = again["history"]
    assert isinstance(history, list)
    assert [(m["sender"], m["text"]) for m in history] == [
        ("user", "Hallo"),
        ("bot", "Guten Tag!"),
    ]


async def test_unknown_conversation_id_starts_a_new_one(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    async with client.ws_connect("/ws?conversation_id=" + "f" * 32) as ws:
        frame = await welcome(ws)
    assert frame["conversation_id"] != "f" * 32
    assert frame["history"] == []


async def test_too_long_message_gets_a_notice_only(
    client: TestClient,  # type: ignore[type-arg]
    fake_rasa: FakeRasa,
) -> None:
    async with client.ws_connect("/ws") as ws:
        await welcome(ws)
        await ws.send_json({"type": "message", "text": "x" * 2500, "id": "too-long-1"})
        reply = await ws.receive_json(timeout=5)
    assert reply["type"] == "reject"
    assert reply["id"] == "too-long-1"
    assert reply["message"]["sender"] == "system"
    assert "zu lang" in reply["message"]["text"]
    assert fake_rasa.received == []


async def test_blank_message_gets_no_answer(
    client: TestClient,  # type: ignore[type-arg]
    fake_rasa: FakeRasa,
) -> None:
    async with client.ws_connect("/ws") as ws:
        await welcome(ws)
        await ws.send_json({"type": "message", "text": "   "})
        await ws.send_json({"type": "message", "text": "Hallo"})
        reply = await next_message(ws)
    assert reply["message"]["text"] == "Guten Tag!"
    assert [r["message"] for r in fake_rasa.received] == ["Hallo"]


async def assert_still_serving(client: TestClient) -> None:  # type: ignore[type-arg]
    async with client.ws_connect("/ws") as ws:
        await welcome(ws)
        await ws.send_json({"type": "message", "text": "Hallo"})
        assert (await next_message(ws))["type"] == "message"


async def test_binary_frame_closes_with_unsupported_data(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    async with client.ws_connect("/ws") as ws:
        await welcome(ws)
        await ws.send_bytes(b"\x00\x01")
        closing = await ws.receive(timeout=5)
    assert closing.type == WSMsgType.CLOSE
    assert ws.close_code == aiohttp.WSCloseCode.UNSUPPORTED_DATA
    await assert_still_serving(client)


@pytest.mark.parametrize("raw", ["kein json", '{"type": "message"}', '{"text": "Hallo"}'])
async def test_malformed_frame_closes_with_invalid_payload(
    client: TestClient,  # type: ignore[type-arg]
    raw: str,
) -> None:
    async with client.ws_connect("/ws") as ws:
        await welcome(ws)
        await ws.send_str(raw)
        closing = await ws.receive(timeout=5)
    assert closing.type == WSMsgType.CLOSE
    assert ws.close_code == aiohttp.WSCloseCode.INVALID_TEXT
    await assert_still_serving(client)


async def test_non_utf8_text_frame_closes_the_socket(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    async with client.ws_connect("/ws") as ws:
        await welcome(ws)
        writer = ws._writer  # the public API only sends valid UTF-8 text
        await writer.send_frame(b"\xff\xfe Hallo", aiohttp.WSMsgType.TEXT)
        closing = await ws.receive(timeout=5)
    assert closing.type == WSMsgType.CLOSE
    assert ws.close_code == aiohttp.WSCloseCode.INVALID_TEXT
    await assert_still_serving(client)


async def test_oversized_frame_closes_with_message_too_big(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    async with client.ws_connect("/ws") as ws:
        await welcome(ws)
        await ws.send_str('{"type": "message", "text": "' + "x" * 70_000 + '"}')
        closing = await ws.receive(timeout=5)
    assert closing.type == WSMsgType.CLOSE
    assert ws.close_code == aiohttp.WSCloseCode.MESSAGE_TOO_BIG
    await assert_still_serving(client)


async def test_rasa_down_gives_a_german_notice_quickly(
    aiohttp_client: ClientFactory, sqlite_url: str
) -> None:
    settings = Settings(database_url=sqlite_url, rasa_url="http://127.0.0.1:9")
    client = await aiohttp_client(create_app(settings))
    async with client.ws_connect("/ws") as ws:
        conversation = (await welcome(ws))["conversation_id"]
        await ws.send_json({"type": "message", "text": "Hallo"})
        reply = await next_message(ws)
    assert "kurz nicht erreichbar" in reply["message"]["text"]
    history = (await reopen(client, conversation))["history"]
    assert isinstance(history, list)
    assert history[0]["text"] == "Hallo"


async def test_health_reports_database_and_rasa(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    response = await client.get("/health")
    assert response.status == 200
    assert await response.json() == {
        "status": "ok",
        "database": "ok",
        "rasa": "ok",
        "actions": "ok",
    }


async def test_health_is_degraded_while_rasa_or_the_action_server_is_down(
    aiohttp_client: ClientFactory, fake_rasa: FakeRasa, sqlite_url: str
) -> None:
    down = "http://127.0.0.1:9"
    for rasa, actions, expected in (
        (down, f"{fake_rasa.url}/webhook", {"rasa": "unreachable", "actions": "ok"}),
        (fake_rasa.url, f"{down}/webhook", {"rasa": "ok", "actions": "unreachable"}),
    ):
        settings = Settings(database_url=sqlite_url, rasa_url=rasa, action_server_url=actions)
        client = await aiohttp_client(create_app(settings))
        response = await client.get("/health")
        assert response.status == 503
        assert await response.json() == {"status": "degraded", "database": "ok", **expected}


async def test_index_serves_the_widget(client: TestClient) -> None:  # type: ignore[type-arg]
    page = await (await client.get("/")).text()
    assert 'lang="de"' in page
    assert '<script src="/widget.js" defer' in page
    script = await client.get("/static/widget.js")
    assert script.status == 200


async def test_liveness_needs_only_the_database(
    aiohttp_client: ClientFactory, sqlite_url: str
) -> None:
    settings = Settings(database_url=sqlite_url, rasa_url="http://127.0.0.1:9")
    client = await aiohttp_client(create_app(settings))
    response = await client.get("/health/live")
    assert response.status == 200
    assert await response.json() == {"database": "ok"}


async def test_the_chat_socket_refuses_foreign_origins(
    aiohttp_client: ClientFactory, fake_rasa: FakeRasa, sqlite_url: str
) -> None:
    settings = Settings(
        database_url=sqlite_url,
        rasa_url=fake_rasa.url,
        allowed_origins=("https://www.hwk-example.de",),
    )
    client = await aiohttp_client(create_app(settings))
    own = f"http://{client.host}:{client.port}"
    for origin in (own, "https://www.hwk-example.de"):
        async with client.ws_connect("/ws", headers={"Origin": origin}) as ws:
            assert (await welcome(ws))["conversation_id"]
    for origin in ("https://evil.example", "https://www.hwk-example.de.evil.example"):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", headers={"Origin": origin})
        assert refused.value.status == 403


def test_allowed_origins_come_from_the_environment() -> None:
    env = {"ALLOWED_ORIGINS": "https://www.hwk-example.de/, https://chat.hwk-example.de"}
    assert Settings.from_env(env).allowed_origins == (
        "https://www.hwk-example.de",
        "https://chat.hwk-example.de",
    )


async def test_erasing_closes_the_socket_and_the_old_id_is_gone(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    async with client.ws_connect("/ws") as ws:
        conversation = (await welcome(ws))["conversation_id"]
        await ws.send_json({"type": "message", "text": "Löschen Sie meine Daten"})
        ask = (await next_message(ws))["message"]
        confirm = ask["buttons"][0]
        frame = {"type": "message", "text": confirm["title"], "payload": confirm["payload"]}
        await ws.send_json(frame)
        done = (await next_message(ws))["message"]
        assert done["custom"] == {"erased": True}
        closing = await ws.receive(timeout=5)
        assert closing.type == WSMsgType.CLOSE
        assert closing.data == 4001
    again = await reopen(client, conversation)
    assert again["conversation_id"] != conversation
    assert again["history"] == []


async def test_a_resume_frame_reattaches_without_the_id_in_the_url(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    async with client.ws_connect("/ws") as ws:
        conversation = (await welcome(ws))["conversation_id"]
        await ws.send_json({"type": "message", "text": "Hallo"})
        await next_message(ws)
    async with client.ws_connect("/ws") as ws:
        await welcome(ws)
        await ws.send_json({"type": "resume", "conversation_id": conversation})
        resumed = await welcome(ws)
        assert resumed["conversation_id"] == conversation
        history: list[dict[str, str]] = resumed["history"]  # type: ignore[assignment]
        assert [m["text"] for m in history] == ["Hallo", "Guten Tag!"]
        assert resumed["retention_days"] == 90
        await ws.send_json({"type": "resume", "conversation_id": "f" * 32})
        assert (await welcome(ws))["conversation_id"] not in {conversation, "f" * 32}
    # an id in the URL (it would reach access logs) is not a way back in
    async with client.ws_connect(f"/ws?conversation_id={conversation}") as ws:
        assert (await welcome(ws))["conversation_id"] != conversation


async def test_the_privacy_notice_states_the_retention_period(
    aiohttp_client: ClientFactory, fake_rasa: FakeRasa, sqlite_url: str
) -> None:
    settings = Settings(database_url=sqlite_url, rasa_url=fake_rasa.url, retention_days=30)
    client = await aiohttp_client(create_app(settings))
    page = await (await client.get("/datenschutz")).text()
    assert "30 Tage nach seiner letzten Nachricht" in page
    for heading in ("Was wird gespeichert?", "Wie lange?", "Wer sieht es?", "Ihre Rechte"):
        assert heading in page
    index = await (await client.get("/")).text()
    assert 'href="/datenschutz"' in index
