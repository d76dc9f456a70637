"""Alembic environment: runs on the connection `bot.db.migrate` passes in, or on
DATABASE_URL when called as `alembic` from the command line."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from bot.config import Settings
from bot.db import (  # noqa: F401  (their tables are part of the schema)
    channel_models,
    curation_models,
    desk_models,
)
from bot.db.engine import create_engine
from bot.db.models import Base
from bot.impact import models as impact_models  # noqa: F401  (the dashboard's tables)

TARGET = Base.metadata


def run_on(connection: Connection) -> None:
    """Run the migrations inside one transaction on `connection`."""
    context.configure(
        connection=connection,
        target_metadata=TARGET,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_from_url() -> None:
    """Connect to DATABASE_URL (command line use)."""
    engine = create_engine(Settings.from_env().database_url)
    async with engine.connect() as connection:
        await connection.run_sync(run_on)
        await connection.commit()
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    asyncio.run(run_from_url())
