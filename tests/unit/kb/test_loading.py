from pathlib import Path

from sqlalchemy import func, select

from bot.db.engine import create_engine, session_factory
from bot.db.models import KbGuide, KbSection
from bot.kb.guides import load_guides, parse_guide
from bot.kb.loading import load_into_database


async def test_load_adds_updates_and_removes(sqlite_url: str, tmp_path: Path) -> None:
    engine = create_engine(sqlite_url)
    guides = load_guides()[:3]
    report = await load_into_database(engine, guides, progress=False)
    assert (report.added, report.updated, report.removed, report.unchanged) == (3, 0, 0, 0)

    changed = tmp_path / guides[0].path.name
    changed.write_text(guides[0].path.read_text().replace("## ", "## Neu: ", 1))
    report = await load_into_database(engine, [parse_guide(changed), guides[1]], progress=False)
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 1, 1, 1)

    async with session_factory(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(KbGuide)) == 2
        headings = await session.scalars(
            select(KbSection.heading).where(KbSection.guide_id == guides[0].id)
        )
        assert next(iter(headings)).startswith("Neu: ")
        orphans = await session.scalar(
            select(func.count()).select_from(KbSection).where(KbSection.guide_id == guides[2].id)
        )
        assert orphans == 0
    await engine.dispose()
