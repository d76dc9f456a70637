"""Routes of the advisor console under /berater."""

from __future__ import annotations

from aiohttp import web

from bot.console import api, privacy, socket, views


def setup_console_routes(app: web.Application) -> None:
    """Register the console's pages, API and WebSocket."""
    app.router.add_get("/berater", views.console)
    app.router.add_get("/berater/login", views.login_form)
    app.router.add_post("/berater/login", views.login)
    app.router.add_post("/berater/logout", views.logout)
    app.router.add_get("/berater/ws", socket.console_socket)
    app.router.add_get("/berater/api/queue", api.queue)
    app.router.add_get("/berater/api/search", api.search)
    app.router.add_get("/berater/api/handoffs/{handoff_id}", api.detail)
    app.router.add_get("/berater/api/handoffs/{handoff_id}/export", privacy.export)
    app.router.add_post("/berater/api/handoffs/{handoff_id}/erase", privacy.erase_handoff)
    app.router.add_post("/berater/api/handoffs/{handoff_id}/{action}", api.act)
