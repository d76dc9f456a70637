"""The editors' page view: login required, role "redaktion" (or admin)."""

from __future__ import annotations

from aiohttp import web

from bot.console.auth import current_login
from bot.console.nav import area_nav
from bot.console.redaktion_page import redaktion_page
from bot.console.roles import REDAKTION, has_role
from bot.console.views import NO_STORE
from bot.handoff.routing import advisor_title

FORBIDDEN = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Keine Berechtigung</title>
<link rel="stylesheet" href="/static/site.css"></head>
<body><main><h1>Keine Berechtigung</h1>
<p>Ihr Konto gehört nicht zur Redaktion. <a href="/berater">Zur Beraterkonsole</a></p>
</main></body></html>
"""


async def redaktion(request: web.Request) -> web.Response:
    """The curation queue page, the login form, or 403 for other accounts."""
    login = await current_login(request)
    if login is None:
        raise web.HTTPSeeOther("/berater/login")
    if not has_role(login.advisor, REDAKTION):
        return web.Response(text=FORBIDDEN, status=403, content_type="text/html", headers=NO_STORE)
    nav = area_nav(login.advisor, "/berater/redaktion")
    page = redaktion_page(login.csrf, advisor_title(login.advisor), nav)
    return web.Response(text=page, content_type="text/html", headers=NO_STORE)
