"""A German conversation through the real gateway, Rasa server and action server."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest

from tests.stack import Gateway, Stack, start_gateway

pytestmark = pytest.mark.integration


class Chat:
    """A widget-like WebSocket client."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, welcome: dict[str, Any]) -> None:
        self.ws = ws
        self.conversation_id: str = welcome["conversation_id"]
        self.history: list[dict[str, Any]] = welcome["history"]

    async def say(self, text: str, payload: str | None = None) -> list[dict[str, Any]]:
        """Send one message and collect the replies that follow within a short pause."""
        await self.ws.send_json({"type": "message", "text": text, "payload": payload})
        replies = [(await self.ws.receive_json(timeout=10))["message"]]
        while True:
            try:
                replies.append((await self.ws.receive_json(timeout=0.5))["message"])
            except TimeoutError:
                return replies


async def open_chat(
    session: aiohttp.ClientSession, gateway: Gateway, conversation_id: str | None = None
) -> Chat:
    ws = await session.ws_connect(gateway.ws_url)
    welcome = await ws.receive_json(timeout=10)
    if conversation_id:  # as the widget resumes: the id in a frame, never in the URL
        await ws.send_json({"type": "resume", "conversation_id": conversation_id})
        welcome = await ws.receive_json(timeout=10)
    return Chat(ws, welcome)


def texts(replies: list[dict[str, Any]]) -> str:
    return " ".join(reply["text"] for reply in replies)


async def test_german_conversation_and_history(gateway: Gateway) -> None:
    async with aiohttp.ClientSession() as session:
        chat = await open_chat(session, gateway)
        assert chat.history == []

        greeting = await chat.say("Moin")
        assert "Ich bin werkbot" in texts(greeting)
        assert greeting[0]["text"].startswith(("Guten Morgen", "Guten Tag", "Guten Abend"))
        titles = [button["title"] for button in greeting[0]["buttons"]]
        assert titles == [
            "Frage zur Digitalisierung",
            "Veranstaltungen",
            "Praxisbeispiele",
            "Beratung",
        ]

        prompt = await chat.say("Frage zur Digitalisierung", "/ask_digitalisation")
        assert "Stellen Sie Ihre Frage" in texts(prompt)

        helped = await chat.say("was kannst du alles")
        assert "E-Rechnung" in texts(helped)

        challenged = await chat.say("bist du ein mensch oder ein bot?")
        assert "kein Mensch" in texts(challenged)

        refused = await chat.say("Wie wird das Wetter morgen?")
        assert "nicht helfen" in texts(refused)
        # what the assistant cannot help with, the advisor may
        offered = [button["payload"] for reply in refused for button in reply.get("buttons") or []]
        assert "/request_human" in offered

        farewell = await chat.say("tschüss")
        assert any(word in texts(farewell) for word in ("Wiedersehen", "Tschüss"))
        await chat.ws.close()

        again = await open_chat(session, gateway, chat.conversation_id)
        await again.ws.close()
    assert again.conversation_id == chat.conversation_id
    senders = [m["sender"] for m in again.history]
    assert senders == ["user", "bot"] * 6
    assert again.history[0]["text"] == "Moin"
    assert again.history[2]["text"] == "Frage zur Digitalisierung"
    assert again.history[1]["buttons"] == greeting[0]["buttons"]


