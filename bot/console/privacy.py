"""The console's privacy actions: export a conversation (Art. 15) and erase it with a
reason; both are written to the audit log before they happen."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.console.api import error_response
from bot.console.auth import Login, check_post, require_login
from bot.db.models import Handoff
from bot.keys import AUDIT, CONSOLES, HANDOFFS, PEOPLE, SESSIONS, TRACKER
from bot.privacy.audit import ERASE_REASONS
from bot.privacy.export import export_conversation
from bot.privacy.retention import erase

NOT_FOUND = "Diesen Vorgang gibt es nicht."


async def _readable(request: web.Request, login: Login) -> Handoff | None:
    """The handoff of the URL if this advisor may read it."""
    try:
        handoff_id = int(request.match_info["handoff_id"])
    except ValueError:
        return None
    service = request.app[HANDOFFS]
    handoff = await service.handoffs.get(handoff_id)
    if handoff is None or not await service.may_read(handoff, login.advisor):
        return None
    return handoff


async def export(request: web.Request) -> web.Response:
    """Everything stored about the handoff's conversation, as a JSON download."""
    login = await require_login(request)
    handoff = await _readable(request, login)
    if handoff is None:
        return error_response(NOT_FOUND, 404)
    await request.app[AUDIT].record("export", advisor_id=login.advisor.id, handoff_id=handoff.id)
    data = await export_conversation(
        request.app[SESSIONS], request.app[TRACKER], handoff.conversation_id
    )
    if data is None:
        return error_response(NOT_FOUND, 404)
    return web.Response(
        text=json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="auskunft-{handoff.ticket}.json"',
            "Cache-Control": "no-store",
        },
    )


async def _reason(request: web.Request) -> str | None:
    if not request.can_read_body or (request.content_length or 0) > 1024:
        return None
    try:
        body: Any = json.loads(await request.text())
    except ValueError:
        return None
    reason = body.get("reason") if isinstance(body, dict) else None
    return reason if isinstance(reason, str) and reason in ERASE_REASONS else None


async def erase_handoff(request: web.Request) -> web.Response:
    """Erase the handoff's conversation everywhere (CSRF-protected, with a reason from
    ERASE_REASONS); a person still connected is told and their widget forgets it."""
    login = await require_login(request)
    check_post(request, login)
    reason = await _reason(request)
    if reason is None:
        return error_response("Bitte wählen Sie einen Grund für die Löschung.", 400)
    handoff = await _readable(request, login)
    if handoff is None:
        return error_response(NOT_FOUND, 404)
    app = request.app
    await app[AUDIT].record(
        "erase", advisor_id=login.advisor.id, handoff_id=handoff.id, reason=reason
    )
    await erase(app[SESSIONS], app[TRACKER], handoff.conversation_id)
    await app[PEOPLE].erased(handoff.conversation_id)
    await app[CONSOLES].broadcast_queue()
    return web.json_response({"erased": True, "ticket": handoff.ticket})
