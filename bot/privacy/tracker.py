"""Rasa's tracker store, read and pruned by sender id (= our conversation id).

Rasa's SQLTrackerStore keeps one row per event in the table `events`; the gateway
reaches the same database (TRACKER_STORE_URL) to erase and export a conversation's
dialogue state. Before Rasa's first start the table does not exist: nothing to do.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, delete, select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import create_engine

EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("data", Text),
)
# a missing table (Rasa never ran on this store) raises one of these
NO_TABLE = (OperationalError, ProgrammingError)


class TrackerEvents:
    """Rasa's stored events of conversations."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @classmethod
    def from_url(cls, url: str) -> TrackerEvents:
        """The tracker store at a sqlite:// or postgresql:// URL."""
        return cls(create_engine(url))

    async def close(self) -> None:
        """Release the connections."""
        await self._engine.dispose()

    async def delete(self, sender_ids: Iterable[str]) -> int:
        """Delete every event of `sender_ids`; the number of events deleted."""
        ids = list(sender_ids)
        if not ids:
            return 0
        try:
            async with self._engine.begin() as connection:
                result = await connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(ids)))
        except NO_TABLE:
            return 0
        return int(result.rowcount or 0)

    async def export(self, sender_id: str) -> list[dict[str, Any]]:
        """Every stored event of `sender_id`, oldest first, as Rasa wrote it."""
        query = select(EVENTS.c.data).where(EVENTS.c.sender_id == sender_id).order_by(EVENTS.c.id)
        try:
            async with self._engine.connect() as connection:
                rows = (await connection.execute(query)).scalars().all()
        except NO_TABLE:
            return []
        return [json.loads(row) for row in rows if row]
