"""Webhook endpoints of the messengers: verify, store and commit, answer at once;
the answer to the person follows in the background (bot/channels/inbox.py)."""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from aiohttp import web

from bot.channels import TELEGRAM, WHATSAPP
from bot.channels.whatsapp import signature_valid
from bot.keys import CHANNELS

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024


async def _json_body(request: web.Request, raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except ValueError:
        raise web.HTTPBadRequest(text="invalid JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="JSON object expected")
    return body


async def _raw(request: web.Request) -> bytes:
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise web.HTTPRequestEntityTooLarge(
            max_size=MAX_BODY_BYTES, actual_size=request.content_length or 0
        )
    raw = await request.read()
    if len(raw) > MAX_BODY_BYTES:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY_BYTES, actual_size=len(raw))
    return raw


async def telegram_webhook(request: web.Request) -> web.Response:
    """Telegram's updates; the secret header is checked in constant time."""
    channels = request.app[CHANNELS]
    adapter = channels.telegram
    if adapter is None:
        raise web.HTTPNotFound()
    secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not hmac.compare_digest(secret.encode(), adapter.settings.secret_token.encode()):
        return web.Response(status=401)
    body = await _json_body(request, await _raw(request))
    events = adapter.parse(body)
    stored = await channels.inbox.store(TELEGRAM, list(events))
    channels.inbox.enqueue(stored)
    return web.Response(status=200)


async def whatsapp_verify(request: web.Request) -> web.Response:
    """Meta's subscription handshake: echo the challenge for the right verify token."""
    adapter = request.app[CHANNELS].whatsapp
    if adapter is None:
        raise web.HTTPNotFound()
    token = request.query.get("hub.verify_token", "")
    if request.query.get("hub.mode") == "subscribe" and hmac.compare_digest(
        token.encode(), adapter.settings.verify_token.encode()
    ):
        return web.Response(text=request.query.get("hub.challenge", ""))
    return web.Response(status=403)


async def whatsapp_webhook(request: web.Request) -> web.Response:
    """Meta's messages and statuses; the signature covers the raw body. A wrong one
    gets 401 with an empty body and nothing is stored."""
    channels = request.app[CHANNELS]
    adapter = channels.whatsapp
    if adapter is None:
        raise web.HTTPNotFound()
    raw = await _raw(request)
    signature = request.headers.get("X-Hub-Signature-256")
    if not signature_valid(adapter.settings.app_secret, raw, signature):
        return web.Response(status=401)
    events = adapter.parse(await _json_body(request, raw))
    stored = await channels.inbox.store(WHATSAPP, events)
    channels.inbox.enqueue(stored)
    return web.Response(status=200)


def setup_channel_routes(app: web.Application) -> None:
    """The webhook paths the chamber registers with Meta and Telegram."""
    app.router.add_post("/channels/telegram/webhook", telegram_webhook)
    app.router.add_get("/channels/whatsapp/webhook", whatsapp_verify)
    app.router.add_post("/channels/whatsapp/webhook", whatsapp_webhook)
