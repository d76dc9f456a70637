"""Direct tests of FakeTelegram against a tiny local webhook receiver."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from tests.fakes.fake_telegram import FakeTelegram
from tests.fakes.server import JSON, Receiver, call, receiving

TOKEN = "123456:TEST-token"
SECRET = "hook_secret-1"


def telegram(**kwargs: Any) -> FakeTelegram:
    return FakeTelegram(TOKEN, SECRET, retry_delay=0.01, **kwargs)


@pytest.mark.asyncio
async def test_telegram_auth_unknown_method_and_get_me() -> None:
    async with telegram() as tg, aiohttp.ClientSession() as s:
        status, body = await call(s, f"{tg.base_url}/botWRONG/getMe", {})
        assert (status, body["description"]) == (401, "Unauthorized")
        status, body = await call(s, f"{tg.base_url}/bot{TOKEN}/sendSticker", {})
        assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
        status, body = await call(s, f"{tg.base_url}/bot{TOKEN}/getMe", {})
        assert body["result"]["username"] == "werkbot_test_bot"
        assert [c[0] for c in tg.calls] == ["getMe", "sendSticker", "getMe"]
        assert tg.rejections == [("getMe", "Unauthorized"), ("sendSticker", "Not Found")]


@pytest.mark.asyncio
async def test_telegram_send_message_limits() -> None:
    async with telegram() as tg, aiohttp.ClientSession() as s:
        url = f"{tg.base_url}/bot{TOKEN}/sendMessage"
        markup = {"inline_keyboard": [[{"text": "Ja", "callback_data": "yes"}]]}
        status, body = await call(
            s, url, {"chat_id": 7, "text": "a" * 4096, "reply_markup": markup}
        )
        first = body["result"]
        assert status == 200
        assert first["chat"] == {"id": 7, "type": "private"}
        assert first["reply_markup"] == markup
        _, body = await call(s, url, {"chat_id": "7", "text": "Hallo"})
        assert body["result"]["message_id"] == first["message_id"] + 1
        assert (await call(s, url, {"chat_id": 7, "text": "😀" * 2049}))[0] == 400
        assert (await call(s, url, {"chat_id": 7, "text": " "}))[0] == 400
        assert [r[1] for r in tg.rejections] == [
            "Bad Request: message is too long",
            "Bad Request: message text is empty",
        ]
        assert tg.texts_to(7) == ["a" * 4096, "Hallo"]
        assert tg.last_keyboard(7) == [{"text": "Ja", "callback_data": "yes"}]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("button", "error"),
    [
        ({"text": "x", "callback_data": "ä" * 33}, "BUTTON_DATA_INVALID"),
        ({"text": "x", "callback_data": ""}, "BUTTON_DATA_INVALID"),
        ({"text": "x", "callback_data": "a", "url": "https://x.de"}, "Text buttons are unallowed"),
        ({"text": "x"}, "Text buttons are unallowed"),
        ({"callback_data": "a"}, 'Field "text" must be of type String'),
    ],
)
async def test_telegram_inline_keyboard_rules(button: JSON, error: str) -> None:
    async with telegram() as tg, aiohttp.ClientSession() as s:
        body = {"chat_id": 1, "text": "t", "reply_markup": {"inline_keyboard": [[button]]}}
        status, data = await call(s, f"{tg.base_url}/bot{TOKEN}/sendMessage", body)
        assert status == 400
        assert error in data["description"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("mode", "text", "error"),
    [
        ("MarkdownV2", "z.B. heute", "Character '.' is reserved and must be escaped"),
        ("MarkdownV2", "Bau-Gewerbe", "Character '-' is reserved"),
        ("MarkdownV2", "*fett", "Can't find end of the entity"),
        ("MarkdownV2", "z\\.B\\. *fett* _kursiv_ [Link](https://x.de/a)", None),
        ("HTML", "<b>fett</b> &amp; <a href='https://x.de'>Link</a>", None),
        ("HTML", "<b>fett", "Can't find end tag corresponding to start tag b"),
        ("HTML", "<b>a</i>", "Unmatched end tag"),
        ("HTML", "<foo>a</foo>", 'Unsupported start tag "foo"'),
        ("HTML", "3 < 4", "Unsupported start tag"),
        ("HTML", "Müller & Söhne", "can't parse entities"),
    ],
)
async def test_telegram_parse_modes(mode: str, text: str, error: str | None) -> None:
    async with telegram() as tg, aiohttp.ClientSession() as s:
        body = {"chat_id": 1, "text": text, "parse_mode": mode}
        status, data = await call(s, f"{tg.base_url}/bot{TOKEN}/sendMessage", body)
        if error is None:
            assert status == 200
        else:
            assert status == 400
            assert data["description"].startswith("Bad Request: can't parse entities: ")
            assert error in data["description"]


@pytest.mark.asyncio
async def test_telegram_markdown_length_counts_plain_text() -> None:
    async with telegram() as tg, aiohttp.ClientSession() as s:
        text = "\\." * 4096
        body = {"chat_id": 1, "text": text, "parse_mode": "MarkdownV2"}
        assert (await call(s, f"{tg.base_url}/bot{TOKEN}/sendMessage", body))[0] == 200


@pytest.mark.asyncio
async def test_telegram_send_photo_form_and_caption_limit() -> None:
    async with telegram() as tg, aiohttp.ClientSession() as s:
        url = f"{tg.base_url}/bot{TOKEN}/sendPhoto"
        form = aiohttp.FormData()
        form.add_field("chat_id", "5")
        form.add_field("caption", "Foto")
        form.add_field("photo", b"\x89PNG", filename="a.png", content_type="image/png")
        async with s.post(url, data=form) as resp:
            assert resp.status == 200
        status, data = await call(
            s, url, {"chat_id": 5, "photo": "https://x.de/a.jpg", "caption": "c" * 1025}
        )
        assert (status, data["description"]) == (400, "Bad Request: message caption is too long")
        assert tg.texts_to(5) == ["Foto"]
        assert tg.calls[0][1]["photo"] == "<file:a.png>"


@pytest.mark.asyncio
async def test_telegram_faults_block_and_rate_limit() -> None:
    async with telegram() as tg, aiohttp.ClientSession() as s:
        url = f"{tg.base_url}/bot{TOKEN}/sendMessage"
        tg.rate_limit_next(7)
        status, data = await call(s, url, {"chat_id": 1, "text": "a"})
        assert (status, data["parameters"]) == (429, {"retry_after": 7})
        tg.fail_next(status=500, body={"ok": False, "error_code": 500, "description": "Oops"})
        assert (await call(s, url, {"chat_id": 1, "text": "a"}))[0] == 500
        tg.block(2)
        status, data = await call(s, url, {"chat_id": 2, "text": "a"})
        assert status == 403
        assert data["description"] == "Forbidden: bot was blocked by the user"
        tg.delay_next(0.3)
        with pytest.raises(TimeoutError):
            await s.post(
                url, json={"chat_id": 1, "text": "late"}, timeout=aiohttp.ClientTimeout(total=0.05)
            )
        assert tg.rejections == [("sendMessage", "Forbidden: bot was blocked by the user")]
        assert len(tg.calls) == 4


@pytest.mark.asyncio
async def test_telegram_per_chat_rate_check() -> None:
    async with telegram() as tg, aiohttp.ClientSession() as s:
        url = f"{tg.base_url}/bot{TOKEN}/sendMessage"
        await call(s, url, {"chat_id": 1, "text": "a"})
        await call(s, url, {"chat_id": 2, "text": "b"})
        await call(s, url, {"chat_id": 1, "text": "c"})
        assert [chat for chat, _ in tg.rate_violations] == [1]
        tg.clock_offset += 1.0
        await call(s, url, {"chat_id": 1, "text": "d"})
        assert len(tg.rate_violations) == 1


@pytest.mark.asyncio
async def test_telegram_callbacks_and_edits() -> None:
    receiver = Receiver()
    async with receiving(receiver) as hook, telegram() as tg, aiohttp.ClientSession() as s:
        tg.webhook_url = hook
        api = f"{tg.base_url}/bot{TOKEN}"
        markup = {"inline_keyboard": [[{"text": "Ja", "callback_data": "yes"}]]}
        _, sent = await call(
            s, f"{api}/sendMessage", {"chat_id": 3, "text": "?", "reply_markup": markup}
        )
        mid = sent["result"]["message_id"]
        update = tg.callback_update(3, "yes", message_id=mid)
        assert await tg.push(update) == [200]
        assert receiver.json()["callback_query"]["message"]["text"] == "?"
        query_id = update["callback_query"]["id"]
        answer = f"{api}/answerCallbackQuery"
        assert (await call(s, answer, {"callback_query_id": query_id}))[0] == 200
        assert (await call(s, answer, {"callback_query_id": query_id}))[0] == 400
        assert (await call(s, answer, {"callback_query_id": "nope"}))[0] == 400
        late = tg.callback_update(3, "yes", message_id=mid)
        await tg.push(late)
        tg.clock_offset += 11
        status, data = await call(s, answer, {"callback_query_id": late["callback_query"]["id"]})
        assert status == 400
        assert "query is too old" in data["description"]
        assert tg.answered_callbacks == [query_id]
        edit = {"chat_id": 3, "message_id": mid, "reply_markup": markup}
        status, data = await call(s, f"{api}/editMessageReplyMarkup", edit)
        assert status == 400
        assert data["description"].startswith("Bad Request: message is not modified")
        edit["reply_markup"] = {"inline_keyboard": []}
        assert (await call(s, f"{api}/editMessageReplyMarkup", edit))[0] == 200
        assert tg.last_keyboard(3) is None


@pytest.mark.asyncio
async def test_telegram_webhook_bookkeeping() -> None:
    async with telegram() as tg, aiohttp.ClientSession() as s:
        api = f"{tg.base_url}/bot{TOKEN}"
        hook = {
            "url": "https://bot.example/tg",
            "secret_token": SECRET,
            "allowed_updates": ["message", "callback_query"],
            "max_connections": 5,
        }
        assert (await call(s, f"{api}/setWebhook", hook))[1]["result"] is True
        assert (await call(s, f"{api}/setWebhook", {"url": "x", "secret_token": "a b"}))[0] == 400
        tg.pending_update_count = 2
        tg.last_error_message = "Connection refused"
        _, info = await call(s, f"{api}/getWebhookInfo", {})
        assert info["result"]["url"] == "https://bot.example/tg"
        assert info["result"]["allowed_updates"] == ["message", "callback_query"]
        assert info["result"]["max_connections"] == 5
        assert info["result"]["pending_update_count"] == 2
        assert info["result"]["last_error_message"] == "Connection refused"
        assert "last_error_date" not in info["result"]
        assert tg.registered_secret == SECRET
        await call(s, f"{api}/deleteWebhook", {})
        assert (await call(s, f"{api}/getWebhookInfo", {}))[1]["result"]["url"] == ""


@pytest.mark.asyncio
async def test_telegram_push_secret_and_retries() -> None:
    receiver = Receiver(statuses=[500, 502])
    async with receiving(receiver) as hook, telegram() as tg:
        tg.webhook_url = hook
        update = tg.message_update(9, "Grüße")
        assert await tg.push(update) == [500, 502, 200]
        assert len({body for _, body in receiver.requests}) == 1
        assert receiver.requests[0][0]["X-Telegram-Bot-Api-Secret-Token"] == SECRET
        assert receiver.json()["message"]["chat"] == {
            "id": 9,
            "first_name": "Test",
            "type": "private",
        }
        tg.push_secret = None
        await tg.push(tg.message_update(9, "x"))
        assert "X-Telegram-Bot-Api-Secret-Token" not in receiver.requests[-1][0]
        assert tg.next_update_id() > update["update_id"]
    async with FakeTelegram(TOKEN, SECRET, retries=1, retry_delay=0.01) as dead:
        dead.webhook_url = hook
        assert await dead.push(dead.message_update(1, "x")) == [0, 0]


@pytest.mark.asyncio
async def test_telegram_serializes_pushes_per_chat() -> None:
    receiver = Receiver(pause=0.05)
    async with receiving(receiver) as hook, telegram() as tg:
        tg.webhook_url = hook
        same = [tg.message_update(1, str(i)) for i in range(3)]
        await asyncio.gather(*(tg.push(u) for u in same))
        assert receiver.max_active == 1
        assert [receiver.json(i)["message"]["text"] for i in range(3)] == ["0", "1", "2"]
        await asyncio.gather(tg.push(tg.message_update(1, "a")), tg.push(tg.message_update(2, "b")))
        assert receiver.max_active == 2
