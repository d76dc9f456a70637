"""URL routes of the gateway."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot import views, websocket, widget
from bot.channels.routes import setup_channel_routes
from bot.console.routes import setup_console_routes
from bot.impact import views as impact_views

STATIC = Path(__file__).parent / "static"


def setup_routes(app: web.Application) -> None:
    """Register every route of the gateway."""
    app.router.add_get("/", views.index)
    app.router.add_get("/health", views.health)
    app.router.add_get("/health/live", views.live)
    app.router.add_get("/datenschutz", views.privacy)
    app.router.add_get("/ws", websocket.chat_socket)
    app.router.add_get("/widget.js", widget.script)
    app.router.add_get("/widget/config", widget.config)
    app.router.add_get("/wissen/{guide_id}", views.guide)
    app.router.add_get("/veranstaltungen/{event_id}.ics", views.event_calendar)
    app.router.add_get("/veranstaltungen/{event_id}", views.event)
    app.router.add_get("/praxis/{case_id}", views.case)
    app.router.add_get("/r/{event_id}", impact_views.registration)
    setup_console_routes(app)
    setup_channel_routes(app)
    app.router.add_static("/static/", STATIC, name="static")
