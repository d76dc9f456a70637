"""Plain HTTP handlers: the chat page and the health check."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from bot.db.models import KbGuide
from bot.keys import ENGINE, RASA, SESSIONS
from bot.pages import guide_page, not_found_page

INDEX = Path(__file__).parent / "static" / "index.html"


async def index(_request: web.Request) -> web.FileResponse:
    """The demo chamber page with the chat widget."""
    return web.FileResponse(INDEX, headers={"Cache-Control": "no-cache"})


async def health(request: web.Request) -> web.Response:
    """200 while the database answers; also says whether Rasa answers."""
    try:
        async with request.app[ENGINE].connect() as connection:
            await connection.execute(text("SELECT 1"))
        database = "ok"
    except (SQLAlchemyError, OSError):
        database = "unreachable"
    rasa = "ok" if await request.app[RASA].is_healthy() else "unreachable"
    healthy = database == "ok"
    return web.json_response(
        {"status": "ok" if healthy else "error", "database": database, "rasa": rasa},
        status=200 if healthy else 503,
    )


async def guide(request: web.Request) -> web.Response:
    """A guide of the knowledge base as an HTML page."""
    async with request.app[SESSIONS]() as session:
        row = await session.scalar(
            select(KbGuide)
            .where(KbGuide.id == request.match_info["guide_id"])
            .options(selectinload(KbGuide.sections))
        )
    if row is None:
        return web.Response(text=not_found_page(), status=404, content_type="text/html")
    return web.Response(text=guide_page(row), content_type="text/html")
