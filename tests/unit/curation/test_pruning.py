"""The queue's own retention: items older than the cutoff go, a group is recounted
from what is left (oldest question, first/last seen) or goes with its last item,
comments included."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.curation.pruning import prune_items
from bot.curation.queue import CurationQueue, Entry
from bot.db.curation_models import CurationComment, CurationGroup, CurationItem
from tests.stack import run_bot

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


async def add(queue: CurationQueue, sessions: Sessions, question: str, days_ago: int) -> int:
    """Queue `question` as asked `days_ago` days before NOW; its group's id."""
    group_id = await queue.add(Entry("no_answer", question, "web"))
    assert group_id is not None
    async with sessions.begin() as session:
        newest = await session.scalar(select(func.max(CurationItem.id)))
        await session.execute(
            update(CurationItem)
            .where(CurationItem.id == newest)
            .values(created_at=NOW - timedelta(days=days_ago))
        )
    return group_id


async def test_old_items_go_and_groups_follow_what_is_left(sessions: Sessions) -> None:
    queue = CurationQueue(sessions)
    wlan = await add(queue, sessions, "Gäste-WLAN im Laden, hafte ich?", 400)
    assert await add(queue, sessions, "Gäste-WLAN im Laden: hafte ich als Betrieb?", 30) == wlan
    drone = await add(queue, sessions, "Drohnenflug über Nachbars Garten erlaubt?", 500)
    async with sessions.begin() as session:
        session.add(CurationComment(group_id=drone, text="Leitfaden Drohne ergänzen"))
    assert await prune_items(sessions, NOW - timedelta(days=365)) == 2
    async with sessions() as session:
        groups = list((await session.scalars(select(CurationGroup))).all())
        comments = list((await session.scalars(select(CurationComment))).all())
    [left] = groups
    assert left.id == wlan
    assert (left.count, left.question) == (1, "Gäste-WLAN im Laden: hafte ich als Betrieb?")
    assert left.first_seen == left.last_seen == NOW - timedelta(days=30)
    assert comments == []
    assert await prune_items(sessions, NOW - timedelta(days=365)) == 0


async def test_the_purge_command_prunes_the_queue_too(
    sessions: Sessions, sqlite_url: str, tmp_path: Path
) -> None:
    queue = CurationQueue(sessions)
    await add(queue, sessions, "Gäste-WLAN im Laden, hafte ich?", 40)
    env = {
        "DATABASE_URL": sqlite_url,
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path}/tracker.db",
        "CURATION_RETENTION_DAYS": "30",
    }
    done = await asyncio.to_thread(run_bot, "privacy", "purge", env=env)
    assert done.returncode == 0, done.stderr
    assert "1 Frage der Redaktions-Warteschlange älter als 30 Tage gelöscht." in done.stdout
    async with sessions() as session:
        assert (await session.scalar(select(func.count(CurationGroup.id)))) == 0
