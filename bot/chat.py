"""The conversation service: store every message first, then ask Rasa (or, during a
handoff, the advisors), then deliver."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot import texts
from bot.cluster.locks import ConversationLocks
from bot.curation.capture import Capture
from bot.db.store import MessageStore, StoredMessage
from bot.folding import fold
from bot.handoff.service import HandoffService
from bot.handoff.transcript_consent import transcript_answer
from bot.impact.links import tag_message
from bot.privacy import requests as erasure
from bot.rasa_client import RasaClient, RasaUnavailableError

log = logging.getLogger(__name__)

MAX_PAYLOAD_CHARS = 500
# asking for a person, typed: understood by the gateway itself while Rasa is down
ASKS_FOR_HUMAN = re.compile(
    r"\b(berater\w*|beratung|mensch\w*|mitarbeiter\w*|ansprechpartner\w*|rueckruf\w*|"
    r"zurueckrufen|anrufen|echte[nm]? person)\b"
)
# Quick replies the gateway answers itself, without Rasa.
FEEDBACK_PAYLOADS = {"#feedback:helpful": True, "#feedback:not_helpful": False}
# two "Hat nicht geholfen" in a row hand the conversation to an advisor
NOT_HELPFUL_LIMIT = 2
# a person's stored message still unanswered this long after it was stored: the
# instance that took it died (the Rasa timeout and a queue ahead of it are shorter)
RECOVER_AFTER_SECONDS = 6.0


def as_text(typed: str) -> str:
    """Typed text as Rasa must read it: as text, never as an intent. Rasa parses a
    message that starts with "/" as an intent with entities ("/request_events{…}"), so
    the slashes go; only payloads of buttons the bot offered are sent as intents."""
    return typed.lstrip("/").strip() or "?"


def usable(payload: str | None) -> str | None:
    """A button's payload, or None if it is empty or too long to be one of ours."""
    if payload is None or not payload.strip() or len(payload) > MAX_PAYLOAD_CHARS:
        return None
    return payload


def asks_for_human(text: str) -> bool:
    """True for the advisor button's payload or a typed wish to talk to a person."""
    return text == texts.ADVISOR_BUTTON["payload"] or bool(ASKS_FOR_HUMAN.search(fold(text)))


def split_handoff(
    replies: list[StoredMessage],
) -> tuple[list[StoredMessage], dict[str, Any] | None]:
    """Take the handoff signal out of Rasa's replies: (what to show, the signal)."""
    shown: list[StoredMessage] = []
    signal: dict[str, Any] | None = None
    for reply in replies:
        custom = dict(reply.custom or {})
        if isinstance(custom.get("handoff"), dict):
            signal = custom.pop("handoff")
            reply = replace(reply, custom=custom or None)
        if reply.text or reply.buttons or reply.custom:
            shown.append(reply)
    return shown, signal


