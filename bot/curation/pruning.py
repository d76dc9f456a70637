"""Removing queue items: one an editor erases (a name the masking missed) and all
older than CURATION_RETENTION_DAYS. A group keeps the count, first/last seen and
question of the items it still has; a group left without items goes, comments too."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.curation_models import CurationGroup, CurationItem


async def refresh_groups(session: AsyncSession, group_ids: Collection[int]) -> set[int]:
    """Recount the groups from their items (the oldest item's question becomes the
    group's question); delete those without items. The ids deleted."""
    deleted: set[int] = set()
    for group_id in sorted(group_ids):
        group = await session.get(CurationGroup, group_id)
        if group is None:
            continue
        count, first, last = (
            await session.execute(
                select(
                    func.count(CurationItem.id),
                    func.min(CurationItem.created_at),
                    func.max(CurationItem.created_at),
                ).where(CurationItem.group_id == group_id)
            )
        ).one()
        if not count:
            await session.delete(group)
            deleted.add(group_id)
            continue
        oldest = await session.scalar(
            select(CurationItem.question)
            .where(CurationItem.group_id == group_id)
            .order_by(CurationItem.created_at, CurationItem.id)
            .limit(1)
        )
        group.count, group.first_seen, group.last_seen = int(count), first, last
        group.question = oldest or group.question
    return deleted


async def erase_item(session: AsyncSession, group_id: int, item_id: int) -> bool | None:
    """Delete one item of a group; None if there is no such item in the group, else
    whether the group is still there."""
    item = await session.get(CurationItem, item_id)
    if item is None or item.group_id != group_id:
        return None
    await session.delete(item)
    await session.flush()
    return group_id not in await refresh_groups(session, [group_id])


async def prune_items(sessions: async_sessionmaker[AsyncSession], cutoff: datetime) -> int:
    """Delete every item created before `cutoff`; the number deleted."""
    async with sessions.begin() as session:
        result = await session.execute(
            delete(CurationItem)
            .where(CurationItem.created_at < cutoff)
            .returning(CurationItem.group_id)
        )
        groups = list(result.scalars())
        await refresh_groups(session, set(groups))
    return len(groups)
