"""Client of Rasa's REST channel (`/webhooks/rest/webhook`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import aiohttp

from bot.db.store import StoredMessage


def merge_custom(replies: Iterable[StoredMessage | None]) -> list[StoredMessage]:
    """Drop empty replies and fold a custom-only reply into the message before it.

    Rasa's REST channel sends `json_message` of an utterance as an item of its own.
    """
    merged: list[StoredMessage] = []
    for reply in replies:
        if reply is None:
            continue
        if merged and not reply.text and not reply.buttons and reply.custom:
            merged[-1] = replace(merged[-1], custom={**(merged[-1].custom or {}), **reply.custom})
        else:
            merged.append(reply)
    return merged


class RasaUnavailableError(Exception):
    """Rasa (or the action server behind it) did not answer in time or failed."""


def button(raw: dict[str, Any]) -> dict[str, str]:
    """A quick reply: title and payload, and the short title messengers show if the
    action gave one (guide titles are up to 120 characters)."""
    clean = {"title": str(raw.get("title", "")), "payload": str(raw.get("payload", ""))}
    if isinstance(raw.get("short_title"), str) and raw["short_title"].strip():
        clean["short_title"] = raw["short_title"].strip()[:20]
    return clean


def parse_reply(item: dict[str, Any]) -> StoredMessage | None:
    """Turn one REST channel response item into a bot message (None if it is empty)."""
    text = item.get("text") or ""
    buttons = [
        button(b) for b in item.get("buttons") or [] if isinstance(b, dict) and b.get("title")
    ]
    custom = item.get("custom") if isinstance(item.get("custom"), dict) else None
    if item.get("image"):
        custom = {**(custom or {}), "image": item["image"]}
    if not text and not buttons and custom is None:
        return None
    return StoredMessage(sender="bot", text=text, buttons=buttons, custom=custom)


class RasaClient:
    """Sends one user message to Rasa and returns the bot's replies."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        timeout: float,
        action_server_url: str = "",
    ) -> None:
        self._session = session
        action_root = action_server_url.rstrip("/").removesuffix("/webhook")
        self._actions_health = f"{action_root}/health" if action_root else ""
        self._webhook = f"{base_url.rstrip('/')}/webhooks/rest/webhook"
        self._base_url = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def send(self, sender_id: str, message: str) -> list[StoredMessage]:
        """Forward `message` for `sender_id`; raise RasaUnavailableError on any failure."""
        try:
            async with self._session.post(
                self._webhook,
                json={"sender": sender_id, "message": message},
                timeout=self._timeout,
            ) as response:
                if response.status != 200:
                    raise RasaUnavailableError(f"Rasa antwortete mit HTTP {response.status}")
                body = await response.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError, ValueError) as error:
            raise RasaUnavailableError(str(error) or type(error).__name__) from error
        if not isinstance(body, list):
            raise RasaUnavailableError("Unerwartete Antwort von Rasa")
        return merge_custom(parse_reply(item) for item in body if isinstance(item, dict))

    async def is_healthy(self) -> bool:
        """True if the Rasa server answers on its root URL."""
        return await self._answers(self._base_url + "/")

    async def actions_healthy(self) -> bool:
        """True if the action server behind Rasa answers on its /health URL."""
        return bool(self._actions_health) and await self._answers(self._actions_health)

    async def _answers(self, url: str) -> bool:
        try:
            async with self._session.get(url, timeout=self._timeout) as response:
                return response.status == 200
        except (TimeoutError, aiohttp.ClientError):
            return False
