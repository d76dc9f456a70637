"""The widget's side of the gateway: acknowledged, idempotent messages, pings, several
windows of one conversation, the one-tag script and its settings."""

from collections.abc import Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient

from bot import texts
from bot.app import create_app
from bot.config import Settings
from bot.frames import FrameError, PingFrame, TypingFrame, UserFrame, parse_frame
from bot.widget import SOURCES, bundle
from tests.fake_rasa import FakeRasa
from tests.unit.test_websocket import next_message, welcome

ClientFactory = Callable[..., Awaitable[TestClient]]  # type: ignore[type-arg]
CHAMBER = "https://www.hwk-example.de"


@pytest.fixture
async def client(aiohttp_client: ClientFactory, fake_rasa: FakeRasa, sqlite_url: str) -> TestClient:  # type: ignore[type-arg]
    settings = Settings(
        database_url=sqlite_url,
        rasa_url=fake_rasa.url,
        rasa_timeout_seconds=1,
        action_server_url=f"{fake_rasa.url}/webhook",
        allowed_origins=(CHAMBER,),
        public_url="https://chat.hwk-example.de",
    )
    return await aiohttp_client(create_app(settings))


def test_frames_carry_the_widgets_id_and_pings() -> None:
    frame = parse_frame('{"type": "message", "text": "Hallo", "id": "a1b2c3d4e5f6"}')
    assert isinstance(frame, UserFrame)
    assert frame.id == "a1b2c3d4e5f6"
    assert isinstance(parse_frame('{"type": "ping"}'), PingFrame)
    assert isinstance(parse_frame('{"type": "typing"}'), TypingFrame)
    for bad in ("short", "x" * 41, "has space 12", '"><script>'):
        with pytest.raises(FrameError):
            parse_frame(f'{{"type": "message", "text": "Hallo", "id": {bad!r}}}'.replace("'", '"'))


async def test_a_message_is_acknowledged_before_its_answer_and_a_resend_is_stored_once(
    client: TestClient,  # type: ignore[type-arg]
    fake_rasa: FakeRasa,
) -> None:
    frame = {"type": "message", "text": "Hallo", "id": "msg-0001-abcd"}
    async with client.ws_connect("/ws") as ws:
        conversation = (await welcome(ws))["conversation_id"]
        await ws.send_json(frame)
        ack = await ws.receive_json(timeout=5)
        assert ack["type"] == "ack"
        assert ack["id"] == "msg-0001-abcd"
        assert ack["message"]["client_id"] == "msg-0001-abcd"
        assert ack["message"]["id"] is not None
        assert (await next_message(ws))["message"]["text"] == "Guten Tag!"
    # the acknowledgement was lost: the widget resends on a new socket
    async with client.ws_connect("/ws") as ws:
        await welcome(ws)
        await ws.send_json({"type": "resume", "conversation_id": conversation})
        history = (await welcome(ws))["history"]
        assert isinstance(history, list)
        assert [m["client_id"] for m in history] == ["msg-0001-abcd", None]
        await ws.send_json(frame)
        again = await ws.receive_json(timeout=5)
        assert again == {**ack, "message": again["message"]}
        assert again["message"]["id"] == ack["message"]["id"]
        await ws.send_json({"type": "ping"})
        assert await ws.receive_json(timeout=5) == {"type": "pong"}  # no second answer
    assert [r["message"] for r in fake_rasa.received] == ["Hallo"]


async def test_every_window_of_a_conversation_sees_messages_and_answers(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    async with client.ws_connect("/ws") as first:
        conversation = (await welcome(first))["conversation_id"]
        await first.send_json({"type": "message", "text": "Hallo", "id": "first-0001"})
        await next_message(first)
        async with client.ws_connect("/ws") as second:
            await welcome(second)
            await second.send_json({"type": "resume", "conversation_id": conversation})
            await welcome(second)
            await second.send_json({"type": "message", "text": "Noch was", "id": "second-0001"})
            shown = [(await next_message(first))["message"] for _ in range(2)]
            assert [(m["sender"], m["text"]) for m in shown] == [
                ("user", "Noch was"),
                ("bot", "Guten Tag!"),
            ]
            assert (await next_message(second))["message"]["text"] == "Guten Tag!"


async def test_a_starter_button_is_forwarded_before_the_bot_offered_anything(
    client: TestClient,  # type: ignore[type-arg]
    fake_rasa: FakeRasa,
) -> None:
    async with client.ws_connect("/ws") as ws:
        await welcome(ws)
        starter = texts.STARTERS[1]
        await ws.send_json(
            {"type": "message", "text": starter["title"], "payload": starter["payload"]}
        )
        await next_message(ws)
    assert fake_rasa.received[-1]["message"] == "/request_events"


async def test_config_is_readable_from_allowed_sites_only(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    response = await client.get("/widget/config", headers={"Origin": CHAMBER})
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == CHAMBER
    body = await response.json()
    assert body["privacy_url"] == "https://chat.hwk-example.de/datenschutz"
    assert "digitalen Assistenten" in body["welcome"]
    assert [s["title"] for s in body["starters"]] == [s["title"] for s in texts.STARTERS]
    refused = await client.get("/widget/config", headers={"Origin": "https://evil.example"})
    assert refused.status == 403
    assert "Access-Control-Allow-Origin" not in refused.headers
    own = await client.get("/widget/config")  # the gateway's own pages send no Origin
    assert own.status == 200


async def test_the_one_tag_script_is_one_cached_bundle(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    response = await client.get("/widget.js")
    assert response.status == 200
    assert response.content_type == "text/javascript"
    code = await response.text()
    assert code == bundle()[0]
    for source in sorted(SOURCES.glob("*.js")):
        assert source.read_text(encoding="utf-8") in code
    cached = await client.get("/widget.js", headers={"If-None-Match": response.headers["ETag"]})
    assert cached.status == 304


async def test_the_gateways_pages_carry_the_widget_under_a_strict_csp(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    for path in ("/", "/wissen/gibt-es-nicht"):
        response = await client.get(path)
        page = await response.text()
        assert '<script src="/widget.js" defer' in page
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy
        assert "unsafe-inline" not in policy
