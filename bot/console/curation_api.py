"""The editors' JSON API of the curation queue (/berater/api/curation/…, role
"redaktion"); POSTs carry the session's CSRF token like every console POST."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.console.api import error_response, json_body
from bot.console.auth import Login, check_post, require_login
from bot.console.roles import REDAKTION
from bot.curation.desk import CurationDesk, CurationError
from bot.curation.review import ReviewError
from bot.keys import CURATION, KB_REVIEW

# an editor action; what it returns goes into the answer next to the group
Action = Callable[
    [web.Request, CurationDesk, int, Login, dict[str, Any]], Awaitable[dict[str, Any] | None]
]


def _group_id(request: web.Request) -> int:
    try:
        return int(request.match_info["group_id"])
    except ValueError as error:
        raise web.HTTPNotFound(
            text='{"error": "Diese Gruppe gibt es nicht."}', content_type="application/json"
        ) from error


async def groups(request: web.Request) -> web.Response:
    """The groups, filtered by `status` and `kind`."""
    await require_login(request, REDAKTION)
    desk = request.app[CURATION]
    found = await desk.groups(request.query.get("status", ""), request.query.get("kind", ""))
    return web.json_response({"groups": found}, headers={"Cache-Control": "no-store"})


async def group(request: web.Request) -> web.Response:
    """One group with its masked questions and comments."""
    await require_login(request, REDAKTION)
    try:
        body = await request.app[CURATION].group(_group_id(request))
    except CurationError as error:
        return error_response(error.message, error.status)
    return web.json_response({"group": body}, headers={"Cache-Control": "no-store"})


async def options(request: web.Request) -> web.Response:
    """What the forms offer: editors to assign to, guides to link, the own account."""
    login = await require_login(request, REDAKTION)
    desk = request.app[CURATION]
    return web.json_response(
        {"me": login.advisor.id, "editors": await desk.editors(), "guides": await desk.guides()}
    )


async def _assign(_r: web.Request, d: CurationDesk, i: int, a: Login, b: dict[str, Any]) -> None:
    target = b.get("advisor_id")
    if target == "me":
        target = a.advisor.id
    if target is not None and (isinstance(target, bool) or not isinstance(target, int)):
        raise CurationError("Ungültiges Konto.")
    await d.assign(i, target)


async def _comment(_r: web.Request, d: CurationDesk, i: int, a: Login, b: dict[str, Any]) -> None:
    await d.comment(i, a.advisor.id, str(b.get("text", "")))


async def _link(_r: web.Request, d: CurationDesk, i: int, _a: Login, b: dict[str, Any]) -> None:
    await d.link(i, str(b.get("guide_id", "")))


async def _propose(
    r: web.Request, d: CurationDesk, i: int, a: Login, b: dict[str, Any]
) -> dict[str, Any]:
    """ "Als Frage zu Leitfaden X hinzufügen": the change for review, then link."""
    guide_id, questions = str(b.get("guide_id", "")), b.get("questions")
    section = b.get("section") or ""
    if not isinstance(questions, list):
        raise CurationError("Bitte eine bis fünf Fragen angeben.")
    if not isinstance(section, str):
        raise CurationError("Ungültiger Abschnitt.")
    await d.group(i)  # 404 before anything is written
    review = r.app[KB_REVIEW]
    try:
        proposal = await asyncio.to_thread(review.propose, guide_id, questions, section)
    except ReviewError as error:
        raise CurationError(str(error)) from error
    await d.link(i, guide_id)
    if proposal.changed:
        added = "; ".join(f"„{q}“" for q in proposal.added) or "Abschnitt zugeordnet"
        where = f" (Abschnitt „{section}“)" if section else ""
        await d.comment(i, a.advisor.id, f"Als Frage zu {guide_id}{where} vorgeschlagen: {added}")
    return {
        "proposal": {
            "file": proposal.path.name,
            "diff_file": proposal.diff_path.name,
            "diff": proposal.diff,
            "added": proposal.added,
            "changed": proposal.changed,
            "section": section,
        }
    }


async def _erase_item(
    _r: web.Request, d: CurationDesk, i: int, _a: Login, b: dict[str, Any]
) -> dict[str, Any]:
    item_id = b.get("item_id")
    if isinstance(item_id, bool) or not isinstance(item_id, int):
        raise CurationError("Ungültige Frage.")
    return {"group_erased": not await d.erase_item(i, item_id)}


def _status(status: str) -> Action:
    async def set_status(
        _r: web.Request, d: CurationDesk, i: int, _a: Login, _b: dict[str, Any]
    ) -> None:
        await d.set_status(i, status)

    return set_status


ACTIONS: dict[str, Action] = {
    "assign": _assign,
    "comment": _comment,
    "link": _link,
    "propose": _propose,
    "dismiss": _status("dismissed"),
    "resolve": _status("resolved"),
    "reopen": _status("open"),
    "erase-item": _erase_item,
}


async def act(request: web.Request) -> web.Response:
    """One editor action on a group (CSRF-protected); the group afterwards."""
    login = await require_login(request, REDAKTION)
    check_post(request, login)
    action = ACTIONS.get(request.match_info["action"])
    if action is None:
        return error_response("Unbekannte Aktion.", 404)
    desk, group_id = request.app[CURATION], _group_id(request)
    try:
        extra = await action(request, desk, group_id, login, await json_body(request)) or {}
        group = None if extra.get("group_erased") else await desk.group(group_id)
    except CurationError as error:
        return error_response(error.message, error.status)
    return web.json_response({"group": group, **extra})
