"""Routes of the advisor console under /berater."""

from __future__ import annotations

from aiohttp import web

from bot.console import (
    api,
    canned_api,
    curation_api,
    desk_api,
    privacy,
    redaktion,
    socket,
    views,
)
from bot.impact import views as impact


def setup_console_routes(app: web.Application) -> None:
    """Register the console's pages, API and WebSocket."""
    app.router.add_get("/berater", views.console)
    app.router.add_get("/berater/login", views.login_form)
    app.router.add_post("/berater/login", views.login)
    app.router.add_post("/berater/logout", views.logout)
    app.router.add_get("/berater/ws", socket.console_socket)
    app.router.add_get("/berater/api/queue", api.queue)
    app.router.add_get("/berater/api/search", api.search)
    app.router.add_get("/berater/api/closed", desk_api.closed)
    app.router.add_get("/berater/api/canned", canned_api.list_canned)
    app.router.add_post("/berater/api/canned", canned_api.add_canned)
    app.router.add_put("/berater/api/canned/{canned_id}", canned_api.update_canned)
    app.router.add_delete("/berater/api/canned/{canned_id}", canned_api.delete_canned)
    app.router.add_get("/berater/api/handoffs/{handoff_id}", api.detail)
    app.router.add_get("/berater/api/handoffs/{handoff_id}/export", privacy.export)
    app.router.add_get("/berater/api/handoffs/{handoff_id}/transcript", desk_api.transcript)
    app.router.add_post("/berater/api/handoffs/{handoff_id}/erase", privacy.erase_handoff)
    app.router.add_post("/berater/api/handoffs/{handoff_id}/typing", desk_api.typing)
    app.router.add_post("/berater/api/handoffs/{handoff_id}/{action}", api.act)
    app.router.add_get("/berater/redaktion", redaktion.redaktion)
    app.router.add_get("/berater/api/curation/groups", curation_api.groups)
    app.router.add_get("/berater/api/curation/options", curation_api.options)
    app.router.add_get("/berater/api/curation/groups/{group_id}", curation_api.group)
    app.router.add_post("/berater/api/curation/groups/{group_id}/{action}", curation_api.act)
    app.router.add_get("/berater/wirkung", impact.dashboard)
    app.router.add_get("/berater/wirkung/bericht", impact.report)
    app.router.add_get("/berater/api/impact", impact.impact_json)
    app.router.add_get("/berater/api/impact/{figure}.csv", impact.impact_csv)
