"""`python -m bot channels …`: what a chamber's admin needs on day one.

`telegram set-webhook URL` registers the webhook (with the secret header, only the
updates werkbot reads, pending updates kept) and prints what Telegram reports;
`telegram info` prints that report alone; `whatsapp check` prints what Meta reports on
the configured number.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

import aiohttp

from bot.channels.settings import ChannelSettings, TelegramSettings
from bot.channels.telegram import ALLOWED_UPDATES, TelegramAdapter, TelegramError
from bot.channels.whatsapp import WhatsAppAdapter
from bot.config import Settings

TELEGRAM_PATH = "/channels/telegram/webhook"


def _channels() -> ChannelSettings:
    return Settings.from_env().channels


def _print(report: dict[str, Any]) -> None:
    print(json.dumps(report, ensure_ascii=False, indent=2))


def _telegram() -> TelegramSettings | None:
    settings = _channels().telegram
    if settings is None:
        print("Telegram ist nicht eingerichtet (TELEGRAM_BOT_TOKEN fehlt).", file=sys.stderr)
    return settings


async def _set_webhook(url: str) -> int:
    settings = _telegram()
    if settings is None:
        return 2
    if not url.startswith("https://") or not url.rstrip("/").endswith(TELEGRAM_PATH):
        print(f"Die Adresse muss mit https:// beginnen und auf {TELEGRAM_PATH} enden.")
        return 2
    async with aiohttp.ClientSession() as session:
        adapter = TelegramAdapter(settings, session)
        try:
            await adapter.admin(
                "setWebhook",
                {
                    "url": url,
                    "secret_token": settings.secret_token,
                    "allowed_updates": ALLOWED_UPDATES,
                    "drop_pending_updates": False,
                },
            )
            _print(await adapter.admin("getWebhookInfo", {}))
        except TelegramError as error:
            print(error, file=sys.stderr)
            return 1
    return 0


async def _telegram_info() -> int:
    settings = _telegram()
    if settings is None:
        return 2
    async with aiohttp.ClientSession() as session:
        try:
            _print(await TelegramAdapter(settings, session).admin("getWebhookInfo", {}))
        except TelegramError as error:
            print(error, file=sys.stderr)
            return 1
    return 0


async def _whatsapp_check() -> int:
    settings = _channels().whatsapp
    if settings is None:
        print("WhatsApp ist nicht eingerichtet (WHATSAPP_TOKEN fehlt).", file=sys.stderr)
        return 2
    async with aiohttp.ClientSession() as session:
        try:
            status, report = await WhatsAppAdapter(settings, session).number_info()
        except (TimeoutError, aiohttp.ClientError) as error:
            print(f"Meta nicht erreichbar: {error}", file=sys.stderr)
            return 1
    _print(report)
    return 0 if status == 200 else 1


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `channels telegram set-webhook|info` and `channels whatsapp check`."""
    parser = commands.add_parser("channels", help="WhatsApp und Telegram einrichten")
    platforms = parser.add_subparsers(dest="platform", required=True)
    telegram = platforms.add_parser("telegram").add_subparsers(dest="action", required=True)
    set_webhook = telegram.add_parser("set-webhook", help="Webhook bei Telegram eintragen")
    set_webhook.add_argument("url", help=f"öffentliche https-Adresse, endet auf {TELEGRAM_PATH}")
    set_webhook.set_defaults(func=lambda args: asyncio.run(_set_webhook(args.url)))
    info = telegram.add_parser("info", help="was Telegram über den Webhook meldet")
    info.set_defaults(func=lambda _args: asyncio.run(_telegram_info()))
    whatsapp = platforms.add_parser("whatsapp").add_subparsers(dest="action", required=True)
    check = whatsapp.add_parser("check", help="was Meta über die Nummer meldet")
    check.set_defaults(func=lambda _args: asyncio.run(_whatsapp_check()))