class ChatService:
    """Handles one person's messages in order, whatever channel they came from."""

    def __init__(
        self,
        store: MessageStore,
        rasa: RasaClient,
        max_message_chars: int,
        handoffs: HandoffService,
        erase: Callable[[str], Awaitable[object]],
        capture: Capture | None = None,
        locks: ConversationLocks | None = None,
    ) -> None:
        self._store = store
        self._capture = capture or Capture()
        self._erase = erase
        self._rasa = rasa
        self._max_chars = max_message_chars
        self._handoffs = handoffs
        self._locks = locks or ConversationLocks()

    async def open(
        self, conversation_id: str | None, channel: str
    ) -> tuple[str, list[StoredMessage]]:
        """Resume a known conversation (with its history) or start a new one."""
        resumed_id = await self._store.open_conversation(conversation_id, channel)
        if resumed_id != conversation_id:
            return resumed_id, []
        history = await self._store.history(resumed_id)
        await self._store.mark_fetched(resumed_id)
        return resumed_id, history

    async def handle(
        self, conversation_id: str, text: str, payload: str | None = None, channel: str = "web"
    ) -> list[StoredMessage]:
        """Process one user message; return what to deliver (stored unless a notice).

        `text` is what the person wrote or the title of the quick reply they chose;
        `payload` is the quick reply's payload, forwarded to Rasa instead of the text
        (an intent such as "/help", or a question) if one of the bot's recent messages
        in this conversation offered it; feedback, rating and handoff payloads stay in
        the gateway. During a handoff nothing goes to Rasa.
        """
        clean = text.strip()
        refused = self._refusal(clean)
        if refused is not None:
            return refused
        async with self._locks.hold(conversation_id):
            message = await self._store.add(conversation_id, StoredMessage("user", clean), channel)
            return await self._respond(conversation_id, message, clean, usable(payload), channel)

    async def stored_after(self, conversation_id: str, message_id: int) -> list[StoredMessage]:
        """The conversation's stored messages newer than `message_id`, oldest first."""
        recent = await self._store.history(conversation_id, limit=50)
        return [m for m in recent if m.id is not None and m.id > message_id]

    async def accept(
        self, conversation_id: str, text: str, client_id: str | None, channel: str = "web"
    ) -> tuple[StoredMessage, bool] | list[StoredMessage]:
        """Store a person's message once per `client_id` (a resend is not stored again):
        (the stored message, whether it is new) — or the notice if it is refused
        (too long; empty gives no notice)."""
        clean = text.strip()
        refused = self._refusal(clean)
        if refused is not None:
            return refused
        async with self._locks.hold(conversation_id):
            message = StoredMessage("user", clean, client_id=client_id)
            return await self._store.add_once(conversation_id, message, channel)

    async def respond_to_stored(
        self, conversation_id: str, message: StoredMessage, payload: str | None, channel: str
    ) -> list[StoredMessage]:
        """Process a person's message that is stored already (a messenger's webhook
        stores it before answering the platform); as `handle` otherwise."""
        clean = message.text.strip()
        refused = self._refusal(clean)
        if refused is not None:
            return refused
        async with self._locks.hold(conversation_id):
            return await self._respond(conversation_id, message, clean, usable(payload), channel)

    async def answer_if_unanswered(
        self, conversation_id: str, message: StoredMessage, channel: str = "web"
    ) -> list[StoredMessage]:
        """Answer a stored message of the person that was never answered (its gateway
        instance died in between): once RECOVER_AFTER_SECONDS have passed since it was
        stored, if it is still the conversation's last message and no advisor has the
        conversation. Nothing otherwise."""
        if message.created_at is not None:
            age = (datetime.now(UTC) - message.created_at).total_seconds()
            await asyncio.sleep(max(0.0, RECOVER_AFTER_SECONDS - age))
        async with self._locks.hold(conversation_id):
            last = await self._store.history(conversation_id, limit=1)
            if not last or last[-1].id != message.id or last[-1].sender != "user":
                return []
            if await self._handoffs.handoffs.open_for(conversation_id) is not None:
                return []
            log.info("answering a message left unanswered in %s", conversation_id)
            clean = message.text.strip()
            return await self._respond(conversation_id, message, clean, None, channel)

    def _refusal(self, clean: str) -> list[StoredMessage] | None:
        """Nothing for an empty message, a notice for one that is too long; None if fine."""
        if not clean:
            return []
        if len(clean) > self._max_chars:
            return [StoredMessage("system", texts.TOO_LONG.format(limit=self._max_chars))]
        return None

    async def _respond(
        self,
        conversation_id: str,
        message: StoredMessage,
        clean: str,
        payload: str | None,
        channel: str,
    ) -> list[StoredMessage]:
        """What the bot, the handoff or the gateway answers to a stored message."""
        offers = await self._store.recent_offers(conversation_id)
        erasing = await self._erasure(conversation_id, clean, payload, offers[:1])
        if erasing is not None:
            return erasing
        mailing = await transcript_answer(self._handoffs, conversation_id, message, payload)
        if mailing is not None:
            return mailing
        handoff = await self._handoffs.handoffs.open_for(conversation_id)
        if handoff is not None:
            outcome = await self._handoffs.on_person_message(handoff, message, clean, payload)
            if not outcome.forward:
                return outcome.replies
        rated = await self._handoffs.rate(conversation_id, clean, payload)
        if rated is not None:
            return [rated]
        if payload in FEEDBACK_PAYLOADS:
            return await self._feedback(conversation_id, FEEDBACK_PAYLOADS[payload], channel)
        if payload and (
            payload.startswith("#")  # an outdated gateway button
            or not (payload in texts.STARTER_PAYLOADS or any(payload in o for o in offers))
        ):
            payload = None  # the title goes to the bot as text
        return await self._ask_bot(conversation_id, payload or as_text(clean), channel)

    async def _erasure(
        self, conversation_id: str, text: str, payload: str | None, last_offer: list[set[str]]
    ) -> list[StoredMessage] | None:
        """The request to erase this conversation: explain and ask; erase on "ja" to
        the question just asked (`last_offer`: the buttons of the bot's last message;
        the reply then says `erased`, and the channel forgets the conversation)."""
        asked = any(erasure.CONFIRM in offer for offer in last_offer)
        if asked and erasure.confirms(text, payload):
            await self._erase(conversation_id)
            return [StoredMessage("system", erasure.ERASED, custom={"erased": True})]
        if erasure.asks_to_erase(text, payload):
            ask = StoredMessage("system", erasure.EXPLAIN, erasure.EXPLAIN_BUTTONS)
            return [await self._store.add(conversation_id, ask)]
        if not asked:
            return None
        if payload == erasure.KEEP:
            return [await self._store.add(conversation_id, StoredMessage("system", erasure.KEPT))]
        return None

    async def _ask_bot(self, conversation_id: str, text: str, channel: str) -> list[StoredMessage]:
        try:
            replies = await self._rasa.send(conversation_id, text)
        except RasaUnavailableError as error:
            log.warning("Rasa unavailable for %s: %s", conversation_id, error)
            replies = []
        shown, signal = split_handoff(replies)
        if not shown and signal is None:
            # Every turn of our dialogue answers; silence means Rasa or the action
            # server failed (Rasa drops a failed custom action and just listens).
            # A person is reachable all the same: the handoff runs in the gateway.
            if asks_for_human(text):
                return await self._handoffs.start(
                    conversation_id, channel, {"reason": "request_human"}
                )
            shown = [StoredMessage("system", texts.UNAVAILABLE, [texts.ADVISOR_BUTTON])]
        shown = [tag_message(reply, channel) for reply in shown]
        stored = [await self._store.add(conversation_id, reply) for reply in shown]
        await self._capture.replies(conversation_id, channel, stored, signal)
        if signal is not None:
            stored += await self._handoffs.start(conversation_id, channel, signal)
        return stored

    async def _feedback(
        self, conversation_id: str, helpful: bool, channel: str
    ) -> list[StoredMessage]:
        answer = await self._store.add_feedback(conversation_id, helpful)
        await self._capture.feedback(conversation_id, channel, answer, helpful)
        if answer is None:
            reply = StoredMessage("bot", texts.FEEDBACK_NOTHING)
        elif helpful:
            reply = StoredMessage("bot", texts.FEEDBACK_THANKS)
        elif await self._handoffs.handoffs.not_helpful_streak(conversation_id) >= NOT_HELPFUL_LIMIT:
            about = (answer.custom or {}).get("answer") or {}
            topics = about.get("topics") or [None]
            trigger = {
                "reason": "not_helpful",
                "question": about.get("question"),
                "trade": about.get("trade"),
                "topic": topics[0],
            }
            await self._capture.handoff(conversation_id, channel, trigger)
            return await self._handoffs.start(conversation_id, channel, trigger)
        else:
            reply = StoredMessage("bot", texts.FEEDBACK_SORRY, [texts.ADVISOR_BUTTON])
        return [await self._store.add(conversation_id, reply)]
