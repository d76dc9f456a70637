"""The console's desk routes: typing, the plain-text transcript and the search over
closed conversations (docs/berater-api.md)."""

from __future__ import annotations

from aiohttp import web

from bot.console.api import error_response, handoff_id_of
from bot.console.auth import check_post, require_login
from bot.handoff.closed_search import parse_filter
from bot.handoff.core import HandoffError
from bot.handoff.routing import matches
from bot.handoff.serialize import handoff_json
from bot.handoff.transcript import transcript_text
from bot.keys import AUDIT, CLOSED_SEARCH, HANDOFFS, SETTINGS, SIGNALS

NOT_FOUND = "Diesen Vorgang gibt es nicht."


async def typing(request: web.Request) -> web.Response:
    """The advisor types a reply: the person sees "… schreibt" (CSRF-protected)."""
    login = await require_login(request)
    check_post(request, login)
    try:
        sent = await request.app[SIGNALS].advisor_typing(handoff_id_of(request), login.advisor)
    except HandoffError as error:
        return error_response(error.message, error.status)
    return web.json_response({"sent": sent})


async def transcript(request: web.Request) -> web.Response:
    """The conversation as a UTF-8 text download (an audited export)."""
    login = await require_login(request)
    service = request.app[HANDOFFS]
    handoff = await service.handoffs.get(handoff_id_of(request))
    if handoff is None or not await service.may_read(handoff, login.advisor):
        return error_response(NOT_FOUND, 404)
    await request.app[AUDIT].record("export", advisor_id=login.advisor.id, handoff_id=handoff.id)
    messages = await service.handoffs.messages(handoff.conversation_id)
    text = transcript_text(handoff, messages, request.app[SETTINGS].timezone)
    return web.Response(
        text=text,
        content_type="text/plain",
        charset="utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="verlauf-{handoff.ticket}.txt"',
            "Cache-Control": "no-store",
        },
    )


async def closed(request: web.Request) -> web.Response:
    """Ended handoffs by filter and full-text search, newest first, limited."""
    login = await require_login(request)
    try:
        wanted = parse_filter(dict(request.query))
    except HandoffError as error:
        return error_response(error.message, error.status)
    found, more = await request.app[CLOSED_SEARCH].run(wanted, login.advisor)
    me = login.advisor
    return web.json_response(
        {"handoffs": [handoff_json(h, me.id, matches(me, h)) for h in found], "more": more},
        headers={"Cache-Control": "no-store"},
    )
