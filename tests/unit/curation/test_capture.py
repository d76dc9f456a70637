"""Capture into the curation queue: markers of the bot's replies, "Hat nicht
geholfen", handoffs; masked, grouped, once per conversation; never failing the
person's message; unlinked when the conversation goes."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.curation.capture import Capture
from bot.curation.queue import CurationQueue, Entry
from bot.db.curation_models import CurationGroup, CurationItem
from bot.db.store import MessageStore, StoredMessage
from bot.privacy.retention import erase
from bot.privacy.tracker import TrackerEvents

CONVERSATION = "a" * 32
OTHER = "b" * 32


async def items(sessions: async_sessionmaker[AsyncSession]) -> list[CurationItem]:
    async with sessions() as session:
        return list((await session.scalars(select(CurationItem).order_by(CurationItem.id))).all())


async def groups(sessions: async_sessionmaker[AsyncSession]) -> list[CurationGroup]:
    async with sessions() as session:
        return list((await session.scalars(select(CurationGroup).order_by(CurationGroup.id))).all())


@pytest.fixture
def capture(sessions: async_sessionmaker[AsyncSession]) -> Capture:
    return Capture(CurationQueue(sessions))


async def stored(
    store: MessageStore, conversation: str, custom: dict[str, object]
) -> StoredMessage:
    return await store.add(conversation, StoredMessage("bot", "Antwort", custom=custom))


async def test_markers_are_captured_masked_and_grouped(
    capture: Capture, store: MessageStore, sessions: async_sessionmaker[AsyncSession]
) -> None:
    asked = "Darf ich in der Werkstatt eine Kamera aufhängen? Ich bin Anna, 0171 1234567"
    replies = [await stored(store, CONVERSATION, {"no_answer": {"question": asked}})]
    await capture.replies(CONVERSATION, "web", replies, None)
    weather = [await stored(store, OTHER, {"out_of_scope": {"question": "Wie wird das Wetter?"}})]
    await capture.replies(OTHER, "whatsapp", weather, None)
    again = [
        await stored(store, OTHER, {"no_answer": {"question": "kamera in der werkstatt erlaubt"}})
    ]
    await capture.replies(OTHER, "whatsapp", again, None)

    found = await items(sessions)
    assert [(i.kind, i.question, i.channel) for i in found] == [
        (
            "no_answer",
            "Darf ich in der Werkstatt eine Kamera aufhängen? Ich bin [Name], [Telefon]",
            "web",
        ),
        ("out_of_scope", "Wie wird das Wetter?", "whatsapp"),
        ("no_answer", "kamera in der werkstatt erlaubt", "whatsapp"),
    ]
    camera, weather_group = await groups(sessions)
    assert (camera.count, weather_group.count) == (2, 1)
    assert found[0].group_id == found[2].group_id == camera.id
    assert camera.first_seen <= camera.last_seen


async def test_repeats_count_once_and_a_handoff_upgrades_the_kind(
    capture: Capture, store: MessageStore, sessions: async_sessionmaker[AsyncSession]
) -> None:
    question = "Brauche ich ein Fahrtenbuch für den Firmenwagen?"
    marked = [await stored(store, CONVERSATION, {"no_answer": {"question": question}})]
    await capture.replies(CONVERSATION, "web", marked, None)
    await capture.replies(CONVERSATION, "web", marked, None)
    signal = {"reason": "no_answer", "question": question}
    await capture.replies(CONVERSATION, "web", [], signal)
    await capture.handoff(CONVERSATION, "web", {"reason": "request_human", "question": "x y z"})
    assert [i.kind for i in await items(sessions)] == ["handoff_no_answer"]
    assert (await groups(sessions))[0].count == 1


async def test_not_helpful_keeps_the_answer_and_its_handoff_upgrades_it(
    capture: Capture, store: MessageStore, sessions: async_sessionmaker[AsyncSession]
) -> None:
    about = {"guide_id": "kasse-tse-grundlagen", "section": 2, "question": "TSE für 2 Kassen?"}
    answer = await stored(store, CONVERSATION, {"answer": about})
    await capture.feedback(CONVERSATION, "web", answer, helpful=True)
    assert await items(sessions) == []
    await capture.feedback(CONVERSATION, "web", answer, helpful=False)
    await capture.feedback(CONVERSATION, "web", None, helpful=False)
    await capture.handoff(
        CONVERSATION, "web", {"reason": "not_helpful", "question": about["question"]}
    )
    (item,) = await items(sessions)
    assert (item.kind, item.guide_id, item.section, item.answer) == (
        "handoff_not_helpful",
        "kasse-tse-grundlagen",
        2,
        "Antwort",
    )


async def test_a_failing_queue_is_logged_and_the_message_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Broken(CurationQueue):
        async def add(self, entry: Entry) -> int | None:
            raise RuntimeError("database gone")

    capture = Capture(Broken(None))  # type: ignore[arg-type]
    reply = StoredMessage("bot", "x", custom={"no_answer": {"question": "Eine Frage?"}})
    with caplog.at_level(logging.ERROR):
        await capture.replies(CONVERSATION, "web", [reply], None)
    assert "curation capture failed" in caplog.text
    await Capture().replies(CONVERSATION, "web", [reply], None)  # no queue: nothing


async def test_items_survive_the_conversation_unlinked(
    capture: Capture,
    store: MessageStore,
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: object,
) -> None:
    marked = [await stored(store, CONVERSATION, {"no_answer": {"question": "Gäste-WLAN Haftung?"}})]
    await capture.replies(CONVERSATION, "web", marked, None)
    assert (await items(sessions))[0].conversation_id == CONVERSATION
    tracker = TrackerEvents.from_url(f"sqlite:///{tmp_path}/tracker.db")
    try:
        assert await erase(sessions, tracker, CONVERSATION)
    finally:
        await tracker.close()
    (item,) = await items(sessions)
    assert (item.question, item.conversation_id) == ("Gäste-WLAN Haftung?", None)
