"""Plain HTTP handlers: the chat page and the health check."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from bot.best_practices import shipped_cases
from bot.clock import today
from bot.db.models import KbGuide
from bot.events.calendar import calendar_file
from bot.events.store import event_by_id
from bot.impact.hits import CASE_VIEW, by_a_person, count_hit
from bot.impact.links import VIA, channel_of
from bot.keys import ENGINE, RASA, SESSIONS, SETTINGS
from bot.pages import case_page, event_page, guide_page, not_found_page
from bot.privacy.notice import privacy_page

INDEX = Path(__file__).parent / "static" / "index.html"
# the gateway's own pages carry the widget as a chamber site would: with a strict CSP
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    ),
}


async def index(_request: web.Request) -> web.FileResponse:
    """The demo chamber page with the chat widget."""
    return web.FileResponse(INDEX, headers={"Cache-Control": "no-cache", **PAGE_HEADERS})


async def database_state(request: web.Request) -> str:
    """ "ok" if the database answers, else "unreachable"."""
    try:
        async with request.app[ENGINE].connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError):
        return "unreachable"
    return "ok"


async def live(request: web.Request) -> web.Response:
    """200 while the gateway serves and its database answers (for its supervisor)."""
    database = await database_state(request)
    return web.json_response({"database": database}, status=200 if database == "ok" else 503)


async def health(request: web.Request) -> web.Response:
    """200 while the database, Rasa and the action server answer; 503 "degraded" while
    Rasa or the action server does not (every answer would be "kurz nicht
    erreichbar"), 503 "error" without the database."""
    database = await database_state(request)
    rasa = "ok" if await request.app[RASA].is_healthy() else "unreachable"
    actions = "ok" if await request.app[RASA].actions_healthy() else "unreachable"
    status = "ok" if database == rasa == actions == "ok" else "degraded"
    if database != "ok":
        status = "error"
    return web.json_response(
        {"status": status, "database": database, "rasa": rasa, "actions": actions},
        status=200 if status == "ok" else 503,
    )


async def privacy(request: web.Request) -> web.Response:
    """The privacy notice the widget links to."""
    page = privacy_page(request.app[SETTINGS].retention_days)
    return web.Response(text=page, content_type="text/html")


async def guide(request: web.Request) -> web.Response:
    """A guide of the knowledge base as an HTML page, as it reads today (bot.clock)."""
    async with request.app[SESSIONS]() as session:
        row = await session.scalar(
            select(KbGuide)
            .where(KbGuide.id == request.match_info["guide_id"])
            .options(selectinload(KbGuide.sections))
        )
    return html(guide_page(row, today())) if row else html(not_found_page(), 404)


def html(text: str, status: int = 200) -> web.Response:
    """An HTML response."""
    return web.Response(text=text, status=status, content_type="text/html", headers=PAGE_HEADERS)


async def event(request: web.Request) -> web.Response:
    """An event page with registration link and calendar download."""
    found = await event_by_id(request.app[ENGINE], request.match_info["event_id"])
    return html(event_page(found)) if found else html(not_found_page(), 404)


async def event_calendar(request: web.Request) -> web.Response:
    """The event as an iCalendar file ("In Kalender eintragen")."""
    found = await event_by_id(request.app[ENGINE], request.match_info["event_id"])
    if found is None:
        return html(not_found_page(), 404)
    return web.Response(
        body=calendar_file(found),
        content_type="text/calendar",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{found.id}.ics"'},
    )


async def case(request: web.Request) -> web.Response:
    """A best-practice case; a person's view is counted (nothing about them kept)."""
    wanted = request.match_info["case_id"]
    found = next((c for c in shipped_cases() if c.id == wanted), None)
    if found is None:
        return html(not_found_page(), 404)
    if by_a_person(request.method, request.headers.get("User-Agent")):
        via = channel_of(request.query.get(VIA))  # the channel the link was sent in
        await count_hit(request.app[SESSIONS], CASE_VIEW, found.id, via)  # for the dashboard
    return html(case_page(found))
