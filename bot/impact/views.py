"""Handlers of the dashboard (roles redaktion and admin) and of the counting redirect."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web

from bot.console.auth import Login, current_login, require_login
from bot.console.nav import area_nav
from bot.console.roles import REDAKTION, has_role
from bot.console.views import NO_STORE
from bot.events.store import event_by_id
from bot.handoff.routing import advisor_title
from bot.impact.collect import day_of
from bot.impact.export import figure_csv, figures_json
from bot.impact.figures import load_figures
from bot.impact.hits import REGISTRATION, by_a_person, count_hit
from bot.impact.links import VIA, channel_of
from bot.impact.page import dashboard_page, report_page
from bot.impact.params import CHANNELS, ParamError, parse_month, parse_query
from bot.impact.periods import Figures, Query
from bot.impact.summary import totals
from bot.impact.tables import FigureTable, figure_tables
from bot.keys import ENGINE, SESSIONS
from bot.pages import not_found_page
from bot.views import html

PATH = "/berater/wirkung"
FORBIDDEN = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Keine Berechtigung – Handwerkskammer</title>
<link rel="stylesheet" href="/static/site.css"></head>
<body><main><h1>Keine Berechtigung</h1>
<p>Die Wirkung sehen Konten der Redaktion. <a href="/berater">Zur Beraterkonsole</a></p>
</main></body></html>
"""


async def _editor(request: web.Request) -> Login:
    """The logged-in editor or admin; else the login form or 403."""
    login = await current_login(request)
    if login is None:
        raise web.HTTPSeeOther("/berater/login")
    if not has_role(login.advisor, REDAKTION):
        raise web.HTTPForbidden(text=FORBIDDEN, content_type="text/html", headers=NO_STORE)
    return login


def _bad_request(error: ParamError, as_json: bool) -> web.HTTPBadRequest:
    if as_json:
        return web.HTTPBadRequest(
            text=web.json_response({"error": str(error)}).text, content_type="application/json"
        )
    return web.HTTPBadRequest(text=str(error), headers=NO_STORE)


async def _figures(request: web.Request, query: Query) -> tuple[Figures, list[FigureTable]]:
    async with request.app[SESSIONS]() as session:
        figures = await load_figures(session, query)
    return figures, figure_tables(figures)


def _query(request: web.Request, as_json: bool) -> Query:
    try:
        return parse_query(request.query, day_of(datetime.now(UTC)))
    except ParamError as error:
        raise _bad_request(error, as_json) from error


async def dashboard(request: web.Request) -> web.Response:
    """The dashboard page."""
    login = await _editor(request)
    figures, tables = await _figures(request, _query(request, as_json=False))
    header = (area_nav(login.advisor, PATH), advisor_title(login.advisor), login.csrf)
    page = dashboard_page(figures, tables, totals(figures), header)
    return web.Response(text=page, content_type="text/html", headers=NO_STORE)


async def impact_json(request: web.Request) -> web.Response:
    """GET /berater/api/impact?from=…&to=…&granularity=week|month&channel=…"""
    await require_login(request, REDAKTION)
    figures, tables = await _figures(request, _query(request, as_json=True))
    return web.json_response(figures_json(figures, tables, totals(figures)), headers=NO_STORE)


async def impact_csv(request: web.Request) -> web.Response:
    """GET /berater/api/impact/<figure>.csv with the dashboard's parameters."""
    await require_login(request, REDAKTION)
    query = _query(request, as_json=True)
    _, tables = await _figures(request, query)
    wanted = request.match_info["figure"]
    table = next((t for t in tables if t.id == wanted), None)
    if table is None:
        raise web.HTTPNotFound(
            text='{"error": "Diese Kennzahl gibt es nicht."}', content_type="application/json"
        )
    name = f"wirkung-{table.id}-{query.first}-{query.last}.csv"
    return web.Response(
        body=figure_csv(table),
        content_type="text/csv",
        charset="utf-8",
        headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'},
    )


async def report(request: web.Request) -> web.Response:
    """GET /berater/wirkung/bericht?monat=2026-11: the printable monthly report."""
    await _editor(request)
    today = day_of(datetime.now(UTC))
    try:
        first, last = parse_month(request.query.get("monat"), today)
    except ParamError as error:
        raise _bad_request(error, as_json=False) from error
    async with request.app[SESSIONS]() as session:
        figures = await load_figures(session, Query(first, last, "week"))
        per_channel = [
            (label, totals(await load_figures(session, Query(first, last, "month", key))))
            for key, label in CHANNELS.items()
        ]
    page = report_page(first, last, figure_tables(figures), totals(figures), per_channel, today)
    return web.Response(text=page, content_type="text/html", headers=NO_STORE)


async def registration(request: web.Request) -> web.Response:
    """GET /r/<event_id>: count the click (no cookie, no address), then 302 to the
    event's registration page."""
    event = await event_by_id(request.app[ENGINE], request.match_info["event_id"])
    if event is None:
        return html(not_found_page(), 404)
    if by_a_person(request.method, request.headers.get("User-Agent")):
        via = channel_of(request.query.get(VIA))
        await count_hit(request.app[SESSIONS], REGISTRATION, event.id, via)
    raise web.HTTPFound(str(event.registration_url), headers={"Cache-Control": "no-store"})
