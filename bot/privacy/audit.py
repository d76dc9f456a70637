"""The audit log: every console read of a transcript, every export and every erasure,
with ids and a reason code only (never the person's data)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import AuditEntry, utcnow

# why a conversation is erased from the console: a fixed list, so that no free text
# (which could name the person) reaches the log
ERASE_REASONS = {
    "request": "Die Person hat um Löschung gebeten",
    "mistake": "Irrtümlich erfasste Daten",
    "abuse": "Missbrauch oder unzulässige Inhalte",
    "other": "Sonstiger Grund",
}
ACTIONS = frozenset({"read", "export", "erase"})


class AuditLog:
    """Writes and reads the audit log."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(
        self,
        action: str,
        *,
        actor: str = "console",
        advisor_id: int | None = None,
        handoff_id: int | None = None,
        reason: str | None = None,
    ) -> None:
        """Write one entry (ValueError for an unknown action or reason)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        if reason is not None and reason not in ERASE_REASONS:
            raise ValueError(f"unknown erase reason {reason!r}")
        async with self._sessions.begin() as session:
            session.add(
                AuditEntry(
                    at=utcnow(),
                    actor=actor,
                    advisor_id=advisor_id,
                    action=action,
                    handoff_id=handoff_id,
                    reason=reason,
                )
            )

    async def entries(self, since: datetime | None = None) -> list[AuditEntry]:
        """The entries, oldest first (from `since` on, if given)."""
        query = select(AuditEntry).order_by(AuditEntry.id)
        if since is not None:
            query = query.where(AuditEntry.at >= since)
        async with self._sessions() as session:
            return list(await session.scalars(query))

    async def purge(self, cutoff: datetime) -> int:
        """Delete the entries older than `cutoff`; how many."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                delete(AuditEntry).where(AuditEntry.at < cutoff).returning(AuditEntry.id)
            )
            return len(result.all())