async def test_question_is_answered_with_source_link_and_feedback(gateway: Gateway) -> None:
    async with aiohttp.ClientSession() as session:
        chat = await open_chat(session, gateway)
        [answer] = await chat.say("Muss ich E-Rechnungen empfangen können?")
        assert "Quelle:" in answer["text"]
        link = answer["text"].split("Mehr lesen: ")[1].split("#")[0].strip()
        assert link.startswith("http://127.0.0.1:8080/wissen/")
        guide_id = link.rsplit("/", 1)[1]
        assert answer["custom"]["answer"]["guide_id"] == guide_id
        assert [b["title"] for b in answer["buttons"]][:2] == ["Hat geholfen", "Hat nicht geholfen"]

        page = await session.get(f"{gateway.url}/wissen/{guide_id}")
        html = await page.text()
        assert page.status == 200
        assert "Stand der Fakten" in html
        assert "Quellen" in html
        missing = await session.get(f"{gateway.url}/wissen/gibt-es-nicht")
        assert missing.status == 404

        [thanks] = await chat.say("Hat nicht geholfen", "#feedback:not_helpful")
        assert "Rückmeldung" in thanks["text"]
        assert thanks["buttons"] == [{"title": "Mit Berater sprechen", "payload": "/request_human"}]
        await chat.ws.close()


async def test_trade_is_asked_once_then_the_question_is_answered(gateway: Gateway) -> None:
    async with aiohttp.ClientSession() as session:
        chat = await open_chat(session, gateway)
        general, question = await chat.say("brauch ich ne tse für meine kasse")
        assert general["custom"]["answer"]["guide_id"] == "kasse-tse-grundlagen"
        assert "Gewerk" in question["text"]
        assert len(question["buttons"]) == 6

        [answer] = await chat.say("wir sind eine Konditorei")
        assert "Quelle:" in answer["text"]
        assert answer["custom"]["answer"]["guide_id"] == "kasse-baeckerei-fleischerei"

        [follow_up] = await chat.say("und für friseure?")
        assert follow_up["custom"]["answer"]["guide_id"] == "kasse-friseur-kosmetik"
        await chat.ws.close()


async def test_stop_cancels_the_trade_question(gateway: Gateway) -> None:
    async with aiohttp.ClientSession() as session:
        chat = await open_chat(session, gateway)
        await chat.say("brauch ich ne tse für meine kasse")
        cancelled = await chat.say("vergiss es")
        assert "abgebrochen" in texts(cancelled)
        await chat.ws.close()


async def test_action_server_down_gives_a_notice_and_keeps_the_message(
    gateway: Gateway, stack: Stack
) -> None:
    stack.supervisor.stop("actions")
    try:
        async with aiohttp.ClientSession() as session:
            chat = await open_chat(session, gateway)
            started = time.monotonic()
            replies = await chat.say("Hallo")
            elapsed = time.monotonic() - started
            await chat.ws.close()
            again = await open_chat(session, gateway, chat.conversation_id)
            await again.ws.close()
    finally:
        stack.supervisor.start("actions")
        stack.supervisor.wait_healthy("actions", timeout=60)
    assert "kurz nicht erreichbar" in texts(replies)
    assert elapsed < 5
    assert (again.history[0]["sender"], again.history[0]["text"]) == ("user", "Hallo")
    assert "kurz nicht erreichbar" in again.history[1]["text"]


async def test_rasa_down_gives_a_notice_within_five_seconds_and_the_advisor(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> None:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('down')}/werkbot.db"
    supervisor, gateway = start_gateway(
        stack, database_url, tmp_path_factory.mktemp("down-logs"), rasa_url="http://127.0.0.1:9"
    )
    try:
        async with aiohttp.ClientSession() as session:
            chat = await open_chat(session, gateway)
            started = time.monotonic()
            replies = await chat.say("Brauche ich eine TSE?")
            elapsed = time.monotonic() - started
            [button] = replies[0]["buttons"]
            consent = await chat.say(button["title"], button["payload"])
            await chat.ws.close()
            health = await (await session.get(gateway.url + "/health")).json()
            again = await open_chat(session, gateway, chat.conversation_id)
            await again.ws.close()
    finally:
        supervisor.stop()
    assert "kurz nicht erreichbar" in texts(replies)
    assert elapsed < 5
    # a person is reachable while the bot is not
    assert button["title"] == "Mit Berater sprechen"
    assert "Einverstanden?" in texts(consent)
    assert health == {
        "status": "degraded",
        "database": "ok",
        "rasa": "unreachable",
        "actions": "ok",
    }
    assert [m["text"] for m in again.history[:1]] == ["Brauche ich eine TSE?"]


