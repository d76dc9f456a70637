"""What the gateway stored, read straight from its database (the tests count messages
there, not on screen)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import func, select

from bot.db.engine import create_engine
from bot.db.models import Message

T = TypeVar("T")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a query beside Playwright's loop (which owns the test's thread)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _user_texts(database_url: str, conversation_id: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(Message.text)
                .where(Message.conversation_id == conversation_id, Message.sender == "user")
                .order_by(Message.id)
            )
            return [text for (text,) in rows]
    finally:
        await engine.dispose()


def user_texts(database_url: str, conversation_id: str) -> list[str]:
    """The person's stored messages of a conversation, in order."""
    return _run(_user_texts(database_url, conversation_id))


async def _count(database_url: str, text: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            found = await connection.scalar(
                select(func.count()).select_from(Message).where(Message.text == text)
            )
            return int(found or 0)
    finally:
        await engine.dispose()


def stored_count(database_url: str, text: str) -> int:
    """How many messages with exactly this text are stored (all conversations)."""
    return _run(_count(database_url, text))
