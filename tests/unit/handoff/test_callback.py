"""Nobody online: the callback form, its validation and corrections, the ticket, the
e-mail to the advisors through a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.config import Settings
from bot.db.models import Handoff, utcnow
from bot.db.store import MessageStore, StoredMessage
from bot.handoff import texts
from bot.handoff.mailer import CallbackMailer, callback_email, retry_delay
from bot.handoff.serialize import handoff_json
from bot.handoff.store import MAX_EMAIL_ATTEMPTS
from bot.keys import ADVISORS, HANDOFFS, SESSIONS, SETTINGS
from tests.advisors import Advisor
from tests.fake_rasa import FakeRasa
from tests.mail_inbox import Inbox, running_inbox
from tests.stack import free_port
from tests.unit.handoff.conftest import TSE_TRIGGER, Person, handoff_reply

# a conversation without a known trade: the form takes it from the business name
NO_TRADE = {**TSE_TRIGGER, "trade": None}


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    with running_inbox() as found:
        yield found


@pytest.fixture
def settings(settings: Settings, inbox: tuple[Inbox, int]) -> Settings:
    return settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": inbox[1], "smtp_starttls": False}
    )


async def test_callback_request_with_validation_correction_and_email(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    inbox: tuple[Inbox, int],
    schulz: Advisor,
) -> None:
    fake_rasa.replies = handoff_reply()
    await person.say("Berater")
    await person.say("Einverstanden", "#handoff:consent")
    [name] = await person.say("Ja, stimmt", "#handoff:summary_ok")
    assert "Gerade ist niemand aus der Beratung im Chat" in name["text"]
    assert name["text"].endswith(texts.ASK["name"])
    [again] = await person.say("1234")
    assert again["text"].startswith(texts.INVALID["name"])
    [business] = await person.say("Maria Beispiel")
    assert business["text"] == texts.ASK["business"]
    # the trade came with the summary the person confirmed: named, not asked again
    [contact] = await person.say("Backstube Beispiel, Halle")
    noted = texts.TRADE_NOTED.format(trade="Bäcker")
    assert contact["text"] == f"{noted}\n\n{texts.ASK['contact']}"
    [invalid] = await person.say("weiß nicht")
    assert invalid["text"].startswith(texts.INVALID["contact"])
    [time] = await person.say("0345 1234567")
    assert [b["title"] for b in time["buttons"]][:2] == [
        "Vormittags (8–12 Uhr)",
        "Nachmittags (12–16 Uhr)",
    ]
    [review] = await person.say("Vormittags (8–12 Uhr)", "Vormittags (8–12 Uhr)")
    assert "Kontakt: 0345 1234567" in review["text"]
    assert "Name: Maria Beispiel" in review["text"]
    assert "Gewerk: Bäcker" in review["text"]
    [change] = await person.say("Ändern", "#handoff:change")
    assert "#handoff:edit:contact" in [b["payload"] for b in change["buttons"]]
    await person.say("Kontakt", "#handoff:edit:contact")
    [review] = await person.say("Maria@Backstube.example")
    assert "Kontakt: maria@backstube.example" in review["text"]
    [done] = await person.say("Absenden", "#handoff:submit")
    ticket = done["custom"]["ticket"]
    assert ticket in done["text"]
    assert ticket.startswith("HK-")
    assert "Wir melden uns zu Ihrer Wunschzeit (Vormittags (8–12 Uhr))," in done["text"]

    for _ in range(50):  # the e-mail goes out in the background
        if inbox[0].mails:
            break
        await asyncio.sleep(0.1)
    [(recipients, mail)] = inbox[0].mails
    assert recipients == ["schulz@hwk.example"]  # Halle + TSE: Frau Schulz matches
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode()
    assert ticket in mail["Subject"]
    assert ticket in body
    assert "Bäcker" in body
    # a mailbox keeps mail beyond the retention period: no personal data in it
    for personal in ("Maria Beispiel", "maria@backstube.example", "Backstube", "TSE für"):
        assert personal not in body

    found = (await schulz.get(f"/berater/api/search?ticket={ticket.lower()}"))["handoff"]
    assert (found["status"], found["region"], found["contact"]) == (
        "callback_open",
        "halle",
        "maria@backstube.example",
    )
    assert (await schulz.get("/berater/api/queue"))["callbacks"][0]["ticket"] == ticket
    response = await schulz.post(f"/berater/api/handoffs/{found['id']}/done")
    assert response.status == 200
    assert (await schulz.get("/berater/api/queue"))["callbacks"] == []

    fake_rasa.replies = [{"recipient_id": "x", "text": "Gern!"}]
    [bot] = await person.say("Danke")
    assert bot["text"] == "Gern!"


async def test_person_can_switch_from_waiting_to_callback(
    person: Person, fake_rasa: FakeRasa, schulz: Advisor
) -> None:
    console = await schulz.http.ws_connect(schulz.base.replace("http", "ws") + "/berater/ws")
    fake_rasa.replies = handoff_reply()
    await person.say("Berater")
    await person.say("Einverstanden", "#handoff:consent")
    [queued] = await person.say("Ja, stimmt", "#handoff:summary_ok")
    assert "Position 1" in queued["text"]
    [name] = await person.say("Lieber Rückruf", "#handoff:callback")
    assert name["text"] == texts.ASK["name"]
    assert (await schulz.get("/berater/api/queue"))["waiting"] == []
    await console.close()


async def test_no_means_correct_it_not_cancel(person: Person, fake_rasa: FakeRasa) -> None:
    fake_rasa.replies = handoff_reply(NO_TRADE)
    await person.say("Berater")
    [summary] = await person.say("ja")
    assert "Stimmt das so?" in summary["text"]
    [write] = await person.say("nein")
    assert write["text"] == texts.SUMMARY_WRITE
    [no_concern] = await person.say("nein, das stimmt so nicht")
    assert no_concern["text"] == texts.SUMMARY_TOO_SHORT
    [again] = await person.say("Ich brauche eine neue Kasse mit TSE")
    assert "„Ich brauche eine neue Kasse mit TSE“" in again["text"]
    assert "Stimmt das so?" in again["text"]
    await person.say("passt")
    [sentence] = await person.say("ich brauch hilfe bei der kasse für meine backstube")
    assert sentence["text"].startswith(texts.INVALID["name"])
    await person.say("Maria Beispiel")
    [trade] = await person.say("Backstube Beispiel")
    assert "Bäcker" in trade["text"]
    [ask] = await person.say("nein")
    assert ask["text"] == texts.ASK["trade"]
    [contact] = await person.say("Konditorei")
    assert contact["text"] == texts.ASK["contact"]
    await person.say("maria@backstube.example")
    [review] = await person.say("Egal", "Egal")
    assert "Gewerk: Konditor" in review["text"]
    [change] = await person.say("nein")
    assert change["text"] == texts.CHANGE
    [cancelled] = await person.say("abbrechen")
    assert cancelled["text"] == texts.CANCELLED


async def test_the_trade_of_the_summary_is_not_asked_again(
    person: Person, fake_rasa: FakeRasa
) -> None:
    fake_rasa.replies = handoff_reply()  # the conversation knew the trade: Bäcker
    await person.say("Berater")
    await person.say("ja")
    await person.say("passt so")
    await person.say("Peter Lehmann")
    [typo] = await person.say("p.lehmann@web")  # an address with a typo, for the business
    assert typo["text"].startswith(texts.INVALID["email"])
    [contact] = await person.say("Lehmann GmbH")
    assert contact["text"].endswith(texts.ASK["contact"])
    assert "Bäcker" in contact["text"]
    await person.say("0345 1234567")
    [review] = await person.say("Egal", "Egal")
    assert "Gewerk: Bäcker" in review["text"]
    [change] = await person.say("ne ändern")
    assert change["text"] == texts.CHANGE
    assert all(label in texts.CHANGE for label in texts.FIELD_LABELS.values())
    [trade] = await person.say("Gewerk", "#handoff:edit:trade")
    assert trade["text"] == texts.ASK["trade_confirm"].format(trade="Bäcker")
    [review] = await person.say("Konditorei")
    assert "Gewerk: Konditor" in review["text"]


async def test_a_sentence_with_the_address_is_taken_and_a_typed_goodbye_cancels(
    person: Person, fake_rasa: FakeRasa
) -> None:
    fake_rasa.replies = handoff_reply(NO_TRADE)
    await person.say("Berater")
    await person.say("ja")
    await person.say("passt so")
    await person.say("Peter Lehmann")
    await person.say("Lehmann GmbH")
    [contact] = await person.say("Klempner")
    assert contact["text"] == texts.ASK["contact"]
    [half] = await person.say("p.lehmann@web")
    assert half["text"].startswith(texts.INVALID["email"])
    [spelt] = await person.say("p.lehmann(at)web")
    assert spelt["text"].startswith(texts.INVALID["email"])
    [time] = await person.say("sorry, p.lehmann@web.de")
    assert time["text"] == texts.ASK["time"]
    [cancelled] = await person.say("ach vergiss es, hab grad keine zeit")
    assert cancelled["text"] == texts.CANCELLED


async def test_typed_answers_work_like_the_buttons(
    person: Person, fake_rasa: FakeRasa, schulz: Advisor
) -> None:
    fake_rasa.replies = handoff_reply(NO_TRADE)
    await person.say("Berater")
    await person.say("ja gerne")  # consent, typed
    [name] = await person.say("jo, passt")  # summary, typed
    assert name["text"].endswith(texts.ASK["name"])
    for not_a_name in ("ja", "Moin", "nein"):
        [again] = await person.say(not_a_name)
        assert again["text"].startswith(texts.INVALID["name"])
    await person.say("Maria Beispiel")
    [check] = await person.say("0345 1234567")  # typed when asked for the business
    assert check["text"] == texts.CONTACT_CHECK.format(
        value="0345 1234567", kind="Telefonnummer", missing="den Namen Ihres Betriebs"
    )
    [business] = await person.say("ja")
    assert business["text"] == f"{texts.CONTACT_KEPT}\n\n{texts.ASK['business']}"
    [trade] = await person.say("Backstube Beispiel, Halle")
    assert trade["text"] == texts.ASK["trade_confirm"].format(trade="Bäcker")
    [time] = await person.say("stimmt")  # the known trade is kept; the contact is known
    assert time["text"] == texts.ASK["time"]
    [review] = await person.say("Egal")
    assert "Kontakt: 0345 1234567" in review["text"]
    [change] = await person.say("nein, die Telefonnummer")
    assert change["text"] == texts.ASK["contact"]
    [review] = await person.say("name@betrieb.de")
    assert "Kontakt: name@betrieb.de" in review["text"]
    assert "was ich ändern soll" in review["text"]  # for messengers without buttons
    [change] = await person.say("der name is falsch geschrieben")  # neither yes nor no
    assert change["text"] == texts.ASK["name"]
    [review] = await person.say("Maria Beyspiel")
    assert "Name: Maria Beyspiel" in review["text"]
    [done] = await person.say("ja, passt so")
    assert "Vorgangsnummer: HK-" in done["text"]
    assert "Wir melden uns so bald wie möglich," in done["text"]  # the time was "Egal"


async def test_at_the_contact_check_an_answer_that_is_neither_yes_nor_no_answers_the_field(
    person: Person, fake_rasa: FakeRasa, schulz: Advisor
) -> None:
    """Found reading unseen7: "ne sorry, der Betrieb is …" after "Ist 0345 … Ihre
    Telefonnummer?" asked the check again and again; it answers the field, and the
    number stays. A cut-off number ("0340 12") is no number."""
    fake_rasa.replies = handoff_reply(NO_TRADE)
    await person.say("Berater")
    await person.say("ja gerne")
    await person.say("jo, passt")
    await person.say("Thomas Krüger")
    await person.say("0345 6789012")  # typed when asked for the business
    [trade] = await person.say("ne sorry, der betrieb is Elektro Krüger GmbH")
    assert trade["text"] == texts.ASK["trade"]
    [time] = await person.say("Elektriker")  # the number is known: not asked again
    assert time["text"] == texts.ASK["time"]
    [review] = await person.say("egal, hauptsache nich mittwochs")
    assert "Betrieb: Elektro Krüger GmbH" in review["text"]
    assert "Kontakt: 0345 6789012" in review["text"]
    assert "Wunschzeit: egal, hauptsache nich mittwochs" in review["text"]
    [change] = await person.say("nein, die Telefonnummer")
    assert change["text"] == texts.ASK["contact"]
    [short] = await person.say("0340 12")
    assert short["text"].startswith(texts.INVALID["contact"])


async def open_callback(client: TestClient) -> Handoff:  # type: ignore[type-arg]
    """An open callback request whose e-mail has not gone out."""
    handoffs = client.app[HANDOFFS].handoffs
    conversation = uuid.uuid4().hex
    await MessageStore(client.app[SESSIONS]).add(conversation, StoredMessage("user", "Rückruf"))
    callback = await handoffs.create(conversation, "web", reason="request_human")
    opened: Handoff | None = await handoffs.transition(
        callback.id, ("consent",), status="callback_open"
    )
    assert opened is not None
    return opened


async def test_without_smtp_nothing_is_retried_or_logged_again(
    client: TestClient,  # type: ignore[type-arg]
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = client.app
    handoffs = app[HANDOFFS].handoffs
    callback = await open_callback(client)
    assert [h.id for h in await handoffs.unsent_callbacks(utcnow(), 8)] == [callback.id]
    mailer = CallbackMailer(
        app[SETTINGS].model_copy(update={"smtp_host": ""}), handoffs, app[ADVISORS]
    )
    with caplog.at_level(logging.INFO):
        assert await mailer.send_pending() == 0
    assert caplog.records == []


async def test_a_failing_mail_is_claimed_retried_with_backoff_then_flagged(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    app = client.app
    handoffs = app[HANDOFFS].handoffs
    callback = await open_callback(client)
    down = app[SETTINGS].model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": free_port(),
            "handoff_mail_to": "a@b.example",
        }
    )
    mailer = CallbackMailer(down, handoffs, app[ADVISORS])

    assert await mailer.send_pending() == 0
    failed = await handoffs.get(callback.id)
    assert failed is not None
    assert failed.email_attempts == 1
    assert failed.email_claimed_at is None
    assert failed.email_next_at is not None
    assert timedelta(seconds=50) < failed.email_next_at - utcnow() <= timedelta(minutes=1)
    assert await mailer.send_pending() == 0  # not due yet: no second try
    again = await handoffs.get(callback.id)
    assert again is not None
    assert again.email_attempts == 1

    await handoffs.transition(
        callback.id, ("callback_open",), email_attempts=MAX_EMAIL_ATTEMPTS - 1, email_next_at=None
    )
    assert await mailer.send_pending() == 0
    given_up = await handoffs.get(callback.id)
    assert given_up is not None
    assert given_up.email_attempts == MAX_EMAIL_ATTEMPTS
    assert await handoffs.unsent_callbacks(utcnow() + timedelta(days=1), MAX_EMAIL_ATTEMPTS) == []
    assert handoff_json(given_up, 0, False)["email_failed"] is True
    assert retry_delay(1) == timedelta(minutes=1)
    assert retry_delay(3) == timedelta(minutes=4)
    assert retry_delay(20) == timedelta(hours=6)


async def test_a_mail_is_claimed_by_one_sender_only(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    handoffs = client.app[HANDOFFS].handoffs
    callback = await open_callback(client)
    now = utcnow()
    stale = now - timedelta(minutes=5)
    assert await handoffs.claim_email(callback.id, now, stale)
    assert not await handoffs.claim_email(callback.id, now, stale)
    # a sender that crashed holds it no longer than the timeout
    assert await handoffs.claim_email(
        callback.id, now + timedelta(minutes=6), now + timedelta(minutes=1)
    )


def test_the_mail_carries_personal_data_only_when_configured() -> None:
    handoff = Handoff(
        ticket="HK-ABC123",
        conversation_id="c" * 32,
        status="callback_open",
        reason="request_human",
        summary="Welche Kasse?",
        trade="Bäcker",
        topic="kasse_tse",
        contact_name="Maria Beispiel",
        business="Backstube",
        contact="0345 1234567",
        preferred_time="Vormittags",
    )
    console = "https://hwk.example/berater"
    lean = callback_email(handoff, "bot@hwk.example", ["a@hwk.example"], console)
    full = callback_email(handoff, "bot@hwk.example", ["a@hwk.example"], console, True)
    lean_body, full_body = lean.get_content(), full.get_content()
    for personal in ("Maria Beispiel", "0345 1234567", "Backstube", "Welche Kasse?"):
        assert personal not in lean_body
        assert personal in full_body
    for both in (lean_body, full_body):
        assert "HK-ABC123" in both
        assert console in both


async def test_a_bare_yes_where_the_concern_is_asked_goes_on_without_one(
    person: Person,
    fake_rasa: FakeRasa,
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    fake_rasa.replies = handoff_reply({**NO_TRADE, "question": None})  # no concern yet
    await person.say("ruft mich an")
    [write] = await person.say("einverstanden")
    assert write["text"] == texts.SUMMARY_WRITE
    [name] = await person.say("ja so passt dat")
    assert name["text"].endswith(texts.ASK["name"])
    async with client.app[SESSIONS]() as session:
        handoff = await session.scalar(select(Handoff))
    assert handoff is not None
    assert handoff.summary == texts.NO_CONCERN
