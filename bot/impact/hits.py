"""Counting clicks as they happen (registration links, case pages): one counter per
day, channel (the link's ?via=, bot/impact/links.py), kind and key; nothing about the
visitor is kept."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.impact.collect import day_of
from bot.impact.models import ImpactHit

REGISTRATION = "registration"
CASE_VIEW = "case_view"
# link previews of messengers and search engines fetch links nobody clicked
MACHINES = re.compile(
    r"bot|crawl|spider|preview|facebookexternalhit|whatsapp|telegram|slack|curl|wget",
    re.IGNORECASE,
)


def by_a_person(method: str, user_agent: str | None) -> bool:
    """Whether a request looks like a person's click (GET by a browser, no preview)."""
    return method == "GET" and bool(user_agent) and not MACHINES.search(user_agent or "")


async def count_hit(
    sessions: async_sessionmaker[AsyncSession],
    kind: str,
    key: str,
    channel: str = "",
    now: datetime | None = None,
) -> None:
    """Add one to today's counter of `kind`, `key` and `channel` (race-safe upsert)."""
    day = day_of(now or datetime.now(UTC))
    values = {"day": day, "channel": channel, "kind": kind, "key": key[:120], "count": 1}
    keys = ["day", "channel", "kind", "key"]
    more = {"count": ImpactHit.count + 1}
    async with sessions.begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            upsert = postgresql.insert(ImpactHit).values(**values)
            await session.execute(upsert.on_conflict_do_update(index_elements=keys, set_=more))
        else:
            lite = sqlite.insert(ImpactHit).values(**values)
            await session.execute(lite.on_conflict_do_update(index_elements=keys, set_=more))
