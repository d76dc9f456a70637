from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import texts
from bot.chat import ChatService
from bot.db.engine import create_engine, session_factory
from bot.db.models import Feedback
from bot.db.store import MessageStore
from bot.handoff.service import HandoffService
from bot.privacy import requests as erasure
from bot.privacy.retention import erase
from bot.privacy.tracker import TrackerEvents
from bot.rasa_client import RasaClient
from tests.fake_rasa import FakeRasa


@pytest.fixture
def erased() -> list[str]:
    """Conversations the chat service erased."""
    return []


@pytest.fixture
async def chat(
    store: MessageStore,
    fake_rasa: FakeRasa,
    handoff_service: HandoffService,
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
    erased: list[str],
) -> AsyncIterator[ChatService]:
    tracker = TrackerEvents.from_url(f"sqlite:///{tmp_path}/tracker.db")

    async def erase_everywhere(conversation_id: str) -> None:
        erased.append(conversation_id)
        await erase(sessions, tracker, conversation_id)

    async with aiohttp.ClientSession() as http:
        rasa = RasaClient(http, fake_rasa.url, 1.0)
        yield ChatService(store, rasa, 2000, handoff_service, erase_everywhere)
    await tracker.close()


async def test_message_is_stored_then_answered(
    chat: ChatService, store: MessageStore, fake_rasa: FakeRasa
) -> None:
    conversation, history = await chat.open(None, "web")
    assert history == []
    replies = await chat.handle(conversation, "  Hallo  ")
    assert [(r.sender, r.text) for r in replies] == [("bot", "Guten Tag!")]
    assert replies[0].id is not None
    assert fake_rasa.received == [{"sender": conversation, "message": "Hallo"}]
    stored = await store.history(conversation)
    assert [(m.sender, m.text) for m in stored] == [("user", "Hallo"), ("bot", "Guten Tag!")]


async def test_reopening_returns_the_history(chat: ChatService) -> None:
    conversation, _ = await chat.open(None, "web")
    await chat.handle(conversation, "Hallo")
    resumed, history = await chat.open(conversation, "web")
    assert resumed == conversation
    assert [m.text for m in history] == ["Hallo", "Guten Tag!"]


@pytest.mark.parametrize("blank", ["", "   ", "\n\t "])
async def test_blank_message_is_ignored_without_a_bot_call(
    chat: ChatService, store: MessageStore, fake_rasa: FakeRasa, blank: str
) -> None:
    conversation, _ = await chat.open(None, "web")
    assert await chat.handle(conversation, blank) == []
    assert fake_rasa.received == []
    assert await store.history(conversation) == []


async def test_too_long_message_gets_a_notice_and_is_not_forwarded(
    chat: ChatService, fake_rasa: FakeRasa
) -> None:
    conversation, _ = await chat.open(None, "web")
    assert await chat.handle(conversation, "a" * 2000) != []
    replies = await chat.handle(conversation, "a" * 2001)
    assert len(replies) == 1
    assert replies[0].sender == "system"
    assert "zu lang" in replies[0].text
    assert "2000" in replies[0].text
    assert len(fake_rasa.received) == 1


OFFER = [
    {
        "text": "Wie kann ich helfen?",
        "buttons": [
            {"title": "Was können Sie?", "payload": "/help"},
            {"title": "E-Rechnung", "payload": "Was muss ich zur E-Rechnung wissen?"},
        ],
    }
]


async def test_quick_reply_forwards_the_payload_and_stores_the_title(
    chat: ChatService, store: MessageStore, fake_rasa: FakeRasa
) -> None:
    fake_rasa.replies = OFFER
    conversation, _ = await chat.open(None, "web")
    await chat.handle(conversation, "Hallo")
    await chat.handle(conversation, "Was können Sie?", payload="/help")
    assert fake_rasa.received[-1]["message"] == "/help"
    assert (await store.history(conversation))[2].text == "Was können Sie?"


async def test_question_payload_is_forwarded_and_oversized_payload_is_not(
    chat: ChatService, fake_rasa: FakeRasa
) -> None:
    fake_rasa.replies = OFFER
    conversation, _ = await chat.open(None, "web")
    await chat.handle(conversation, "Hallo")
    await chat.handle(conversation, "E-Rechnung", payload="Was muss ich zur E-Rechnung wissen?")
    assert fake_rasa.received[-1]["message"] == "Was muss ich zur E-Rechnung wissen?"
    await chat.handle(conversation, "Hallo", payload="/" + "x" * 600)
    assert fake_rasa.received[-1]["message"] == "Hallo"


@pytest.mark.parametrize(
    ("text", "payload", "sent"),
    [
        # a payload no button of this conversation offered: the title goes as text
        ("Termine", '/request_events{"event_offset":"x"}', "Termine"),
        ("Hilfe", "/help", "Hilfe"),
        # typed text that looks like an intent with entities is only text
        (
            '/ask_digitalisation{"topic":"<img src=x>"}',
            None,
            'ask_digitalisation{"topic":"<img src=x>"}',
        ),
        ("//request_human", None, "request_human"),
        ("/", None, "?"),
    ],
)
async def test_only_offered_payloads_reach_rasa_as_intents(
    chat: ChatService, fake_rasa: FakeRasa, text: str, payload: str | None, sent: str
) -> None:
    conversation, _ = await chat.open(None, "web")
    await chat.handle(conversation, text, payload=payload)
    assert fake_rasa.received[-1]["message"] == sent


