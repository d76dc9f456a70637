"""Application factory of the gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from bot.chat import ChatService
from bot.config import Settings
from bot.db.engine import create_engine, create_schema, session_factory
from bot.db.store import MessageStore
from bot.keys import CHAT, ENGINE, HTTP_SESSION, RASA, SESSIONS, SETTINGS
from bot.rasa_client import RasaClient
from bot.routes import setup_routes


async def database_ctx(app: web.Application) -> AsyncIterator[None]:
    """Engine for the app's lifetime; creates missing tables at start."""
    engine = create_engine(app[SETTINGS].database_url)
    await create_schema(engine)
    app[ENGINE] = engine
    app[SESSIONS] = session_factory(engine)
    yield
    await engine.dispose()


async def rasa_ctx(app: web.Application) -> AsyncIterator[None]:
    """One HTTP client session to Rasa, and the chat service on top of it."""
    settings = app[SETTINGS]
    async with aiohttp.ClientSession() as session:
        app[HTTP_SESSION] = session
        app[RASA] = RasaClient(session, settings.rasa_url, settings.rasa_timeout_seconds)
        store = MessageStore(app[SESSIONS])
        app[CHAT] = ChatService(store, app[RASA], settings.max_message_chars)
        yield


def create_app(settings: Settings | None = None) -> web.Application:
    """Build the gateway application."""
    app = web.Application()
    app[SETTINGS] = settings or Settings.from_env()
    app.cleanup_ctx.extend([database_ctx, rasa_ctx])
    setup_routes(app)
    return app
