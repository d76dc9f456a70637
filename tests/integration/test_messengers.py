"""A person uses werkbot fully on WhatsApp and on Telegram, through the real gateway,
Rasa and action server, with FakeMeta and FakeTelegram in place of the platforms (which
enforce every documented limit): a question, buttons, events, best practices, a handoff
with advisor replies (on WhatsApp also one after the 24-hour window), and a rating."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.db.engine import create_engine
from bot.db.models import Conversation, utcnow
from tests.advisors import Advisor, login, next_frame, open_console
from tests.fakes.fake_meta import FakeMeta
from tests.fakes.fake_telegram import FakeTelegram
from tests.integration.messenger_people import MessengerPerson, TelegramPerson, WhatsAppPerson
from tests.integration.test_handoff import add_advisor
from tests.stack import Gateway, Stack, start_gateway
from tests.unit.channels.conftest import (
    TEMPLATE,
    channel_env,
    running_platforms,
)

pytestmark = pytest.mark.integration

PHONE = "4917612345678"
CHAT = 777001


@pytest.fixture
async def platforms() -> AsyncIterator[tuple[FakeTelegram, FakeMeta]]:
    async with running_platforms(retry_delay=0.2) as fakes:
        yield fakes


@pytest.fixture
def messenger_gateway(
    stack: Stack,
    platforms: tuple[FakeTelegram, FakeMeta],
    tmp_path: Path,
) -> Iterator[Gateway]:
    """A gateway with both messengers on (and the reply template), one advisor."""
    telegram, meta = platforms
    database_url = f"sqlite:///{tmp_path}/werkbot.db"
    supervisor, gateway = start_gateway(
        stack, database_url, tmp_path / "logs", extra_env=channel_env(telegram, meta, TEMPLATE)
    )
    add_advisor(database_url, "krause", "--name", "Petra Krause", "--salutation", "Frau")
    telegram.webhook_url = f"{gateway.url}/channels/telegram/webhook"
    meta.webhook_url = f"{gateway.url}/channels/whatsapp/webhook"
    yield gateway
    supervisor.stop()


async def use_the_bot(person: MessengerPerson, channel: str) -> None:
    """A question, the trade-group buttons, feedback, events and best practices; the
    counted links name the channel (clicks per channel on the dashboard)."""
    answer = await person.say("Brauche ich eine TSE für meine Kasse?")
    assert "Ja, wenn Sie elektronisch kassieren" in answer
    tailored = await person.tap("Lebensmittel")
    assert "/wissen/kasse-baeckerei-fleischerei" in tailored
    assert "nicht sicher" not in tailored
    assert "Danke" in await person.tap("Hat geholfen")
    events = await person.say("Gibt es Veranstaltungen in Magdeburg?")
    assert "Anmeldung:" in events
    assert f"?via={channel}" in events.split("Anmeldung:")[1].split()[0]
    # the trade is known from the group tapped above: examples follow at once
    cases = await person.say("Haben Sie Praxisbeispiele?")
    assert "/praxis/" in cases
    assert f"?via={channel}" in cases.split("/praxis/")[1].split()[0]


async def reach_an_advisor(person: MessengerPerson, gateway: Gateway) -> tuple[Advisor, int]:
    """Ask for a person, consent, confirm; the advisor claims and answers."""
    advisor = await login(gateway.url, "krause")
    console = await open_console(advisor)
    consent = await person.say("Ich möchte mit einem Berater sprechen")
    assert "Einverstanden?" in consent
    summary = await person.tap("Einverstanden")
    if "Ja, stimmt" in person.buttons():
        summary = await person.tap("Ja, stimmt")
    else:
        summary = await person.say("Es geht um die Kasse in meiner Bäckerei")
    assert "Position 1" in summary
    waiting = (await next_frame(console, "queue", wait=10))["waiting"]
    while not waiting:  # a queue frame sent before the chat was queued
        waiting = (await next_frame(console, "queue", wait=10))["waiting"]
    handoff_id = int(waiting[0]["id"])
    assert (await advisor.post(f"/berater/api/handoffs/{handoff_id}/claim")).status == 200
    await person.wait_for("Frau Krause von der Handwerkskammer ist jetzt für Sie da")
    await person.write("Sind Sie noch da?")  # goes to the advisor, not to the bot
    pushed = (await next_frame(console, "message", wait=10))["message"]["text"]
    while pushed != "Sind Sie noch da?":
        pushed = (await next_frame(console, "message", wait=10))["message"]["text"]
    await console.close()
    reply = await advisor.post(f"/berater/api/handoffs/{handoff_id}/reply", {"text": "Ja, hier."})
    assert reply.status == 200
    await person.wait_for("Ja, hier.")
    return advisor, handoff_id


async def close_and_rate(person: MessengerPerson, advisor: Advisor, handoff_id: int) -> None:
    await advisor.post(f"/berater/api/handoffs/{handoff_id}/close")
    await person.wait_for("Wie zufrieden")
    assert "Danke für Ihre Bewertung" in await person.tap("5")
    detail = await advisor.get(f"/berater/api/handoffs/{handoff_id}")
    assert detail["handoff"]["rating"] == 5
    await advisor.http.close()


async def test_telegram_person_uses_werkbot_fully(
    messenger_gateway: Gateway, platforms: tuple[FakeTelegram, FakeMeta]
) -> None:
    telegram, _ = platforms
    person = TelegramPerson(telegram, CHAT)
    assert "Datenschutz" in await person.say("/start")
    await use_the_bot(person, "telegram")
    advisor, handoff_id = await reach_an_advisor(person, messenger_gateway)
    detail = await advisor.get(f"/berater/api/handoffs/{handoff_id}")
    assert detail["handoff"]["channel"] == "telegram"
    assert detail["handoff"]["reply_notice"] is None
    delivered = [m for m in detail["messages"] if m["text"] == "Ja, hier."]
    assert delivered[0]["delivery"]["label"] == "gesendet"
    await close_and_rate(person, advisor, handoff_id)
    assert telegram.rejections == []
    assert telegram.rate_violations == []


async def test_whatsapp_person_uses_werkbot_fully_also_after_a_day(
    messenger_gateway: Gateway, platforms: tuple[FakeTelegram, FakeMeta]
) -> None:
    _, meta = platforms
    person = WhatsAppPerson(meta, PHONE)
    assert "Datenschutz" in await person.say("Hallo")
    await use_the_bot(person, "whatsapp")
    advisor, handoff_id = await reach_an_advisor(person, messenger_gateway)
    wamid = next(m["_id"] for m in reversed(meta.sent) if "Ja, hier." in str(m))
    await meta.push_status(wamid, "read", user=PHONE)
    detail = await advisor.get(f"/berater/api/handoffs/{handoff_id}")
    assert [m["delivery"]["label"] for m in detail["messages"] if m["text"] == "Ja, hier."] == [
        "gelesen"
    ]

    # a day later the advisor adds something: the console warns, the template invites
    # the person back, and the reply follows as soon as they write
    engine = create_engine(messenger_gateway.database_url)
    async with engine.begin() as connection:
        await connection.execute(
            update(Conversation).values(last_inbound_at=utcnow() - timedelta(hours=25))
        )
    await engine.dispose()
    meta.clock_offset = 25 * 3600
    detail = await advisor.get(f"/berater/api/handoffs/{handoff_id}")
    assert "24 Stunden" in detail["handoff"]["reply_notice"]
    await advisor.post(f"/berater/api/handoffs/{handoff_id}/reply", {"text": "Noch ein Tipp."})
    await person.wait_for(f"[template:{TEMPLATE}]")
    assert not any("Noch ein Tipp." in text for text in person.received())
    await person.write("Antwort anzeigen")  # the template's button: the person is back
    await person.wait_for("Noch ein Tipp.")
    await close_and_rate(person, advisor, handoff_id)
    assert meta.rejections == []