async def test_a_button_offered_in_another_conversation_is_not_forwarded(
    chat: ChatService, fake_rasa: FakeRasa
) -> None:
    fake_rasa.replies = OFFER
    offered, _ = await chat.open(None, "web")
    await chat.handle(offered, "Hallo")
    other, _ = await chat.open(None, "web")
    await chat.handle(other, "Was können Sie?", payload="/help")
    assert fake_rasa.received[-1] == {"sender": other, "message": "Was können Sie?"}


async def test_rasa_failure_keeps_the_message_and_tells_the_person(
    chat: ChatService, store: MessageStore, fake_rasa: FakeRasa
) -> None:
    fake_rasa.status = 500
    conversation, _ = await chat.open(None, "web")
    replies = await chat.handle(conversation, "Brauche ich eine TSE?")
    assert [r.text for r in replies] == [texts.UNAVAILABLE]
    assert "kurz nicht erreichbar" in texts.UNAVAILABLE
    stored = await store.history(conversation)
    assert [(m.sender, m.text) for m in stored] == [
        ("user", "Brauche ich eine TSE?"),
        ("system", texts.UNAVAILABLE),
    ]


@pytest.mark.parametrize("wish", ["Ich will mit einem Menschen reden", "Rückruf bitte"])
async def test_a_person_is_reachable_while_rasa_is_down(
    chat: ChatService, store: MessageStore, fake_rasa: FakeRasa, wish: str
) -> None:
    fake_rasa.status = 500
    conversation, _ = await chat.open(None, "web")
    [notice] = await chat.handle(conversation, "Brauche ich eine TSE?")
    assert notice.buttons == [texts.ADVISOR_BUTTON]
    [consent] = await chat.handle(conversation, "Mit Berater sprechen", payload="/request_human")
    assert "Einverstanden?" in consent.text
    other, _ = await chat.open(None, "web")
    [typed] = await chat.handle(other, wish)
    assert "Einverstanden?" in typed.text


async def test_empty_answer_from_rasa_counts_as_a_failure(
    chat: ChatService, fake_rasa: FakeRasa
) -> None:
    # Rasa answers 200 with nothing when a custom action failed on the action server.
    fake_rasa.replies = []
    conversation, _ = await chat.open(None, "web")
    replies = await chat.handle(conversation, "Hallo")
    assert [r.text for r in replies] == [texts.UNAVAILABLE]


async def test_feedback_is_stored_on_the_last_answer_without_asking_rasa(
    chat: ChatService, store: MessageStore, fake_rasa: FakeRasa, sqlite_url: str
) -> None:
    fake_rasa.replies = [
        {"text": "Antwort mit Quelle", "buttons": [{"title": "Hat geholfen", "payload": "#x"}]},
        {"custom": {"answer": {"guide_id": "phishing-passwoerter", "section": 0}}},
    ]
    conversation, _ = await chat.open(None, "web")
    [answer] = await chat.handle(conversation, "Phishing?")
    assert answer.custom == {"answer": {"guide_id": "phishing-passwoerter", "section": 0}}
    [thanks] = await chat.handle(conversation, "Hat geholfen", payload="#feedback:helpful")
    [sorry] = await chat.handle(conversation, "Hat nicht geholfen", payload="#feedback:not_helpful")
    assert thanks.text == texts.FEEDBACK_THANKS
    assert sorry.buttons == [texts.ADVISOR_BUTTON]
    assert len(fake_rasa.received) == 1

    engine = create_engine(sqlite_url)
    async with session_factory(engine)() as session:
        rows = (await session.scalars(select(Feedback).order_by(Feedback.id))).all()
    await engine.dispose()
    assert [(row.message_id, row.helpful) for row in rows] == [
        (answer.id, True),
        (answer.id, False),
    ]


async def test_feedback_without_an_answer_gets_a_prompt(chat: ChatService) -> None:
    conversation, _ = await chat.open(None, "web")
    [reply] = await chat.handle(conversation, "Hat geholfen", payload="#feedback:helpful")
    assert reply.text == texts.FEEDBACK_NOTHING


@pytest.mark.parametrize("request_text", ["Löschen Sie meine Daten", "bitte meinen Chat löschen"])
async def test_the_person_can_erase_the_conversation(
    chat: ChatService,
    store: MessageStore,
    fake_rasa: FakeRasa,
    erased: list[str],
    request_text: str,
) -> None:
    conversation, _ = await chat.open(None, "web")
    await chat.handle(conversation, "Brauche ich eine TSE?")
    [ask] = await chat.handle(conversation, request_text)
    assert "Soll ich alles löschen?" in ask.text
    assert [b["payload"] for b in ask.buttons] == [erasure.CONFIRM, erasure.KEEP]
    [kept] = await chat.handle(conversation, "Nein, behalten", erasure.KEEP)
    assert kept.text == erasure.KEPT
    assert erased == []
    await chat.handle(conversation, "Meine Daten löschen", erasure.ERASE)
    [done] = await chat.handle(conversation, "ja, löschen")
    assert done.custom == {"erased": True}
    assert "gelöscht" in done.text
    assert erased == [conversation]
    assert await store.history(conversation) == []
    assert len(fake_rasa.received) == 1  # none of this went to the bot


async def test_an_unanswered_erase_question_lets_the_chat_go_on(
    chat: ChatService, fake_rasa: FakeRasa, erased: list[str]
) -> None:
    conversation, _ = await chat.open(None, "web")
    await chat.handle(conversation, "Löschen Sie meine Daten")
    await chat.handle(conversation, "Was ist eine E-Rechnung?")
    assert fake_rasa.received[-1]["message"] == "Was ist eine E-Rechnung?"
    assert erased == []