async def test_events_with_registration_and_calendar_download(gateway: Gateway) -> None:
    async with aiohttp.ClientSession() as session:
        chat = await open_chat(session, gateway)
        intro, *events = await chat.say("Gibt es Webinare zur E-Rechnung?")
        assert intro["text"] == "Diese Termine passen:"
        assert 1 <= len(events) <= 3
        assert all(" · Webinar · online" in event["text"] for event in events)
        # the registration link goes through the gateway's counting redirect
        registration = events[0]["text"].split("Anmeldung: ")[1].split()[0]
        link = urlsplit(registration)  # the action server's PUBLIC_URL, not this gateway's
        assert link.path.startswith("/r/")
        assert link.query == "via=web"  # the click counts for the widget
        event_id = link.path.removeprefix("/r/")
        hop = await session.get(f"{gateway.url}/r/{event_id}?via=web", allow_redirects=False)
        assert hop.status == 302
        assert hop.headers["Location"] == f"https://example.org/anmeldung/{event_id}"
        # each event links to its own page (details, calendar); the widget shows a title
        [link] = events[0]["custom"]["links"]
        assert link["url"].endswith(f"/veranstaltungen/{event_id}")
        assert f"Details und Kalender: {link['url']}" in events[0]["text"]
        assert link["title"].endswith(": Details")
        page = await session.get(f"{gateway.url}/veranstaltungen/{event_id}")
        assert page.status == 200
        assert "In Kalender eintragen" in await page.text()
        calendar = await session.get(f"{gateway.url}/veranstaltungen/{event_id}.ics")
        assert calendar.content_type == "text/calendar"
        assert "BEGIN:VEVENT" in await calendar.text()

        [next_week] = await chat.say("Was ist nächste Woche bei euch los?")
        assert "Dazu habe ich leider keinen passenden Termin gefunden." in next_week["text"]
        await chat.ws.close()


async def test_best_practices_for_the_trade(gateway: Gateway) -> None:
    async with aiohttp.ClientSession() as session:
        chat = await open_chat(session, gateway)
        heading, *cases = await chat.say("Wie machen das andere Bäckereien?")
        assert heading["text"] == "So machen es andere Betriebe (Bäcker):"
        assert 1 <= len(cases) <= 3
        link = cases[0]["text"].split("Mehr: ")[1].split()[0]
        assert link == cases[0]["custom"]["links"][0]["url"]
        assert "counted" not in cases[0]["custom"]
        path = urlsplit(link)
        assert (path.path.startswith("/praxis/"), path.query) == (True, "via=web")
        page = await session.get(f"{gateway.url}{path.path}?{path.query}")
        assert page.status == 200
        assert "Ausgangslage" in await page.text()
        await chat.ws.close()


async def test_trade_entities_come_resolved_from_the_trained_model(stack: Stack) -> None:
    """The TradeEntityResolver in the trained model: whole multi-word spans, trade ids."""
    async with aiohttp.ClientSession() as session:
        for text, span, trade in (
            (
                "Wir sind ein Maler- und Lackiererbetrieb",
                "Maler- und Lackiererbetrieb",
                "maler_lackierer",
            ),
            ("tse für unsere bäckereifiliale", "bäckereifiliale", "baecker"),
        ):
            async with session.post(
                f"{stack.rasa_url}/model/parse",
                params={"token": stack.rasa_token},
                json={"text": text},
            ) as response:
                entities = (await response.json())["entities"]
            trades = [e for e in entities if e["entity"] == "trade"]
            assert [(e["text"], e["value"], e["extractor"]) for e in trades] == [
                (span, trade, "TradeEntityResolver")
            ], text
