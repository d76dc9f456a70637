"""Jobs that one instance at a time runs (retention purge, e-mail retries, schema
migrations): a PostgreSQL advisory lock; SQLite has one instance only."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

T = TypeVar("T")


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for an advisory lock named `name`."""
    digest = hashlib.sha256(f"werkbot:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


async def wait_for_lock(connection: AsyncConnection, name: str) -> None:
    """Wait for the transaction-scoped lock `name` on `connection` (PostgreSQL only;
    released when the transaction ends)."""
    if connection.dialect.name == "postgresql":
        key = {"key": lock_key(name)}
        await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), key)


async def exclusively(engine: AsyncEngine, name: str, job: Callable[[], Awaitable[T]]) -> T | None:
    """Run `job` unless another instance runs the job `name` right now (then None)."""
    if engine.dialect.name != "postgresql":
        return await job()
    key = {"key": lock_key(name)}
    async with engine.connect() as connection:
        if not await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), key):
            return None
        try:
            return await job()
        finally:
            await connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
            await connection.commit()
