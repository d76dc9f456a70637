"""A gateway in-process with both messengers on, pointed at FakeTelegram and FakeMeta,
and FakeRasa behind it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.app import create_app
from bot.channels.settings import ChannelSettings
from bot.config import Settings
from bot.db.models import Message
from bot.keys import SESSIONS
from tests.fake_rasa import FakeRasa
from tests.fakes.fake_meta import FakeMeta
from tests.fakes.fake_telegram import FakeTelegram

TG_TOKEN = "123456:" + "T" * 35
TG_SECRET = "tg-secret-" + "x" * 20
WA_TOKEN = "EAAG" + "w" * 40
WA_SECRET = "app-secret-" + "y" * 20
WA_VERIFY = "verify-" + "z" * 20
WA_PHONE_ID = "106540352242922"
TEMPLATE = "werkbot_antwort_da"
CHAT = 4242
PHONE = "4915112345678"

ServerFactory = Callable[..., Awaitable[TestServer]]


@dataclass
class Setup:
    """The running pieces of one test."""

    app: web.Application
    server: TestServer
    telegram: FakeTelegram
    meta: FakeMeta
    rasa: FakeRasa

    async def user_texts(self) -> list[str]:
        """What people wrote, as stored."""
        async with self.app[SESSIONS]() as session:
            rows = await session.scalars(select(Message.text).where(Message.sender == "user"))
            return list(rows)


async def eventually(check: Callable[[], Any], within: float = 8.0) -> None:
    """Wait until `check()` is truthy (awaiting it if it is a coroutine)."""
    deadline = time.monotonic() + within
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def channel_env(telegram: FakeTelegram, meta: FakeMeta, template: str = "") -> dict[str, str]:
    """The settings a chamber would set, pointed at the fakes."""
    return {
        "TELEGRAM_BOT_TOKEN": TG_TOKEN,
        "TELEGRAM_SECRET_TOKEN": TG_SECRET,
        "TELEGRAM_API_URL": telegram.base_url,
        "WHATSAPP_TOKEN": WA_TOKEN,
        "WHATSAPP_APP_SECRET": WA_SECRET,
        "WHATSAPP_VERIFY_TOKEN": WA_VERIFY,
        "WHATSAPP_PHONE_NUMBER_ID": WA_PHONE_ID,
        "WHATSAPP_API_URL": f"{meta.base_url}/v23.0",
        "WHATSAPP_TEMPLATE_REPLY": template,
        "CHANNEL_KEY": "channel-key-" + "k" * 30,
    }


@asynccontextmanager
async def running_platforms(
    retry_delay: float = 0.05,
) -> AsyncIterator[tuple[FakeTelegram, FakeMeta]]:
    """FakeTelegram and FakeMeta, configured as the tests' chamber, while in use."""
    telegram = FakeTelegram(TG_TOKEN, TG_SECRET, retry_delay=retry_delay)
    meta = FakeMeta(
        WA_SECRET,
        WA_VERIFY,
        WA_PHONE_ID,
        WA_TOKEN,
        templates={TEMPLATE: {"de"}},
        retry_delay=retry_delay,
    )
    async with telegram, meta:
        yield telegram, meta


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeTelegram, FakeMeta]]:
    async with running_platforms() as platforms:
        yield platforms


@pytest.fixture
def start_gateway(
    aiohttp_server: ServerFactory,
    fakes: tuple[FakeTelegram, FakeMeta],
    fake_rasa: FakeRasa,
    sqlite_url: str,
) -> Callable[..., Awaitable[Setup]]:
    """Start a gateway (again, on the same database, for restart tests)."""
    telegram, meta = fakes

    async def start(template: str = "") -> Setup:
        settings = Settings(
            database_url=sqlite_url,
            rasa_url=fake_rasa.url,
            rasa_timeout_seconds=5,
            action_server_url=f"{fake_rasa.url}/webhook",
            public_url="https://chat.hwk.example",
        )
        channels = ChannelSettings.from_env(channel_env(telegram, meta, template))
        app = create_app(settings.model_copy(update={"channels": channels}))
        server = await aiohttp_server(app)
        telegram.webhook_url = str(server.make_url("/channels/telegram/webhook"))
        meta.webhook_url = str(server.make_url("/channels/whatsapp/webhook"))
        return Setup(app, server, telegram, meta, fake_rasa)

    return start


@pytest.fixture
async def gateway(start_gateway: Callable[..., Awaitable[Setup]]) -> Setup:
    return await start_gateway()
