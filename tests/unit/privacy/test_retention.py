"""Retention and erase: every trace of a conversation goes, nothing newer is touched
(on SQLite and on PostgreSQL, gateway rows and Rasa's tracker events)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import create_engine, session_factory
from bot.db.migrate import upgrade_schema
from bot.db.models import Conversation, Feedback, Handoff, HandoffNote, Message
from bot.db.store import MessageStore, StoredMessage
from bot.handoff.store import HandoffStore
from bot.privacy.export import export_conversation, find_conversation
from bot.privacy.retention import erase, purge_expired
from bot.privacy.tracker import EVENTS, TrackerEvents
from tests.stack import admin_sql, ensure_postgres_running

NOW = datetime.now(UTC)
CUTOFF = NOW - timedelta(days=90)


@pytest.fixture(params=["sqlite", "postgresql"])
def urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A gateway database and a tracker store of each kind (fresh, dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/werkbot.db", f"sqlite:///{tmp_path}/tracker.db"
        return
    ensure_postgres_running()
    names = [f"werkbot_privacy_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    for name in names:
        admin_sql(f'CREATE DATABASE "{name}"')
    yield tuple(f"postgresql://postgres@127.0.0.1:5432/{name}" for name in names)  # type: ignore[misc]
    for name in names:
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def database(urls: tuple[str, str]) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the migrated gateway database."""
    engine = create_engine(urls[0])
    await upgrade_schema(engine)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
async def tracker(urls: tuple[str, str]) -> AsyncIterator[TrackerEvents]:
    """Rasa's events table (its columns that matter here) in the tracker store."""
    tracker = TrackerEvents.from_url(urls[1])
    async with tracker._engine.begin() as connection:
        await connection.run_sync(EVENTS.metadata.create_all)
    yield tracker
    await tracker.close()


async def conversation_at(
    sessions: async_sessionmaker[AsyncSession], tracker: TrackerEvents, last_message: datetime
) -> str:
    """A conversation with messages, feedback and Rasa events, last active at `last_message`."""
    store = MessageStore(sessions)
    conversation = await store.open_conversation(None, "web")
    await store.add(conversation, StoredMessage("user", "Brauche ich eine TSE?"))
    answer = StoredMessage("bot", "Ja.", custom={"answer": {"guide_id": "kasse"}})
    await store.add(conversation, answer)
    await store.add_feedback(conversation, helpful=True)
    async with sessions.begin() as session:
        await session.execute(
            update(Conversation)
            .where(Conversation.id == conversation)
            .values(updated_at=last_message)
        )
        await session.execute(
            update(Message)
            .where(Message.conversation_id == conversation)
            .values(created_at=last_message)
        )
    async with tracker._engine.begin() as connection:
        await connection.execute(
            insert(EVENTS),
            [
                {
                    "sender_id": conversation,
                    "type_name": "user",
                    "timestamp": time.time(),
                    "data": json.dumps({"event": "user", "text": "Brauche ich eine TSE?"}),
                }
            ],
        )
    return conversation


async def remaining(sessions: async_sessionmaker[AsyncSession], ids: list[str]) -> set[str]:
    async with sessions() as session:
        rows = await session.scalars(select(Conversation.id).where(Conversation.id.in_(ids)))
        return set(rows)


async def test_purge_erases_old_conversations_everywhere_and_nothing_newer(
    database: async_sessionmaker[AsyncSession], tracker: TrackerEvents
) -> None:
    old = await conversation_at(database, tracker, NOW - timedelta(days=91))
    recent = await conversation_at(database, tracker, NOW - timedelta(days=89))
    connected = await conversation_at(database, tracker, NOW - timedelta(days=120))
    # a handoff that ended long ago, but the person wrote again since: kept
    returned = await conversation_at(database, tracker, NOW - timedelta(days=1))
    handoffs = HandoffStore(database)
    ended = await handoffs.create(returned, "web", reason="request_human")
    await handoffs.transition(
        ended.id, ("consent",), status="closed", closed_at=NOW - timedelta(days=200)
    )
    # a callback request nobody has answered yet: kept, however old
    waiting = await conversation_at(database, tracker, NOW - timedelta(days=100))
    callback = await handoffs.create(waiting, "web", reason="request_human")
    await handoffs.transition(callback.id, ("consent",), status="callback_open")
    ids = [old, recent, connected, returned, waiting]

    erased = await purge_expired(database, tracker, CUTOFF, connected={connected})

    assert erased == [old]
    assert await remaining(database, ids) == {recent, connected, returned, waiting}
    assert await tracker.export(old) == []
    assert await tracker.export(recent) != []
    async with database() as session:
        orphans = await session.scalars(select(Message.id).where(Message.conversation_id == old))
        assert orphans.all() == []
        feedback = await session.scalars(select(Feedback.id).where(Feedback.conversation_id == old))
        assert feedback.all() == []


async def test_erase_on_request_takes_everything_of_one_conversation(
    database: async_sessionmaker[AsyncSession], tracker: TrackerEvents
) -> None:
    mine = await conversation_at(database, tracker, NOW)
    other = await conversation_at(database, tracker, NOW)
    handoffs = HandoffStore(database)
    handoff = await handoffs.create(mine, "web", reason="request_human")
    await handoffs.transition(
        handoff.id, ("consent",), status="callback_open", contact="0345 1234567"
    )
    async with database.begin() as session:
        session.add(HandoffNote(handoff_id=handoff.id, text="Rückruf vereinbart"))

    assert await find_conversation(database, handoff.ticket) == mine
    exported = await export_conversation(database, tracker, mine)
    assert exported is not None
    assert [m["text"] for m in exported["messages"]] == ["Brauche ich eine TSE?", "Ja."]
    assert exported["handoffs"][0]["contact"] == "0345 1234567"
    assert exported["handoff_notes"][0]["text"] == "Rückruf vereinbart"
    assert exported["dialogue_state_events"][0]["text"] == "Brauche ich eine TSE?"
    json.dumps(exported)  # JSON as it is

    assert await erase(database, tracker, mine)
    assert await remaining(database, [mine, other]) == {other}
    assert await tracker.export(mine) == []
    assert await tracker.export(other) != []
    async with database() as session:
        assert (
            await session.scalars(select(Handoff.id).where(Handoff.id == handoff.id))
        ).all() == []
        notes = await session.scalars(select(HandoffNote.id))
        assert notes.all() == []
    assert await export_conversation(database, tracker, mine) is None
    assert await find_conversation(database, handoff.ticket) is None
    assert not await erase(database, tracker, mine)


async def test_a_tracker_store_rasa_never_wrote_to_is_no_error(sqlite_url: str) -> None:
    tracker = TrackerEvents.from_url(sqlite_url)
    try:
        assert await tracker.delete(["a" * 32]) == 0
        assert await tracker.export("a" * 32) == []
    finally:
        await tracker.close()
