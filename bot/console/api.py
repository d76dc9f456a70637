"""The console's JSON API (docs/berater-api.md)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot.channels.reachability import reply_notice
from bot.console.auth import check_post, require_login
from bot.db.models import Advisor, Handoff
from bot.handoff.routing import matches
from bot.handoff.serialize import handoff_json
from bot.handoff.service import HandoffError, HandoffService
from bot.handoff.tickets import normalise_ticket
from bot.keys import AUDIT, CHANNELS, HANDOFFS, SIGNALS

Action = Callable[[HandoffService, int, Advisor, dict[str, Any]], Awaitable[Handoff]]
MAX_BODY_BYTES = 16 * 1024


def error_response(message: str, status: int) -> web.Response:
    """A JSON error the console shows as it is (German message)."""
    return web.json_response({"error": message}, status=status)


async def json_body(request: web.Request) -> dict[str, Any]:
    """The request's JSON object ({} without a body); 400 if too long or not JSON."""
    if not request.can_read_body:
        return {}
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise web.HTTPBadRequest(text='{"error": "Zu lang."}', content_type="application/json")
    try:
        parsed = json.loads(await request.text())
    except ValueError as error:
        raise web.HTTPBadRequest(
            text='{"error": "Ungültige Anfrage."}', content_type="application/json"
        ) from error
    return parsed if isinstance(parsed, dict) else {}


def handoff_id_of(request: web.Request) -> int:
    try:
        return int(request.match_info["handoff_id"])
    except ValueError as error:
        raise web.HTTPNotFound(
            text='{"error": "Diesen Vorgang gibt es nicht."}', content_type="application/json"
        ) from error


async def queue(request: web.Request) -> web.Response:
    """The queue as this advisor sees it."""
    login = await require_login(request)
    return web.json_response(await request.app[HANDOFFS].snapshot(login.advisor.id))


async def detail(request: web.Request) -> web.Response:
    """Transcript, notes, guides shown and feedback of one handoff (an audited read)."""
    login = await require_login(request)
    handoff_id = handoff_id_of(request)
    try:
        body = await request.app[HANDOFFS].detail(handoff_id, login.advisor.id)
    except HandoffError as error:
        return error_response(error.message, error.status)
    await request.app[AUDIT].record("read", advisor_id=login.advisor.id, handoff_id=handoff_id)
    body["handoff"]["reply_notice"] = await _reply_notice(request, body["handoff"]["id"])
    handoff = await request.app[HANDOFFS].handoffs.get(handoff_id)
    if handoff is not None:
        body["handoff"]["presence"] = request.app[SIGNALS].presence_of(handoff)
        body["transcript_mail"] = await request.app[HANDOFFS].transcript_status(
            handoff, login.advisor
        )
    return web.json_response(body, headers={"Cache-Control": "no-store"})


async def _reply_notice(request: web.Request, handoff_id: int) -> str | None:
    """The warning shown above the reply box when a reply cannot go out at once."""
    service = request.app[HANDOFFS]
    handoff = await service.handoffs.get(handoff_id)
    conversation = await service.handoffs.conversation(handoff.conversation_id) if handoff else None
    if conversation is None:
        return None
    whatsapp = request.app[CHANNELS].whatsapp
    return reply_notice(
        conversation.channel,
        conversation.last_inbound_at,
        conversation.unreachable_at,
        datetime.now(UTC),
        bool(whatsapp and whatsapp.settings.template_reply),
    )


async def search(request: web.Request) -> web.Response:
    """Find a handoff by its ticket number."""
    login = await require_login(request)
    ticket = normalise_ticket(request.query.get("ticket", ""))
    service = request.app[HANDOFFS]
    handoff = await service.handoffs.by_ticket(ticket)
    if handoff is None or not await service.may_read(handoff, login.advisor):
        return error_response("Keine Vorgangsnummer gefunden.", 404)
    return web.json_response(
        {"handoff": handoff_json(handoff, login.advisor.id, matches(login.advisor, handoff))}
    )


async def _claim(s: HandoffService, i: int, a: Advisor, _b: dict[str, Any]) -> Handoff:
    return await s.claim(i, a)


async def _reply(s: HandoffService, i: int, a: Advisor, b: dict[str, Any]) -> Handoff:
    return await s.reply(i, a, str(b.get("text", "")))


async def _note(s: HandoffService, i: int, a: Advisor, b: dict[str, Any]) -> Handoff:
    return await s.note(i, a, str(b.get("text", "")))


async def _close(s: HandoffService, i: int, a: Advisor, _b: dict[str, Any]) -> Handoff:
    return await s.close(i, a)


async def _handback(s: HandoffService, i: int, a: Advisor, _b: dict[str, Any]) -> Handoff:
    return await s.handback(i, a)


async def _done(s: HandoffService, i: int, a: Advisor, _b: dict[str, Any]) -> Handoff:
    return await s.done(i, a)


async def _outcome(s: HandoffService, i: int, a: Advisor, b: dict[str, Any]) -> Handoff:
    return await s.set_outcome(i, a, str(b.get("outcome", "")))


async def _mail(s: HandoffService, i: int, a: Advisor, _b: dict[str, Any]) -> Handoff:
    return await s.offer_transcript(i, a)


ACTIONS: dict[str, Action] = {
    "claim": _claim,
    "reply": _reply,
    "note": _note,
    "close": _close,
    "handback": _handback,
    "done": _done,
    "outcome": _outcome,
    "transcript-mail": _mail,
}


async def act(request: web.Request) -> web.Response:
    """One advisor action on a handoff (CSRF-protected)."""
    login = await require_login(request)
    check_post(request, login)
    action = ACTIONS.get(request.match_info["action"])
    if action is None:
        return error_response("Unbekannte Aktion.", 404)
    body = await json_body(request)
    try:
        handoff = await action(request.app[HANDOFFS], handoff_id_of(request), login.advisor, body)
    except HandoffError as error:
        return error_response(error.message, error.status)
    return web.json_response(
        {"handoff": handoff_json(handoff, login.advisor.id, matches(login.advisor, handoff))}
    )
