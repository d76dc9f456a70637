"""Live handoff through the real gateway app (fake Rasa): consent, summary, queue,
claim, silence of the bot, advisor replies, close, rating."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.db.models import Handoff
from bot.handoff import texts
from bot.keys import SESSIONS
from tests.advisors import Advisor, next_frame, open_console
from tests.fake_rasa import FakeRasa
from tests.unit.handoff.conftest import Person, handoff_reply


async def stored_handoff(client: TestClient) -> Handoff:  # type: ignore[type-arg]
    async with client.app[SESSIONS]() as session:
        handoff = await session.scalar(select(Handoff).order_by(Handoff.id.desc()))
    assert isinstance(handoff, Handoff)
    return handoff


async def reach_queue(person: Person, fake_rasa: FakeRasa) -> list[dict[str, Any]]:
    fake_rasa.replies = handoff_reply()
    [consent] = await person.say("Ich möchte mit einem Berater sprechen")
    assert "Datenschutz" in consent["text"]
    assert "90 Tage" in consent["text"]
    assert [b["title"] for b in consent["buttons"]] == ["Einverstanden", "Abbrechen"]
    [summary] = await person.say("Einverstanden", "#handoff:consent")
    assert "Brauche ich eine TSE für meine Kasse?" in summary["text"]
    assert "Gewerk: Bäcker" in summary["text"]
    assert "Thema: Kasse und TSE" in summary["text"]
    return await person.say("Ja, stimmt", "#handoff:summary_ok")


async def test_live_handoff_from_request_to_rating(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
) -> None:
    console = await open_console(schulz)
    [queued] = await reach_queue(person, fake_rasa)
    assert "Position 1" in queued["text"]
    assert queued["custom"]["handoff_state"] == "waiting"
    ticket = queued["custom"]["ticket"]
    frame = await next_frame(console, "queue")
    [waiting] = frame["waiting"]
    assert (waiting["ticket"], waiting["matches"], waiting["trade"]) == (ticket, True, "Bäcker")

    sent_to_rasa = len(fake_rasa.received)
    assert await person.say("Hallo? Ist da jemand?") == []  # the bot stays silent
    pushed = await next_frame(console, "message")
    assert pushed["message"]["text"] == "Hallo? Ist da jemand?"

    response = await schulz.post(f"/berater/api/handoffs/{waiting['id']}/claim")
    assert response.status == 200
    [claimed] = await person.receive()
    assert claimed["text"] == "Frau Schulz von der Handwerkskammer ist jetzt für Sie da."

    response = await schulz.post(
        f"/berater/api/handoffs/{waiting['id']}/reply", {"text": "Guten Tag! Welche Kasse?"}
    )
    assert response.status == 200
    [reply] = await person.receive()
    assert (reply["sender"], reply["text"]) == ("advisor", "Guten Tag! Welche Kasse?")
    assert reply["custom"]["advisor"] == "Frau Schulz"
    assert await person.say("Eine alte Registrierkasse", first=1.0) == []
    assert len(fake_rasa.received) == sent_to_rasa  # nothing went to Rasa meanwhile

    await schulz.post(f"/berater/api/handoffs/{waiting['id']}/note", {"text": "Rückruf Do"})
    detail = await schulz.get(f"/berater/api/handoffs/{waiting['id']}")
    [answer] = [m for m in detail["messages"] if m["sender"] == "advisor"]
    assert answer["delivery"]["status"] == "delivered"  # a socket of the person took it
    senders = [m["sender"] for m in detail["messages"]]
    assert senders[0] == "user"
    assert "advisor" in senders
    assert "system" in senders
    assert detail["notes"][0]["text"] == "Rückruf Do"

    await schulz.post(f"/berater/api/handoffs/{waiting['id']}/close")
    [closed] = await person.receive()
    assert texts.BACK_TO_BOT in closed["text"]
    assert [b["payload"] for b in closed["buttons"]] == [f"#rating:{n}" for n in range(1, 6)]
    [thanks] = await person.say("4", "#rating:4")
    assert thanks["text"] == texts.RATING_THANKS
    rated = await stored_handoff(client)
    assert rated.rating == 4
    assert rated.rated_at is not None
    assert rated.closed_at is not None
    assert rated.rated_at >= rated.closed_at

    fake_rasa.replies = [{"recipient_id": "x", "text": "Gern!"}]
    [bot] = await person.say("Danke")
    assert bot["text"] == "Gern!"  # the bot answers again
    await console.close()


async def test_person_can_leave_the_queue_and_an_active_chat(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
) -> None:
    console = await open_console(schulz)
    await reach_queue(person, fake_rasa)
    [back] = await person.say("zurück zum Assistenten")
    assert back["text"] == texts.BACK_TO_BOT
    assert (await stored_handoff(client)).status == "cancelled"

    await reach_queue(person, fake_rasa)
    handoff = await stored_handoff(client)
    await schulz.post(f"/berater/api/handoffs/{handoff.id}/claim")
    await person.receive()
    [ended] = await person.say("Zurück zum Assistenten", "#handoff:end")
    assert texts.RATING_QUESTION in ended["text"]
    assert (await stored_handoff(client)).status == "closed"
    await console.close()


async def test_declining_or_ignoring_consent_returns_to_the_bot(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
) -> None:
    fake_rasa.replies = handoff_reply()
    await person.say("Berater bitte")
    [cancelled] = await person.say("Abbrechen", "#handoff:cancel")
    assert cancelled["text"] == texts.CANCELLED
    await person.say("Berater bitte")
    fake_rasa.replies = [{"recipient_id": "x", "text": "Zur E-Rechnung: …"}]
    [answer] = await person.say("Was ist eine E-Rechnung?")
    assert answer["text"] == "Zur E-Rechnung: …"
    assert fake_rasa.received[-1]["message"] == "Was ist eine E-Rechnung?"
    assert (await stored_handoff(client)).status == "cancelled"


async def test_two_not_helpful_in_a_row_offer_the_handoff(
    person: Person, fake_rasa: FakeRasa
) -> None:
    answer = {"guide_id": "tse-grundlagen", "topics": ["kasse_tse"], "question": "TSE?"}
    fake_rasa.replies = [
        {"recipient_id": "x", "text": "Eine TSE …"},
        {"recipient_id": "x", "custom": {"answer": answer}},
    ]
    await person.say("TSE?")
    [sorry] = await person.say("Hat nicht geholfen", "#feedback:not_helpful")
    assert sorry["buttons"] == [{"title": "Mit Berater sprechen", "payload": "/request_human"}]
    await person.say("TSE?")
    [consent] = await person.say("Hat nicht geholfen", "#feedback:not_helpful")
    assert consent["text"].startswith(texts.INTRO["not_helpful"])
    [summary] = await person.say("ja")
    assert "„TSE?“" in summary["text"]
    assert "Kasse und TSE" in summary["text"]


async def test_the_summary_can_be_rewritten(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
) -> None:
    console = await open_console(schulz)
    fake_rasa.replies = handoff_reply({"reason": "request_human", "question": ""})
    await person.say("Berater")
    [write] = await person.say("Einverstanden", "#handoff:consent")
    assert write["text"] == texts.SUMMARY_WRITE
    [too_short] = await person.say("?")
    assert too_short["text"] == texts.SUMMARY_TOO_SHORT
    [queued] = await person.say("Ich suche Förderung für eine neue Website")
    assert "Position 1" in queued["text"]
    handoff = await stored_handoff(client)
    assert handoff.summary == "Ich suche Förderung für eine neue Website"
    await console.close()


async def test_claim_race_has_one_winner_and_others_cannot_reply(
    person: Person, fake_rasa: FakeRasa, schulz: Advisor, brandt: Advisor
) -> None:
    console = await open_console(schulz)
    await reach_queue(person, fake_rasa)
    waiting = (await schulz.get("/berater/api/queue"))["waiting"][0]
    first = await schulz.post(f"/berater/api/handoffs/{waiting['id']}/claim")
    second = await brandt.post(f"/berater/api/handoffs/{waiting['id']}/claim")
    assert (first.status, second.status) == (200, 409)
    reply = await brandt.post(f"/berater/api/handoffs/{waiting['id']}/reply", {"text": "x"})
    assert reply.status == 403
    empty = await schulz.post(f"/berater/api/handoffs/{waiting['id']}/reply", {"text": " "})
    assert empty.status == 400
    await console.close()


async def test_matching_advisors_see_a_waiting_chat_first(
    person: Person, fake_rasa: FakeRasa, schulz: Advisor, brandt: Advisor
) -> None:
    consoles = [await open_console(schulz), await open_console(brandt)]
    await reach_queue(person, fake_rasa)
    assert len((await schulz.get("/berater/api/queue"))["waiting"]) == 1
    # Herr Brandt (Magdeburg, BIM) sees the TSE chat only after the exclusive minute
    assert (await brandt.get("/berater/api/queue"))["waiting"] == []
    await consoles[0].close()
    await next_frame(consoles[1], "queue")
    # with no matching advisor online it is offered to everyone at once
    assert len((await brandt.get("/berater/api/queue"))["waiting"]) == 1
    await consoles[1].close()


async def test_people_behind_hear_when_the_queue_moves(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
) -> None:
    console = await open_console(schulz)
    ws = await client.ws_connect("/ws")
    second = Person(ws, (await ws.receive_json())["conversation_id"])
    await reach_queue(person, fake_rasa)
    [queued] = await reach_queue(second, fake_rasa)
    assert "Position 2" in queued["text"]
    first = (await schulz.get("/berater/api/queue"))["waiting"][0]
    await schulz.post(f"/berater/api/handoffs/{first['id']}/claim")
    [moved] = await second.receive()
    assert moved["text"] == "Sie sind jetzt an Position 1."
    assert moved["custom"]["handoff_state"] == "waiting"
    await ws.close()
    await console.close()


async def test_odd_rating_payloads_do_not_break_the_chat(
    person: Person, fake_rasa: FakeRasa
) -> None:
    fake_rasa.replies = [{"recipient_id": "x", "text": "Gern!"}]
    for payload in ("#rating:abc", "#rating:9", "#rating:"):
        [reply] = await person.say("5", payload)
        assert reply["text"] == "Gern!"  # not a rating: the bot answers the text
    [thanks] = await person.say("5", "#rating:5")  # nothing to rate: thanked, nothing stored
    assert thanks["text"] == texts.RATING_THANKS


async def test_a_long_concern_is_kept_short_in_the_summary(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
) -> None:
    fake_rasa.replies = handoff_reply({"reason": "request_human", "question": ""})
    await person.say("Berater")
    await person.say("Einverstanden", "#handoff:consent")
    await person.say("Wir haben ein Problem mit der Kasse. " * 40)
    summary = (await stored_handoff(client)).summary
    assert len(summary) <= 500
    assert summary.startswith("Wir haben ein Problem")
    assert summary.endswith(" ein…")  # cut between words


async def test_a_reply_while_the_chat_is_closed_waits_for_the_person(
    client: TestClient,  # type: ignore[type-arg]
    person: Person,
    fake_rasa: FakeRasa,
    schulz: Advisor,
) -> None:
    console = await open_console(schulz)
    await reach_queue(person, fake_rasa)
    [waiting] = (await next_frame(console, "queue"))["waiting"]
    await schulz.post(f"/berater/api/handoffs/{waiting['id']}/claim")
    await person.receive()
    await person.ws.close()
    await schulz.post(f"/berater/api/handoffs/{waiting['id']}/reply", {"text": "Noch da?"})
    pushed = await next_frame(console, "message")
    while pushed["message"]["text"] != "Noch da?":
        pushed = await next_frame(console, "message")
    assert pushed["message"]["delivery"]["status"] == "held"
    async with client.ws_connect("/ws") as ws:  # the person opens the chat again
        await ws.receive_json()
        await ws.send_json({"type": "resume", "conversation_id": person.conversation_id})
        welcome = await ws.receive_json()
    assert welcome["history"][-1]["text"] == "Noch da?"
    detail = await schulz.get(f"/berater/api/handoffs/{waiting['id']}")
    [answer] = [m for m in detail["messages"] if m["text"] == "Noch da?"]
    assert answer["delivery"]["label"] == "zugestellt"
    await console.close()
