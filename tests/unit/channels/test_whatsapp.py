"""WhatsApp end to end in-process: the handshake, signatures over the raw body, every
entry of a webhook, dedup, BSUIDs, lists for long buttons, statuses out of order, the
24-hour window, erasure, and no phone number anywhere in the database."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Awaitable
from datetime import timedelta
from typing import Any

from sqlalchemy import select, text, update

from bot.channels.delivery_status import apply_early_reports
from bot.db.channel_models import ButtonRef, ChannelIdentity, OutboxRow
from bot.db.models import Conversation, Message, utcnow
from bot.db.store import MessageStore, StoredMessage
from bot.keys import PEOPLE, SESSIONS
from tests.unit.channels.conftest import (
    PHONE,
    TEMPLATE,
    WA_PHONE_ID,
    WA_SECRET,
    Setup,
    eventually,
)

# a phone number as text (not digits inside a hash, a token or a message id)
PHONE_LIKE = re.compile(r"(?<![\w.])\+?49\d{6,}(?![\w])")


def envelope(messages: list[tuple[str, str, str]]) -> dict[str, Any]:
    """One change with messages (sender, message id, text), as Meta builds it."""
    return {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "493450000000", "phone_number_id": WA_PHONE_ID},
        "contacts": [{"profile": {"name": "Test"}, "wa_id": sender} for sender, _, _ in messages],
        "messages": [
            {"from": s, "id": i, "timestamp": "1", "type": "text", "text": {"body": t}}
            for s, i, t in messages
        ],
    }


async def test_handshake(gateway: Setup) -> None:
    assert await gateway.meta.verify_handshake(gateway.meta.verify_token) == (200, "1158201444")
    status, _ = await gateway.meta.verify_handshake("falsch")
    assert status == 403


async def test_signature_covers_the_raw_escaped_body(gateway: Setup) -> None:
    _, statuses = await gateway.meta.push_message(PHONE, text="Müller, Größe, Straße 😀")
    assert statuses == [200]
    assert await gateway.user_texts() == ["Müller, Größe, Straße 😀"]
    body = envelope([(PHONE, "wamid.zwei", "Grüße")])
    wrapped = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": body}]}],
    }
    signed_ascii = json.dumps(wrapped, ensure_ascii=True).encode()
    digest = hmac.new(WA_SECRET.encode(), signed_ascii, hashlib.sha256).hexdigest()
    signature = f"sha256={digest}"
    reserialized = json.dumps(wrapped, ensure_ascii=False).encode()
    assert await gateway.meta.raw_post(reserialized, signature) == 401
    assert await gateway.meta.raw_post(signed_ascii, None) == 401
    assert len(await gateway.user_texts()) == 1


async def test_every_entry_and_message_is_stored_once(gateway: Setup) -> None:
    first = envelope([("4915100000001", "wamid.a1", "eins"), ("4915100000002", "wamid.a2", "zwei")])
    second = envelope(
        [("4915100000003", "wamid.b1", "drei"), ("4915100000004", "wamid.b2", "vier")]
    )
    body = {
        "object": "whatsapp_business_account",
        "entry": [
            {"id": "1", "changes": [{"field": "messages", "value": first}]},
            {"id": "2", "changes": [{"field": "messages", "value": second}]},
        ],
    }
    assert await gateway.meta.push_body(body) == [200]
    assert await gateway.meta.push_body(body) == [200]  # Meta retries for days
    again = envelope([("4915100000001", "wamid.a1", "eins")])
    await gateway.meta.push_body(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": again}]}],
        }
    )
    assert sorted(await gateway.user_texts()) == ["drei", "eins", "vier", "zwei"]
    await eventually(lambda: len(gateway.rasa.received) == 4)


async def test_the_webhook_answers_before_the_bot(gateway: Setup) -> None:
    gateway.rasa.delay = 3.0
    started = time.monotonic()
    _, statuses = await gateway.meta.push_message(PHONE, text="Hallo")
    assert statuses == [200]
    assert time.monotonic() - started < 1.0
    await eventually(lambda: gateway.meta.texts_to(PHONE))


async def test_long_buttons_become_a_list_and_a_row_sends_its_payload(gateway: Setup) -> None:
    titles = [
        "Hat geholfen",
        "Hat nicht geholfen",
        "E-Rechnung im Handwerk: Was ab 2025 und 2027 für Empfang und Versand gilt",
        "Mit Berater sprechen",
    ]
    gateway.rasa.replies = [
        {
            "text": "Antwort.",
            "buttons": [{"title": t, "payload": f"/p{n}"} for n, t in enumerate(titles)],
        }
    ]
    await gateway.meta.push_message(PHONE, text="e-rechnung")
    await eventually(lambda: gateway.meta.last_interactive(PHONE))
    interactive = gateway.meta.last_interactive(PHONE) or {}
    assert interactive["type"] == "list"
    rows = interactive["action"]["sections"][0]["rows"]
    assert rows[2]["description"].startswith("E-Rechnung")
    await gateway.meta.push_message(PHONE, list_reply=(rows[2]["id"], rows[2]["title"]))
    await eventually(lambda: len(gateway.rasa.received) == 2)
    assert gateway.rasa.received[1]["message"] == "/p2"
    assert gateway.meta.rejections == []


async def test_a_bsuid_without_phone_number_is_answered_through_recipient(gateway: Setup) -> None:
    await gateway.meta.push_message("DE.1234567890ABCDEF", text="Hallo", bsuid_only=True)
    await eventually(lambda: gateway.meta.texts_to("DE.1234567890ABCDEF"))
    assert gateway.meta.dropped == []
    assert gateway.meta.sent[-1]["recipient"] == "DE.1234567890ABCDEF"


async def test_statuses_only_move_forward(gateway: Setup) -> None:
    async def statuses() -> set[str | None]:
        async with gateway.app[SESSIONS]() as session:
            query = select(Message.delivery_status).where(Message.sender != "user")
            return set(await session.scalars(query))

    await gateway.meta.push_message(PHONE, text="Hallo")
    await eventually(lambda: gateway.meta.sent)
    wamid = gateway.meta.sent[-1]["_id"]
    # the send is recorded (reports faster than that are the early-report test's case)
    await eventually(lambda: _is(statuses(), {"sent"}))
    await gateway.meta.push_status(wamid, "read", user=PHONE)
    await gateway.meta.push_status(wamid, "delivered", user=PHONE)  # late
    await gateway.meta.push_status(wamid, "read", user=PHONE)  # twice
    assert await statuses() == {"read"}  # the welcome notice and the answer went as one


async def _is(found: Awaitable[set[str | None]], expected: set[str]) -> bool:
    return await found == expected


async def _advisor_message_after(gateway: Setup, hours: float) -> str:
    """A person wrote `hours` ago; an advisor's reply is stored and delivered now."""
    await gateway.meta.push_message(PHONE, text="Hallo")
    await eventually(lambda: gateway.meta.texts_to(PHONE))
    earlier = utcnow() - timedelta(hours=hours)
    async with gateway.app[SESSIONS].begin() as session:
        await session.execute(update(Conversation).values(last_inbound_at=earlier))
        conversation_id = str(await session.scalar(select(Conversation.id)))
    gateway.meta.clock_offset = hours * 3600
    reply = StoredMessage("advisor", "Hier ist Ihre Antwort.", [], {"advisor": "Frau Test"})
    stored = await MessageStore(gateway.app[SESSIONS]).add(conversation_id, reply)
    await gateway.app[PEOPLE].deliver(conversation_id, [stored])
    return conversation_id


