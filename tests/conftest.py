"""Shared fixtures. The real services start once per session, only when a test asks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import create_engine, session_factory
from bot.db.migrate import upgrade_schema
from bot.db.store import MessageStore
from bot.handoff.accounts import AdvisorStore
from bot.handoff.hub import ConsoleHub, PersonHub
from bot.handoff.office_hours import OfficeHours
from bot.handoff.service import HandoffService
from bot.handoff.store import HandoffStore
from tests.fake_rasa import FakeRasa

pytest_plugins = ["tests.stack", "tests.cluster"]


@pytest.fixture
async def fake_rasa(aiohttp_server: Callable[..., Awaitable[TestServer]]) -> FakeRasa:
    """A fake Rasa REST channel on a free port."""
    fake = FakeRasa()
    server = await aiohttp_server(fake.app())
    fake.url = str(server.make_url("")).rstrip("/")
    return fake


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database file."""
    return f"sqlite:///{tmp_path}/test.db"


@pytest.fixture
async def sessions(sqlite_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on a fresh, migrated SQLite database."""
    engine = create_engine(sqlite_url)
    await upgrade_schema(engine)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
def store(sessions: async_sessionmaker[AsyncSession]) -> MessageStore:
    """A message store on a fresh SQLite database."""
    return MessageStore(sessions)


@pytest.fixture
def handoff_service(
    sessions: async_sessionmaker[AsyncSession], store: MessageStore
) -> HandoffService:
    """The handoff service on the same database, office always open, nobody online."""
    return HandoffService(
        HandoffStore(sessions),
        store,
        AdvisorStore(sessions),
        PersonHub(),
        ConsoleHub(),
        OfficeHours.parse("Mo-So 00:00-24:00"),
        retention_days=90,
        exclusive_seconds=60,
        public_url="http://127.0.0.1:8080",
    )
