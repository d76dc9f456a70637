"""A person on WhatsApp or Telegram, as seen through FakeMeta or FakeTelegram: types,
taps buttons by their title, and reads what arrives."""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from typing import Any

from tests.fakes.fake_meta import FakeMeta
from tests.fakes.fake_telegram import FakeTelegram

FIRST_REPLY_SECONDS = 20.0
QUIET_SECONDS = 2.0  # Telegram spaces messages to one chat by a second


class MessengerPerson(ABC):
    """What the tests do on any messenger."""

    @abstractmethod
    def received(self) -> list[str]:
        """Every text that arrived, in order."""

    @abstractmethod
    def buttons(self) -> list[str]:
        """The titles of the buttons on the last message that had some."""

    @abstractmethod
    async def _send(self, text: str) -> None: ...

    @abstractmethod
    async def _tap(self, index: int) -> None: ...

    async def write(self, text: str) -> None:
        """Type a message that gets no answer from the bot (an advisor has the chat)."""
        await self._send(text)

    async def say(self, text: str) -> str:
        """Type a message; what arrives in answer (joined)."""
        return await self._answer(self._send(text))

    async def tap(self, title_start: str) -> str:
        """Tap the button whose (shortened) title starts like `title_start`."""
        titles = self.buttons()
        index = next(
            (n for n, title in enumerate(titles) if title.startswith(title_start[:18])), None
        )
        assert index is not None, f"no button {title_start!r} in {titles}"
        return await self._answer(self._tap(index))

    async def wait_for(self, part: str) -> str:
        """Wait until a text containing `part` arrives (an advisor's message)."""
        deadline = time.monotonic() + FIRST_REPLY_SECONDS
        while not any(part in text for text in self.received()):
            assert time.monotonic() < deadline, f"{part!r} not in {self.received()}"
            await asyncio.sleep(0.1)
        return next(text for text in reversed(self.received()) if part in text)

    async def _answer(self, action: Any) -> str:
        before = len(self.received())
        await action
        deadline = time.monotonic() + FIRST_REPLY_SECONDS
        while len(self.received()) == before:
            assert time.monotonic() < deadline, "no answer"
            await asyncio.sleep(0.1)
        count = len(self.received())
        quiet_until = time.monotonic() + QUIET_SECONDS
        while time.monotonic() < quiet_until:
            await asyncio.sleep(0.1)
            if len(self.received()) != count:
                count = len(self.received())
                quiet_until = time.monotonic() + QUIET_SECONDS
        return "\n\n".join(self.received()[before:])


class TelegramPerson(MessengerPerson):
    """A private chat with the bot."""

    def __init__(self, fake: FakeTelegram, chat_id: int) -> None:
        self.fake = fake
        self.chat_id = chat_id

    def received(self) -> list[str]:
        return self.fake.texts_to(self.chat_id)

    def buttons(self) -> list[str]:
        return [button["text"] for button in self.fake.last_keyboard(self.chat_id) or []]

    async def _send(self, text: str) -> None:
        assert await self.fake.push(self.fake.message_update(self.chat_id, text)) == [200]

    async def _tap(self, index: int) -> None:
        button = (self.fake.last_keyboard(self.chat_id) or [])[index]
        message_id = next(
            sent["message_id"]
            for sent in reversed(self.fake.sent)
            if sent["chat"]["id"] == self.chat_id and sent.get("reply_markup")
        )
        update = self.fake.callback_update(
            self.chat_id, button["callback_data"], message_id=message_id
        )
        assert await self.fake.push(update) == [200]


class WhatsAppPerson(MessengerPerson):
    """A WhatsApp user writing to the chamber's number."""

    def __init__(self, fake: FakeMeta, user: str) -> None:
        self.fake = fake
        self.user = user

    def received(self) -> list[str]:
        return self.fake.texts_to(self.user)

    def _choices(self) -> list[dict[str, str]]:
        interactive = self.fake.last_interactive(self.user) or {}
        action = interactive.get("action") or {}
        if interactive.get("type") == "button":
            return [button["reply"] for button in action["buttons"]]
        return [row for section in action.get("sections", []) for row in section["rows"]]

    def buttons(self) -> list[str]:
        return [choice["title"] for choice in self._choices()]

    async def _send(self, text: str) -> None:
        _, statuses = await self.fake.push_message(self.user, text=text)
        assert statuses == [200]

    async def _tap(self, index: int) -> None:
        interactive = self.fake.last_interactive(self.user) or {}
        choice = self._choices()[index]
        reply = (choice["id"], choice["title"])
        if interactive.get("type") == "button":
            _, statuses = await self.fake.push_message(self.user, button_reply=reply)
        else:
            _, statuses = await self.fake.push_message(self.user, list_reply=reply)
        assert statuses == [200]