async def test_outside_the_window_without_template_nothing_is_sent(gateway: Setup) -> None:
    await _advisor_message_after(gateway, 25)
    await eventually(lambda: _outbox(gateway, "needs_template"))
    assert "Hier ist Ihre Antwort." not in " ".join(gateway.meta.texts_to(PHONE))
    assert gateway.meta.rejections == []


async def test_margin_applies_just_before_24_hours(gateway: Setup) -> None:
    await _advisor_message_after(gateway, 23 + 50 / 60)
    await eventually(lambda: _outbox(gateway, "needs_template"))


async def test_outside_the_window_the_template_invites_back(start_gateway: Any) -> None:
    gateway = await start_gateway(template=TEMPLATE)
    await _advisor_message_after(gateway, 25)
    await eventually(lambda: f"[template:{TEMPLATE}]" in gateway.meta.texts_to(PHONE))
    assert "Hier ist Ihre Antwort." not in " ".join(gateway.meta.texts_to(PHONE))
    await gateway.meta.push_message(PHONE, text="Antwort anzeigen")
    await eventually(lambda: "Hier ist Ihre Antwort." in " ".join(gateway.meta.texts_to(PHONE)))
    texts = gateway.meta.texts_to(PHONE)
    assert texts.index(f"[template:{TEMPLATE}]") < len(texts) - 1


async def test_loeschen_erases_the_person_everywhere(gateway: Setup) -> None:
    await gateway.meta.push_message(PHONE, text="Hallo")
    await eventually(lambda: gateway.meta.texts_to(PHONE))
    await gateway.meta.push_message(PHONE, text="LÖSCHEN")
    await eventually(lambda: gateway.meta.last_interactive(PHONE))
    buttons = (gateway.meta.last_interactive(PHONE) or {})["action"]["buttons"]
    confirm = next(b["reply"] for b in buttons if b["reply"]["title"].startswith("Ja"))
    await gateway.meta.push_message(PHONE, button_reply=(confirm["id"], confirm["title"]))
    await eventually(lambda: "überall gelöscht" in gateway.meta.texts_to(PHONE)[-1])
    async with gateway.app[SESSIONS]() as session:
        for table in (Conversation, ChannelIdentity, Message, OutboxRow, ButtonRef):
            assert (await session.scalars(select(table))).all() == []


