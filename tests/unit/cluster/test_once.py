"""Jobs one instance at a time runs, and migrations of instances starting together."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.cluster.once import exclusively, lock_key
from bot.db.engine import create_engine
from bot.db.migrate import MIGRATIONS, upgrade_schema
from tests.stack import admin_sql, ensure_postgres_running


@pytest.fixture
async def engines(postgres_url: str) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    """Two instances' engines on one PostgreSQL database."""
    first, second = create_engine(postgres_url), create_engine(postgres_url)
    yield first, second
    await first.dispose()
    await second.dispose()


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    """An empty PostgreSQL database of this test only."""
    ensure_postgres_running()
    name = f"werkbot_once_{uuid.uuid4().hex[:10]}"
    admin_sql(f'CREATE DATABASE "{name}"')
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def job_name() -> str:
    """A job name no other test (or gateway on this server) uses."""
    return f"test-{uuid.uuid4().hex}"


class Job:
    """A job that waits until released once it runs."""

    def __init__(self, result: str) -> None:
        self.result = result
        self.running = asyncio.Event()
        self.release = asyncio.Event()
        self.runs = 0

    async def __call__(self) -> str:
        self.runs += 1
        self.running.set()
        await self.release.wait()
        return self.result


async def quick() -> str:
    return "erledigt"


def test_lock_keys_are_stable_signed_64_bit_numbers() -> None:
    assert lock_key("purge") == lock_key("purge")
    assert lock_key("purge") != lock_key("mail")
    assert -(2**63) <= lock_key("purge") < 2**63


async def test_on_sqlite_the_job_always_runs(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        job = Job("eins")
        running = asyncio.create_task(exclusively(engine, "purge", job))
        await asyncio.wait_for(job.running.wait(), 2.0)
        assert await exclusively(engine, "purge", quick) == "erledigt"  # one instance only
        job.release.set()
        assert await running == "eins"
    finally:
        await engine.dispose()


async def test_on_postgresql_one_instance_runs_the_job_the_other_skips_it(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    first, second = engines
    name = job_name()
    job, other = Job("A"), Job("B")
    running = asyncio.create_task(exclusively(first, name, job))
    await asyncio.wait_for(job.running.wait(), 2.0)
    assert await exclusively(second, name, other) is None
    assert await exclusively(first, name, other) is None  # also on the same instance
    assert other.runs == 0
    job.release.set()
    assert await running == "A"
    assert await exclusively(second, name, quick) == "erledigt"  # the lock is free again


async def test_on_postgresql_two_concurrent_calls_run_the_job_once(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    first, second = engines
    name = job_name()
    runs: list[str] = []

    async def job() -> str:
        runs.append("lauf")
        await asyncio.sleep(0.2)
        return "fertig"

    results = await asyncio.gather(exclusively(first, name, job), exclusively(second, name, job))
    assert sorted(results, key=repr) == ["fertig", None]
    assert runs == ["lauf"]


async def test_on_postgresql_different_jobs_run_side_by_side(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    first, second = engines
    job = Job("A")
    running = asyncio.create_task(exclusively(first, job_name(), job))
    await asyncio.wait_for(job.running.wait(), 2.0)
    assert await exclusively(second, job_name(), quick) == "erledigt"
    job.release.set()
    assert await running == "A"


async def test_on_postgresql_a_failed_job_frees_the_lock(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    first, second = engines
    name = job_name()

    async def failing() -> str:
        raise RuntimeError("kaputt")

    with pytest.raises(RuntimeError, match="kaputt"):
        await exclusively(first, name, failing)
    assert await exclusively(second, name, quick) == "erledigt"
    assert await exclusively(first, name, quick) == "erledigt"


async def test_instances_starting_together_migrate_one_after_the_other(
    fresh_postgres_url: str,
) -> None:
    first, second = create_engine(fresh_postgres_url), create_engine(fresh_postgres_url)
    try:
        # without the lock the two would block each other on the new tables
        await asyncio.wait_for(asyncio.gather(upgrade_schema(first), upgrade_schema(second)), 60.0)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        head = ScriptDirectory.from_config(config).get_current_head()
        async with first.connect() as connection:
            versions = await connection.scalars(text("SELECT version_num FROM alembic_version"))
            revisions = list(versions)
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert revisions == [head]
        assert {"conversations", "messages", "handoffs", "advisors"} <= tables
    finally:
        await first.dispose()
        await second.dispose()
