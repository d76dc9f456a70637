"""Schema migrations with Alembic, run by the gateway and the CLI before they start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.cluster.once import wait_for_lock

MIGRATIONS = Path(__file__).parent / "migrations"
# The revision whose tables session 1 created with `create_all`, before Alembic.
BASELINE = "0001"


def alembic_config(connection: Connection) -> Config:
    """An Alembic configuration that runs on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    config = alembic_config(connection)
    tables = set(inspect(connection).get_table_names())
    if "conversations" in tables and "alembic_version" not in tables:
        command.stamp(config, BASELINE)  # adopt a database created before migrations
    command.upgrade(config, "head")


async def upgrade_schema(engine: AsyncEngine) -> None:
    """Bring the database to the newest migration (idempotent); instances starting
    together take turns (the second finds the schema current)."""
    async with engine.begin() as connection:
        await wait_for_lock(connection, "migrate")
        await connection.run_sync(_upgrade)
