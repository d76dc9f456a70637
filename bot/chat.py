"""The conversation service: store every message first, then ask Rasa, then deliver."""

from __future__ import annotations

import asyncio
import logging
import weakref

from bot import texts
from bot.db.store import MessageStore, StoredMessage
from bot.rasa_client import RasaClient, RasaUnavailableError

log = logging.getLogger(__name__)

MAX_PAYLOAD_CHARS = 500
# Quick replies the gateway answers itself, without Rasa.
FEEDBACK_PAYLOADS = {"#feedback:helpful": True, "#feedback:not_helpful": False}


class ChatService:
    """Handles one person's messages in order, whatever channel they came from."""

    def __init__(self, store: MessageStore, rasa: RasaClient, max_message_chars: int) -> None:
        self._store = store
        self._rasa = rasa
        self._max_chars = max_message_chars
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def open(
        self, conversation_id: str | None, channel: str
    ) -> tuple[str, list[StoredMessage]]:
        """Resume a known conversation (with its history) or start a new one."""
        resumed_id = await self._store.open_conversation(conversation_id, channel)
        history = await self._store.history(resumed_id) if resumed_id == conversation_id else []
        return resumed_id, history

    async def handle(
        self, conversation_id: str, text: str, payload: str | None = None
    ) -> list[StoredMessage]:
        """Process one user message; return what to deliver (stored unless a notice).

        `text` is what the person wrote or the title of the quick reply they chose;
        `payload` is the quick reply's payload, forwarded to Rasa instead of the text
        (an intent such as "/help", or a question); feedback payloads stay here.
        """
        clean = text.strip()
        if not clean:
            return []
        if len(clean) > self._max_chars:
            return [StoredMessage("system", texts.TOO_LONG.format(limit=self._max_chars))]
        forwarded = clean
        if payload and payload.strip() and len(payload) <= MAX_PAYLOAD_CHARS:
            forwarded = payload
        lock = self._locks.get(conversation_id) or self._locks.setdefault(
            conversation_id, asyncio.Lock()
        )
        async with lock:
            await self._store.add(conversation_id, StoredMessage("user", clean))
            if payload in FEEDBACK_PAYLOADS:
                reply = await self._feedback(conversation_id, FEEDBACK_PAYLOADS[payload])
                return [await self._store.add(conversation_id, reply)]
            try:
                replies = await self._rasa.send(conversation_id, forwarded)
            except RasaUnavailableError as error:
                log.warning("Rasa unavailable for %s: %s", conversation_id, error)
                replies = []
            if not replies:
                # Every turn of our dialogue answers; silence means Rasa or the action
                # server failed (Rasa drops a failed custom action and just listens).
                replies = [StoredMessage("system", texts.UNAVAILABLE)]
            return [await self._store.add(conversation_id, reply) for reply in replies]

    async def _feedback(self, conversation_id: str, helpful: bool) -> StoredMessage:
        answer_id = await self._store.add_feedback(conversation_id, helpful)
        if answer_id is None:
            return StoredMessage("bot", texts.FEEDBACK_NOTHING)
        if helpful:
            return StoredMessage("bot", texts.FEEDBACK_THANKS)
        return StoredMessage("bot", texts.FEEDBACK_SORRY, [texts.ADVISOR_BUTTON])
