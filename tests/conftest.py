"""Shared fixtures. The real services start once per session, only when a test asks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from bot.db.engine import create_engine, create_schema, session_factory
from bot.db.store import MessageStore
from tests.fake_rasa import FakeRasa

pytest_plugins = ["tests.stack"]


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
async def store(sqlite_url: str) -> AsyncIterator[MessageStore]:
    """A message store on a fresh SQLite database."""
    engine = create_engine(sqlite_url)
    await create_schema(engine)
    yield MessageStore(session_factory(engine))
    await engine.dispose()