async def test_no_phone_number_in_the_database_or_the_log(gateway: Setup, caplog: Any) -> None:
    gateway.rasa.replies = [{"text": "Gern.", "buttons": [{"title": "Mehr", "payload": "/m"}]}]
    await gateway.meta.push_message(PHONE, text="Hallo")
    await eventually(lambda: gateway.meta.last_interactive(PHONE))
    await gateway.meta.push_status(gateway.meta.sent[-1]["_id"], "delivered", user=PHONE)
    async with gateway.app[SESSIONS]() as session:
        tables = [
            row[0]
            for row in await session.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table'")
            )
        ]
        for table in tables:
            for row in await session.execute(text(f'SELECT * FROM "{table}"')):
                assert not PHONE_LIKE.search(" ".join(map(str, row))), table
    assert PHONE not in caplog.text


async def test_a_sticker_gets_one_polite_hint(gateway: Setup) -> None:
    gateway.meta.last_inbound[PHONE] = gateway.meta.now()  # push_body leaves the fake's window
    for number in range(2):
        body = envelope([(PHONE, f"wamid.st{number}", "")])
        body["messages"][0] = {
            "from": PHONE,
            "id": f"wamid.st{number}",
            "timestamp": "1",
            "type": "sticker",
            "sticker": {"id": "1"},
        }
        pushed = await gateway.meta.push_body(
            {
                "object": "whatsapp_business_account",
                "entry": [{"id": "1", "changes": [{"field": "messages", "value": body}]}],
            }
        )
        assert pushed == [200]
    await eventually(lambda: gateway.meta.texts_to(PHONE))
    await eventually(lambda: _outbox_count(gateway, 1))
    hints = [t for t in gateway.meta.texts_to(PHONE) if "nicht lesen" in t]
    assert len(hints) == 1
    assert gateway.rasa.received == []


async def _outbox(gateway: Setup, status: str) -> bool:
    async with gateway.app[SESSIONS]() as session:
        return bool(await session.scalar(select(OutboxRow.id).where(OutboxRow.status == status)))


async def _outbox_count(gateway: Setup, count: int) -> bool:
    async with gateway.app[SESSIONS]() as session:
        return len((await session.scalars(select(OutboxRow.id))).all()) >= count


async def test_a_guide_button_shows_its_short_title(gateway: Setup) -> None:
    title = "E-Rechnungen versenden: Fristen 2027 und 2028"
    gateway.rasa.replies = [
        {
            "text": "Antwort.",
            "buttons": [
                {"title": "Hat geholfen", "payload": "#feedback:helpful"},
                {"title": title, "payload": title, "short_title": "E-Rechnung versenden"},
            ],
        }
    ]
    await gateway.meta.push_message(PHONE, text="e-rechnung")
    await eventually(lambda: gateway.meta.last_interactive(PHONE))
    interactive = gateway.meta.last_interactive(PHONE) or {}
    assert interactive["type"] == "button"
    titles = [b["reply"]["title"] for b in interactive["action"]["buttons"]]
    assert titles == ["Hat geholfen", "E-Rechnung versenden"]
    reply = interactive["action"]["buttons"][1]["reply"]
    await gateway.meta.push_message(PHONE, button_reply=(reply["id"], reply["title"]))
    await eventually(lambda: len(gateway.rasa.received) == 2)
    assert gateway.rasa.received[1]["message"] == title  # the payload, not the short title


async def test_a_report_faster_than_our_commit_is_applied_when_the_send_is_recorded(
    gateway: Setup,
) -> None:
    await gateway.meta.push_message(PHONE, text="Hallo")
    await eventually(lambda: _outbox(gateway, "sent"))
    wamid = gateway.meta.sent[-1]["_id"]
    async with gateway.app[SESSIONS].begin() as session:  # as if the send were not recorded
        await session.execute(update(OutboxRow).values(provider_id=None, status="sending"))
    await gateway.meta.push_status(wamid, "read", user=PHONE)
    async with gateway.app[SESSIONS].begin() as session:
        assert set(await session.scalars(select(OutboxRow.status))) == {"sending"}  # kept
        await session.execute(update(OutboxRow).values(provider_id=wamid, status="sent"))
        assert await apply_early_reports(session, wamid) == ["read"]
    async with gateway.app[SESSIONS]() as session:
        statuses = set(
            await session.scalars(select(Message.delivery_status).where(Message.sender != "user"))
        )
    assert statuses == {"read"}
