"""Start and stop the messenger channels with the gateway (an aiohttp cleanup context)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from bot.channels import TELEGRAM, WHATSAPP, texts
from bot.channels.base import Adapter
from bot.channels.delivery_status import LABELS
from bot.channels.identities import AddressBook
from bot.channels.inbox import Inbox
from bot.channels.outbox import Outbox
from bot.channels.runtime import Channels
from bot.channels.telegram import TelegramAdapter
from bot.channels.whatsapp import WhatsAppAdapter
from bot.db.store import MessageStore
from bot.keys import CHANNELS, CHAT, CONSOLES, HTTP_SESSION, PEOPLE, SESSIONS, SETTINGS


async def channels_ctx(app: web.Application) -> AsyncIterator[None]:
    """Adapters for the configured messengers, the inbox and the outbox worker."""
    settings = app[SETTINGS]
    config = settings.channels
    session = app[HTTP_SESSION]
    telegram = TelegramAdapter(config.telegram, session) if config.telegram else None
    whatsapp = WhatsAppAdapter(config.whatsapp, session) if config.whatsapp else None
    adapters: dict[str, Adapter] = {}
    if telegram:
        adapters[TELEGRAM] = telegram
    if whatsapp:
        adapters[WHATSAPP] = whatsapp
    book = AddressBook(config.key or "messengers-off")
    outbox = Outbox(app[SESSIONS], adapters, book)
    notice = {
        name: text.format(days=settings.retention_days, url=settings.public_url)
        for name, text in texts.NOTICE.items()
    }
    inbox = Inbox(
        app[SESSIONS], book, adapters, MessageStore(app[SESSIONS]), app[CHAT], outbox.nudge, notice
    )

    async def tell_consoles(
        conversation_id: str, message_ids: list[int], status: str, error: str | None
    ) -> None:
        await app[CONSOLES].broadcast(
            {
                "type": "delivery",
                "conversation_id": conversation_id,
                "message_ids": message_ids,
                "status": status,
                "label": LABELS.get(status, status),
                "error": error,
            }
        )

    outbox.listeners.append(tell_consoles)
    inbox.report_listeners.append(tell_consoles)
    app[PEOPLE].on_deliver.append(outbox.nudge)
    app[CHANNELS] = Channels(inbox, outbox, book, telegram, whatsapp, adapters)
    tasks = (
        [asyncio.create_task(outbox.run()), asyncio.create_task(inbox.run())] if adapters else []
    )
    yield
    for task in tasks:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
