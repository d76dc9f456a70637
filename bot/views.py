"""Plain HTTP handlers: the chat page and the health check."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.keys import ENGINE, RASA

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
