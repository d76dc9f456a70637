"""Routes of the advisor console under /berater."""

from __future__ import annotations

from aiohttp import web

from bot.console import api, canned_api, desk_api, privacy, socket, views


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
