"""Loading guides into the database (idempotent: unchanged guides are left alone)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import selectinload
from tqdm import tqdm

from bot.db.engine import session_factory
from bot.db.migrate import upgrade_schema
from bot.db.models import KbGuide, KbSection
from bot.kb.guides import Guide


@dataclass(frozen=True)
class LoadReport:
    """What a load changed."""

    added: int
    updated: int
    removed: int
    unchanged: int


def content_hash(guide: Guide) -> str:
    """SHA-256 of the guide file's bytes."""
    return hashlib.sha256(guide.path.read_bytes()).hexdigest()


def to_row(guide: Guide, digest: str) -> KbGuide:
    """The database row of a guide, with its sections."""
    meta = guide.meta
    return KbGuide(
        id=meta.id,
        title=meta.title,
        topics=list(meta.topics),
        trades=list(meta.trades),
        summary=meta.summary,
        sources=[str(url) for url in meta.sources],
        checked=meta.checked,
        keywords=list(meta.keywords),
        illustrative=meta.illustrative,
        content_hash=digest,
        sections=[
            KbSection(
                number=s.number,
                heading=s.heading,
                text=s.text,
                valid_from=s.validity.valid_from,
                valid_until=s.validity.valid_until,
            )
            for s in guide.sections
        ],
    )


async def load_into_database(
    engine: AsyncEngine, guides: list[Guide], progress: bool = True
) -> LoadReport:
    """Make the database hold exactly `guides`; return what changed."""
    await upgrade_schema(engine)
    added = updated = unchanged = 0
    async with session_factory(engine).begin() as session:
        existing = {
            row.id: row
            for row in await session.scalars(
                select(KbGuide).options(selectinload(KbGuide.sections))
            )
        }
        for guide in tqdm(guides, desc="Leitfäden", unit="Leitfaden", disable=not progress):
            digest = content_hash(guide)
            row = existing.get(guide.id)
            if row is not None and row.content_hash == digest:
                unchanged += 1
                continue
            if row is None:
                added += 1
            else:
                updated += 1
                await session.delete(row)
                await session.flush()
            session.add(to_row(guide, digest))
        stale = set(existing) - {guide.id for guide in guides}
        if stale:
            await session.execute(delete(KbSection).where(KbSection.guide_id.in_(stale)))
            await session.execute(delete(KbGuide).where(KbGuide.id.in_(stale)))
    return LoadReport(added, updated, len(stale), unchanged)
