"""Direct tests of FakeMeta against a tiny local webhook receiver."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import aiohttp
import pytest

from tests.fakes.fake_meta import FakeMeta
from tests.fakes.server import JSON, Receiver, call, receiving

APP_SECRET = "app-secret"
ACCESS = "EAAtest"
PHONE_ID = "1098765432"
USER = "4915112345678"
BSUID = "DE.1234ABCD"
AUTH = {"Authorization": f"Bearer {ACCESS}"}


def meta(**kwargs: Any) -> FakeMeta:
    templates = {"termin_erinnerung": {"de"}}
    return FakeMeta(
        APP_SECRET, "verify", PHONE_ID, ACCESS, templates=templates, retry_delay=0.01, **kwargs
    )


def text_to(user: str, body: str = "Hallo", **extra: Any) -> JSON:
    return {
        "messaging_product": "whatsapp",
        "to": user,
        "type": "text",
        "text": {"body": body},
        **extra,
    }


def buttons(*titles: str, body: str = "Frage?") -> JSON:
    rows = [{"type": "reply", "reply": {"id": f"b{i}", "title": t}} for i, t in enumerate(titles)]
    return {"type": "button", "body": {"text": body}, "action": {"buttons": rows}}


def a_list(rows: int = 2, sections: int = 1, **row: Any) -> JSON:
    items = [{"id": f"r{i}", "title": f"Zeile {i}", **row} for i in range(rows)]
    secs = [{"title": f"S{i}", "rows": items[i::sections]} for i in range(sections)]
    return {
        "type": "list",
        "body": {"text": "Wählen"},
        "action": {"button": "Optionen", "sections": secs},
    }


def value_of(receiver: Receiver) -> JSON:
    value: JSON = receiver.json()["entry"][0]["changes"][0]["value"]
    return value


async def send(fake: FakeMeta, s: aiohttp.ClientSession, payload: JSON) -> tuple[int, JSON]:
    return await call(s, f"{fake.base_url}/v23.0/{PHONE_ID}/messages", payload, AUTH)


@pytest.mark.asyncio
async def test_meta_auth_phone_info_and_unknown_phone() -> None:
    async with meta() as wa, aiohttp.ClientSession() as s:
        url = f"{wa.base_url}/v23.0/{PHONE_ID}/messages"
        status, data = await call(s, url, text_to(USER), {"Authorization": "Bearer nope"})
        assert (status, data["error"]["code"]) == (401, 190)
        status, data = await call(s, f"{wa.base_url}/v23.0/999/messages", text_to(USER), AUTH)
        assert (status, data["error"]["code"]) == (400, 100)
        async with s.get(f"{wa.base_url}/v21.0/{PHONE_ID}", headers=AUTH) as resp:
            info = await resp.json()
        assert info["id"] == PHONE_ID
        assert info["verified_name"] == "Handwerkskammer Test"
        assert [c[0] for c in wa.calls] == ["messages", "messages", "phone_number"]
        assert len(wa.rejections) == 2


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"messaging_product": "sms"}, "messaging_product"),
        ({"recipient": BSUID}, "exactly one of to and recipient"),
        ({"text": {"body": "x" * 4097}}, "text.body"),
        ({"text": {"body": ""}}, "text.body"),
        ({"type": "sticker"}, "unsupported message type"),
        ({"type": "interactive", "interactive": buttons("A", "B", "C", "D")}, "action.buttons"),
        ({"type": "interactive", "interactive": buttons("x" * 21)}, "reply.title"),
        ({"type": "interactive", "interactive": buttons("A", "A")}, "unique"),
        ({"type": "interactive", "interactive": buttons("A", body="b" * 1025)}, "body.text"),
        (
            {"type": "interactive", "interactive": buttons("A") | {"footer": {"text": "f" * 61}}},
            "footer.text",
        ),
        (
            {
                "type": "interactive",
                "interactive": buttons("A") | {"header": {"type": "text", "text": "h" * 61}},
            },
            "header.text",
        ),
        ({"type": "interactive", "interactive": a_list(rows=11)}, "rows"),
        ({"type": "interactive", "interactive": a_list(rows=3, sections=11)}, "action.sections"),
        ({"type": "interactive", "interactive": a_list(description="d" * 73)}, "row.description"),
        ({"type": "interactive", "interactive": a_list(title="t" * 25)}, "row.title"),
        ({"type": "image", "image": {"caption": "c"}}, "image.link"),
        (
            {"type": "image", "image": {"link": "https://x.de/a.jpg", "caption": "c" * 1025}},
            "image.caption",
        ),
    ],
)
async def test_meta_send_validation(change: JSON, detail: str) -> None:
    async with meta() as wa, aiohttp.ClientSession() as s:
        wa.last_inbound[USER] = wa.now()
        status, data = await send(wa, s, text_to(USER) | change)
        assert (status, data["error"]["code"]) == (400, 100)
        assert detail in data["error"]["error_data"]["details"]
        assert wa.sent == []
        assert wa.rejections[0][0] == "messages"


@pytest.mark.asyncio
async def test_meta_list_section_titles_and_valid_sends() -> None:
    async with meta() as wa, aiohttp.ClientSession() as s:
        wa.last_inbound[USER] = wa.now()
        two = a_list(rows=4, sections=2)
        del two["action"]["sections"][1]["title"]
        status, data = await send(wa, s, text_to(USER, type="interactive", interactive=two))
        assert "section.title" in data["error"]["error_data"]["details"]
        ok = [buttons("Ja", "Nein"), a_list(rows=10, sections=2)]
        for interactive in ok:
            payload = text_to(USER, type="interactive", interactive=interactive)
            assert (await send(wa, s, payload))[0] == 200
        payload = text_to("+49 151 12345678", "Grüße", biz_opaque_callback_data="outbox:1")
        status, data = await send(wa, s, payload)
        assert status == 200
        assert data["contacts"] == [{"input": "+49 151 12345678", "wa_id": USER}]
        assert data["messages"][0]["id"].startswith("wamid.")
        assert wa.texts_to(USER) == ["Frage?", "Wählen", "Grüße"]
        assert wa.last_interactive(USER) == ok[1]
        assert wa.sent[-1]["biz_opaque_callback_data"] == "outbox:1"


@pytest.mark.asyncio
async def test_meta_window_templates_and_pair_rate() -> None:
    receiver = Receiver()
    async with receiving(receiver) as hook, meta(pair_interval=6.0) as wa:
        wa.webhook_url = hook
        async with aiohttp.ClientSession() as s:
            status, data = await send(wa, s, text_to(USER))
            assert (status, data["error"]["code"]) == (400, 131047)
            template: JSON = {
                "messaging_product": "whatsapp",
                "to": USER,
                "type": "template",
                "template": {"name": "termin_erinnerung", "language": {"code": "de"}},
            }
            assert (await send(wa, s, template))[0] == 200
            template["template"]["language"] = {"code": "en"}
            status, data = await send(wa, s, template)
            assert (status, data["error"]["code"]) == (400, 132001)
            await wa.push_message(USER, text="Hallo")
            wa.clock_offset += 10
            assert (await send(wa, s, text_to(USER)))[0] == 200
            status, data = await send(wa, s, text_to(USER))
            assert (status, data["error"]["code"]) == (400, 131056)
            wa.clock_offset += 24 * 3600
            status, data = await send(wa, s, text_to(USER))
            assert (status, data["error"]["code"]) == (400, 131047)
            assert wa.texts_to(USER) == ["[template:termin_erinnerung]", "Hallo"]
            codes = [description.split(")")[0] for _, description in wa.rejections]
            assert codes == ["(131047", "(132001", "(131056", "(131047"]


@pytest.mark.asyncio
async def test_meta_bsuid_recipient_and_dropped_to() -> None:
    receiver = Receiver()
    async with receiving(receiver) as hook, meta() as wa, aiohttp.ClientSession() as s:
        wa.webhook_url = hook
        await wa.push_message(BSUID, text="Hi", bsuid_only=True)
        value = value_of(receiver)
        assert value["contacts"] == [{"profile": {"name": "Test Person"}, "user_id": BSUID}]
        assert value["messages"][0]["from_user_id"] == BSUID
        assert "from" not in value["messages"][0]
        status, data = await send(wa, s, text_to(BSUID))
        assert status == 200
        assert wa.dropped[0]["to"] == BSUID
        assert wa.sent == []
        payload = text_to(BSUID)
        payload["recipient"] = payload.pop("to")
        status, data = await send(wa, s, payload)
        assert data["contacts"] == [{"input": BSUID, "user_id": BSUID}]
        assert wa.texts_to(BSUID) == ["Hallo"]
        assert wa.rejections == []


@pytest.mark.asyncio
async def test_meta_faults() -> None:
    async with meta() as wa, aiohttp.ClientSession() as s:
        wa.last_inbound[USER] = wa.now()
        throughput = {"error": {"message": "(#130429) Rate limit hit", "code": 130429}}
        wa.fail_next(status=400, body=throughput)
        wa.fail_next(status=500, body={"error": {"message": "boom", "code": 1}})
        assert (await send(wa, s, text_to(USER)))[1]["error"]["code"] == 130429
        assert (await send(wa, s, text_to(USER)))[0] == 500
        wa.delay_next(0.3)
        with pytest.raises(TimeoutError):
            await s.post(
                f"{wa.base_url}/v23.0/{PHONE_ID}/messages",
                json=text_to(USER),
                headers=AUTH,
                timeout=aiohttp.ClientTimeout(total=0.05),
            )
        assert wa.rejections == []
        assert len(wa.calls) == 3


@pytest.mark.asyncio
async def test_meta_push_signature_retries_and_statuses() -> None:
    receiver = Receiver(statuses=[500])
    async with receiving(receiver) as hook, meta() as wa, aiohttp.ClientSession() as s:
        wa.webhook_url = hook
        wamid, statuses = await wa.push_message(USER, text="Grüße", profile_name="Jörg")
        assert statuses == [500, 200]
        headers, raw = receiver.requests[-1]
        assert raw == receiver.requests[0][1]
        assert b"Gr\\u00fc\\u00dfe" in raw
        expected = hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
        assert headers["X-Hub-Signature-256"] == f"sha256={expected}"
        message = value_of(receiver)["messages"][0]
        assert (message["id"], message["from"], message["type"]) == (wamid, USER, "text")

        _, data = await send(wa, s, text_to(USER, biz_opaque_callback_data="outbox:7"))
        out = data["messages"][0]["id"]
        errors = [{"code": 131026, "title": "Message undeliverable"}]
        await wa.push_status(out, "failed", user=USER, errors=errors)
        status = value_of(receiver)["statuses"][0]
        assert (status["id"], status["status"], status["recipient_id"]) == (out, "failed", USER)
        assert status["biz_opaque_callback_data"] == "outbox:7"
        assert status["errors"] == errors
        await wa.push_status("wamid.x", "read", user=BSUID)
        status = value_of(receiver)["statuses"][0]
        assert status["recipient_user_id"] == BSUID
        assert "recipient_id" not in status

        await wa.push_message(USER, button_reply=("b0", "Ja"))
        reply = value_of(receiver)["messages"][0]
        assert reply["interactive"] == {
            "type": "button_reply",
            "button_reply": {"id": "b0", "title": "Ja"},
        }
        assert reply["context"]["id"] == out
        await wa.push_message(USER, list_reply=("r1", "Zeile 1"))
        row = value_of(receiver)["messages"][0]["interactive"]["list_reply"]
        assert row == {"id": "r1", "title": "Zeile 1", "description": ""}
        with pytest.raises(ValueError, match="exactly one"):
            await wa.push_message(USER)

        body = {"object": "whatsapp_business_account", "entry": [{"id": "1"}, {"id": "2"}]}
        assert await wa.push_body(body) == [200]
        wa.push_secret = "wrong"
        await wa.push_body(body)
        wrong = hmac.new(b"wrong", receiver.requests[-1][1], hashlib.sha256).hexdigest()
        assert receiver.requests[-1][0]["X-Hub-Signature-256"] == f"sha256={wrong}"
        assert await wa.raw_post(b"{}", None) == 200
        assert "X-Hub-Signature-256" not in receiver.requests[-1][0]


@pytest.mark.asyncio
async def test_meta_verify_handshake() -> None:
    receiver = Receiver()
    async with receiving(receiver) as hook, meta() as wa:
        wa.webhook_url = hook
        assert await wa.verify_handshake("verify") == (200, "1158201444")
        assert (await wa.verify_handshake("wrong", "42"))[0] == 403
