"""Telegram Bot API: parse updates, render keyboards, send and classify errors.

Plain text only (no parse_mode: German text such as "z. B." or "12.03." breaks
MarkdownV2); buttons carry "b:" + token as callback_data (at most 64 bytes).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import aiohttp

from bot.channels import TELEGRAM
from bot.channels.base import (
    ApiCall,
    Button,
    Incoming,
    Kind,
    Outcome,
    SendResult,
)
from bot.channels.identities import Address
from bot.channels.settings import TelegramSettings
from bot.channels.text import shorten, split_text, utf16_length

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_BUTTON_TITLE = 64
TWO_PER_ROW_UP_TO = 20
TIMEOUT = aiohttp.ClientTimeout(total=10)
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]


class TelegramError(Exception):
    """A Bot API call that did not succeed (for the admin commands)."""


class TelegramAdapter:
    """The Telegram channel."""

    channel = TELEGRAM
    min_spacing = 1.0  # the Bot FAQ: about one message per second per chat
    rate_per_second = 25.0  # below the FAQ's 30 for bulk notifications

    def __init__(self, settings: TelegramSettings, session: aiohttp.ClientSession) -> None:
        self.settings = settings
        self._session = session
        self._base = f"{settings.api_url.rstrip('/')}/bot{settings.bot_token}"

    # ----- inbound -----------------------------------------------------------------

    def parse(self, update: dict[str, Any]) -> list[Incoming]:
        """The person's message or button tap in one update; nothing for the rest."""
        update_id = update.get("update_id")
        if not isinstance(update_id, int):
            return []
        key = f"tg:{self.settings.bot_id}:{update_id}"
        message = update.get("message")
        query = update.get("callback_query")
        if isinstance(message, dict):
            chat = message.get("chat") or {}
            if chat.get("type") != "private" or not isinstance(chat.get("id"), int):
                return []  # groups and channels are not for this bot
            address = [Address("tg_chat", str(chat["id"]))]
            text = message.get("text")
            if not isinstance(text, str):
                return [Incoming(key, address, Kind.UNSUPPORTED)]
            if text.strip().split("@")[0] == "/start":
                return [Incoming(key, address, Kind.START, text="/start")]
            return [Incoming(key, address, Kind.TEXT, text=text)]
        if isinstance(query, dict):
            origin = query.get("message") or {}
            chat_id = (origin.get("chat") or {}).get("id") or (query.get("from") or {}).get("id")
            if not isinstance(chat_id, int):
                return []
            data = query.get("data")
            return [
                Incoming(
                    key,
                    [Address("tg_chat", str(chat_id))],
                    Kind.BUTTON,
                    button_id=data if isinstance(data, str) else None,
                    callback_id=str(query.get("id") or ""),
                    keyboard_message_id=origin.get("message_id"),
                )
            ]
        return []

    # ----- outbound ----------------------------------------------------------------

    def render(self, text: str, buttons: list[Button]) -> list[ApiCall]:
        """Text in parts of 4096 UTF-16 units; the keyboard on the last part."""
        parts = split_text(text, MAX_TEXT, utf16_length) or ["…"]
        calls = [ApiCall("sendMessage", {"text": part}) for part in parts]
        if buttons:
            calls[-1].body["reply_markup"] = {"inline_keyboard": keyboard(buttons)}
        return calls

    async def send(self, call: ApiCall, to: Address, reference: str) -> SendResult:
        """One call to the chat; errors classified as the Bot API documents them."""
        try:
            status, body = await self._call(call.method, {"chat_id": int(to.value), **call.body})
        except (TimeoutError, aiohttp.ClientError) as error:
            return SendResult(Outcome.RETRY, error=f"Netzwerk: {type(error).__name__}")
        return classify(status, body)

    def window_open(self, last_inbound_at: datetime | None, now: datetime) -> bool:
        """Telegram has no window: a bot may write whenever the person has not blocked it."""
        return True

    def template(self, ticket: str) -> ApiCall | None:
        """Telegram needs no templates."""
        return None

    async def answer_callback(self, callback_id: str, alert: str | None = None) -> None:
        """Stop the button's spinner (first, before anything slow); `alert` shows a notice."""
        body: dict[str, Any] = {"callback_query_id": callback_id}
        if alert:
            body |= {"text": alert, "show_alert": True}
        await self._best_effort("answerCallbackQuery", body)

    async def remove_keyboard(self, chat: Address, message_id: int) -> None:
        """Take the buttons off a message once one was tapped (no stale double taps)."""
        body = {"chat_id": int(chat.value), "message_id": message_id, "reply_markup": {}}
        await self._best_effort("editMessageReplyMarkup", body)

    async def typing(self, chat: Address) -> None:
        """Show "typing…" while the bot thinks."""
        await self._best_effort("sendChatAction", {"chat_id": int(chat.value), "action": "typing"})

    async def admin(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        """A call for the admin commands (setWebhook, getWebhookInfo); raises on errors."""
        try:
            status, answer = await self._call(method, body)
        except (TimeoutError, aiohttp.ClientError) as error:
            raise TelegramError(f"Telegram nicht erreichbar: {error}") from error
        if status != 200 or not answer.get("ok"):
            raise TelegramError(f"Telegram antwortet {status}: {answer.get('description')}")
        result = answer.get("result")
        return result if isinstance(result, dict) else {"result": result}

    async def _best_effort(self, method: str, body: dict[str, Any]) -> None:
        try:
            status, answer = await self._call(method, body)
        except (TimeoutError, aiohttp.ClientError) as error:
            log.info("telegram %s failed: %s", method, type(error).__name__)
            return
        if status != 200:
            log.info("telegram %s: %s %s", method, status, answer.get("description"))

    async def _call(self, method: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        async with self._session.post(
            f"{self._base}/{method}", json=body, timeout=TIMEOUT
        ) as response:
            try:
                answer = await response.json(content_type=None)
            except ValueError:
                answer = {}
            return response.status, answer if isinstance(answer, dict) else {}


def keyboard(buttons: list[Button]) -> list[list[dict[str, str]]]:
    """Inline keyboard rows: two per row when every title is short, else one."""
    cells = [
        {"text": shorten(b.title, MAX_BUTTON_TITLE), "callback_data": b.button_id} for b in buttons
    ]
    if all(len(b.title) <= TWO_PER_ROW_UP_TO for b in buttons):
        return [cells[i : i + 2] for i in range(0, len(cells), 2)]
    return [[cell] for cell in cells]


def classify(status: int, body: dict[str, Any]) -> SendResult:
    """Map a Bot API answer to what the outbox does next."""
    description = str(body.get("description") or "")[:300]
    if status == 200 and body.get("ok"):
        result = body.get("result")
        message_id = result.get("message_id") if isinstance(result, dict) else None
        return SendResult(Outcome.SENT, provider_id=str(message_id) if message_id else None)
    if status == 429:
        retry_after = (body.get("parameters") or {}).get("retry_after")
        wait = float(retry_after) if isinstance(retry_after, int | float) else 5.0
        return SendResult(Outcome.RETRY, retry_after=wait, error=description)
    if status == 403:
        return SendResult(Outcome.UNREACHABLE, error=description)
    if status == 400 and "message is not modified" in description:
        return SendResult(Outcome.SENT)
    if status >= 500:
        return SendResult(Outcome.RETRY, error=f"{status} {description}")
    return SendResult(Outcome.DEAD, error=f"{status} {description}")
