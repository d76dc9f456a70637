"""CRUD of the canned responses under /berater/api/canned (docs/berater-api.md)."""

from __future__ import annotations

from aiohttp import web

from bot.console.api import error_response, json_body
from bot.console.auth import check_post, require_login
from bot.handoff.canned import canned_json, validated
from bot.handoff.core import HandoffError
from bot.keys import CANNED


def _canned_id(request: web.Request) -> int:
    try:
        return int(request.match_info["canned_id"])
    except ValueError as error:
        raise web.HTTPNotFound(
            text='{"error": "Diesen Textbaustein gibt es nicht."}', content_type="application/json"
        ) from error


async def list_canned(request: web.Request) -> web.Response:
    """Every canned response."""
    await require_login(request)
    rows = await request.app[CANNED].all()
    return web.json_response({"canned": [canned_json(row) for row in rows]})


async def add_canned(request: web.Request) -> web.Response:
    """Store a new canned response (CSRF-protected)."""
    login = await require_login(request)
    check_post(request, login)
    try:
        title, text = validated(await json_body(request))
        row = await request.app[CANNED].add(title, text, login.advisor.id)
    except HandoffError as error:
        return error_response(error.message, error.status)
    return web.json_response({"canned": canned_json(row)}, status=201)


async def update_canned(request: web.Request) -> web.Response:
    """Change a canned response (CSRF-protected)."""
    login = await require_login(request)
    check_post(request, login)
    try:
        title, text = validated(await json_body(request))
        row = await request.app[CANNED].update(_canned_id(request), title, text)
    except HandoffError as error:
        return error_response(error.message, error.status)
    return web.json_response({"canned": canned_json(row)})


async def delete_canned(request: web.Request) -> web.Response:
    """Delete a canned response (CSRF-protected)."""
    login = await require_login(request)
    check_post(request, login)
    try:
        await request.app[CANNED].remove(_canned_id(request))
    except HandoffError as error:
        return error_response(error.message, error.status)
    return web.json_response({"deleted": True})
