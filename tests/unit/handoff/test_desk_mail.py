"""A callback's outcome, and "Verlauf per E-Mail senden" with the person's consent,
through the real gateway app (fake Rasa) and a local SMTP server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.config import Settings
from bot.keys import AUDIT
from tests.advisors import Advisor, next_frame, open_console
from tests.fake_rasa import FakeRasa
from tests.mail_inbox import Inbox, running_inbox
from tests.unit.handoff.conftest import Person, handoff_reply


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    with running_inbox() as found:
        yield found


@pytest.fixture
def settings(settings: Settings, inbox: tuple[Inbox, int]) -> Settings:
    return settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": inbox[1], "smtp_starttls": False}
    )


async def request_callback(person: Person, fake_rasa: FakeRasa, contact: str) -> str:
    """Nobody online: the callback form with `contact`; the ticket."""
    fake_rasa.replies = handoff_reply()
    await person.say("Berater")
    await person.say("Einverstanden", "#handoff:consent")
    await person.say("Ja, stimmt", "#handoff:summary_ok")
    await person.say("Maria Beispiel")
    await person.say("Backstube Beispiel, Halle")
    await person.say(contact)
    await person.say("Egal", "Egal")
    [done] = await person.say("Absenden", "#handoff:submit")
    return str(done["custom"]["ticket"])


async def handoff_id(advisor: Advisor, ticket: str) -> int:
    return int((await advisor.get(f"/berater/api/search?ticket={ticket}"))["handoff"]["id"])


async def wait_for_mail(inbox: Inbox, count: int) -> None:
    for _ in range(50):
        if len(inbox.mails) >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{len(inbox.mails)} e-mails, expected {count}")


async def test_the_transcript_is_mailed_only_after_a_yes(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    inbox: tuple[Inbox, int],
    schulz: Advisor,
    brandt: Advisor,
) -> None:
    ticket = await request_callback(person, fake_rasa, "maria@backstube.example")
    await wait_for_mail(inbox[0], 1)  # the callback mail to the advisors
    console = await open_console(schulz)
    hid = await handoff_id(schulz, ticket)
    detail = await schulz.get(f"/berater/api/handoffs/{hid}")
    assert detail["transcript_mail"] == {
        "state": None,
        "blocked": "Nur wer den Vorgang bearbeitet, kann den Verlauf senden.",
    }
    assert (await schulz.post(f"/berater/api/handoffs/{hid}/claim")).status == 200
    assert (await schulz.get(f"/berater/api/handoffs/{hid}"))["transcript_mail"]["blocked"] is None

    offer = f"/berater/api/handoffs/{hid}/transcript-mail"
    assert (await brandt.post(offer)).status == 404  # not his
    assert (await schulz.post(offer)).status == 200
    [question] = await person.receive()
    assert "maria@backstube.example" in question["text"]
    assert "Frau Schulz" in question["text"]
    no, yes = (button["payload"] for button in reversed(question["buttons"]))
    assert yes.startswith("#transcript:yes:")
    assert (await next_frame(console, "transcript_mail"))["state"] == "asked"
    again = await schulz.post(offer)
    assert again.status == 409  # asked, not yet answered

    [declined] = await person.say("Nein, danke", no)
    assert declined["text"] == "In Ordnung, wir senden Ihnen keinen Verlauf."
    [late] = await person.say("Ja, bitte senden", yes.replace("yes", "yes"))
    assert late["text"] == "Diese Frage haben Sie schon beantwortet."
    await asyncio.sleep(0.3)
    assert len(inbox[0].mails) == 1  # nothing sent without consent

    assert (await schulz.post(offer)).status == 200  # asked once more
    [question] = await person.receive()
    yes = question["buttons"][0]["payload"]
    [thanks] = await person.say("Ja, bitte senden", yes)
    assert thanks["text"].startswith("Danke! Der Verlauf geht")
    await wait_for_mail(inbox[0], 2)
    recipients, mail = inbox[0].mails[-1]
    assert recipients == ["maria@backstube.example"]
    assert ticket in mail["Subject"]
    body = mail.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert "Maria Beispiel" in body.decode()
    frames: list[dict[str, Any]] = []
    while not frames or frames[-1]["state"] != "sent":
        frames.append(await next_frame(console, "transcript_mail"))
    detail = await schulz.get(f"/berater/api/handoffs/{hid}")
    assert detail["transcript_mail"]["state"] == "sent"
    [forged] = await person.say("Ja", "#transcript:yes:999999")
    assert forged["text"] == "Diese Frage ist nicht mehr aktuell."
    await console.close()


async def test_a_phone_number_gets_no_transcript_and_the_outcome_is_kept(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
    brandt: Advisor,
) -> None:
    ticket = await request_callback(person, fake_rasa, "0345 1234567")
    hid = await handoff_id(schulz, ticket)
    assert (await schulz.post(f"/berater/api/handoffs/{hid}/claim")).status == 200
    detail = await schulz.get(f"/berater/api/handoffs/{hid}")
    assert detail["transcript_mail"]["blocked"] == "Die Person hat keine E-Mail-Adresse angegeben."
    assert (await schulz.post(f"/berater/api/handoffs/{hid}/transcript-mail")).status == 409

    path = f"/berater/api/handoffs/{hid}/outcome"
    bad = await schulz.post(path, {"outcome": "vielleicht"})
    assert bad.status == 400
    assert await bad.json() == {"error": "Bitte wählen Sie ein Ergebnis des Rückrufs."}
    assert (await brandt.post(path, {"outcome": "reached"})).status == 403  # Schulz holds it
    done = await schulz.post(path, {"outcome": "appointment"})
    assert (await done.json())["handoff"]["callback_outcome"] == "appointment"
    assert (await schulz.post(f"/berater/api/handoffs/{hid}/done")).status == 200
    changed = await schulz.post(path, {"outcome": "reached"})  # corrected after "erledigt"
    assert (await changed.json())["handoff"]["callback_outcome"] == "reached"

    # the text download: UTF-8, an attachment, audited like the JSON export
    async with schulz.http.get(f"{schulz.base}/berater/api/handoffs/{hid}/transcript") as got:
        assert got.status == 200
        assert got.headers["Content-Type"] == "text/plain; charset=utf-8"
        disposition = got.headers["Content-Disposition"]
        assert disposition == f'attachment; filename="verlauf-{ticket}.txt"'
        text = (await got.read()).decode("utf-8")
    assert f"Vorgang {ticket}" in text
    assert "Person:\n  Backstube Beispiel, Halle" in text
    entries = await client.app[AUDIT].entries()
    assert ("export", hid) in [(entry.action, entry.handoff_id) for entry in entries]
    async with brandt.http.get(f"{brandt.base}/berater/api/handoffs/{hid}/transcript") as got:
        assert got.status == 404
