"""Alembic migrations produce exactly the models' schema, also on PostgreSQL, and
adopt databases created before migrations existed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db import channel_models, desk_models  # noqa: F401  (their tables are part of the schema)
from bot.db.engine import create_engine
from bot.db.migrate import upgrade_schema
from bot.db.models import Base
from bot.impact import models as impact_models  # noqa: F401  (the dashboard's tables)

SESSION_ONE_TABLES = (
    "CREATE TABLE conversations (id VARCHAR(32) PRIMARY KEY, channel VARCHAR(20) NOT NULL, "
    "created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL)",
    "CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id "
    "VARCHAR(32) NOT NULL REFERENCES conversations (id) ON DELETE CASCADE, sender "
    "VARCHAR(10) NOT NULL, text TEXT NOT NULL, buttons JSON, custom JSON, created_at "
    "DATETIME NOT NULL)",
    "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, message_id INTEGER NOT "
    "NULL REFERENCES messages (id) ON DELETE CASCADE, conversation_id VARCHAR(32) NOT NULL "
    "REFERENCES conversations (id) ON DELETE CASCADE, helpful BOOLEAN NOT NULL, created_at "
    "DATETIME NOT NULL)",
)


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def assert_matches_models(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(_differences) == []


@pytest.fixture
async def sqlite_engine(sqlite_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(sqlite_url)
    yield engine
    await engine.dispose()


async def test_migrations_build_the_models_schema_on_sqlite(sqlite_engine: AsyncEngine) -> None:
    await upgrade_schema(sqlite_engine)
    await upgrade_schema(sqlite_engine)  # idempotent
    await assert_matches_models(sqlite_engine)


async def test_database_from_before_migrations_is_adopted(sqlite_engine: AsyncEngine) -> None:
    async with sqlite_engine.begin() as connection:
        # the tables as session 1's create_all made them, before later columns
        for statement in SESSION_ONE_TABLES:
            await connection.execute(text(statement))
        await connection.execute(
            text("INSERT INTO conversations VALUES ('a', 'web', '2026-01-01', '2026-01-01')")
        )
    await upgrade_schema(sqlite_engine)
    async with sqlite_engine.connect() as connection:
        names = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        kept = await connection.scalar(text("SELECT count(*) FROM conversations"))
    assert {"handoffs", "advisors", "alembic_version"} <= names
    assert kept == 1


async def test_migrations_build_the_models_schema_on_postgresql(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        await upgrade_schema(engine)
        await assert_matches_models(engine)
    finally:
        await engine.dispose()
