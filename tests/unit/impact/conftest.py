"""A fresh migrated database of each kind for the dashboard's tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import create_engine, session_factory
from bot.db.migrate import upgrade_schema
from tests.stack import admin_sql, ensure_postgres_running


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database of each kind (dropped after)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/werkbot.db"
        return
    ensure_postgres_running()
    name = f"werkbot_impact_{uuid.uuid4().hex[:10]}"
    admin_sql(f'CREATE DATABASE "{name}"')
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the migrated database."""
    engine = create_engine(database_url)
    await upgrade_schema(engine)
    yield session_factory(engine)
    await engine.dispose()
