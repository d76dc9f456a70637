"""The audit log: fixed actions and reasons, purged after its own retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import AuditEntry
from bot.privacy.audit import AuditLog


async def test_entries_keep_ids_and_reason_codes(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    audit = AuditLog(sessions)
    await audit.record("read", advisor_id=3, handoff_id=7)
    await audit.record("erase", actor="cli", handoff_id=7, reason="request")
    entries = await audit.entries()
    assert [(e.actor, e.advisor_id, e.action, e.handoff_id, e.reason) for e in entries] == [
        ("console", 3, "read", 7, None),
        ("cli", None, "erase", 7, "request"),
    ]


async def test_free_text_never_reaches_the_log(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    audit = AuditLog(sessions)
    with pytest.raises(ValueError, match="reason"):
        await audit.record("erase", handoff_id=1, reason="Herr Meier, Tel. 0345 123")
    with pytest.raises(ValueError, match="action"):
        await audit.record("peek", handoff_id=1)
    assert await audit.entries() == []


async def test_purge_removes_only_entries_older_than_the_cutoff(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    audit = AuditLog(sessions)
    await audit.record("read", advisor_id=1, handoff_id=1)
    await audit.record("read", advisor_id=1, handoff_id=2)
    old = datetime.now(UTC) - timedelta(days=400)
    async with sessions.begin() as session:
        await session.execute(update(AuditEntry).where(AuditEntry.handoff_id == 1).values(at=old))
    assert await audit.purge(datetime.now(UTC) - timedelta(days=365)) == 1
    assert [e.handoff_id for e in await audit.entries()] == [2]
    since = datetime.now(UTC) - timedelta(days=1)
    assert [e.handoff_id for e in await audit.entries(since)] == [2]
