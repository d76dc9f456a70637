"""What every part of the handoff shares: the stores and hubs, storing a gateway
message of a handoff and pushing it, the queue, and the errors advisors get."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.channels import WEB
from bot.channels.delivery_status import delivery_json
from bot.db.models import Handoff
from bot.db.store import MessageStore, StoredMessage
from bot.events.recommend import regions_in
from bot.handoff import texts
from bot.handoff.accounts import AdvisorStore
from bot.handoff.hub import ConsoleHub, PersonHub
from bot.handoff.office_hours import OfficeHours
from bot.handoff.serialize import message_json
from bot.handoff.store import HandoffStore

FORM = ("name", "business", "trade", "contact", "time")
COLUMNS = {
    "name": "contact_name",
    "business": "business",
    "trade": "trade",
    "contact": "contact",
    "time": "preferred_time",
}
REASONS = frozenset(texts.INTRO)
MAX_ADVISOR_TEXT = 2000
RATING_WINDOW = timedelta(minutes=30)
RATINGS = frozenset("12345")
MAX_SUMMARY = 500
MAX_CHARS_ANY = 10_000
CANCEL_BUTTON = {"title": "Abbrechen", "payload": "#handoff:cancel"}
# step prefix while the bot asks whether a number typed for another field is the contact
CONTACT_CHECK = "contact?"


class HandoffError(Exception):
    """An advisor action that does not fit the handoff's state (German message)."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Outcome:
    """What a person's message did: stored replies, or `forward` it to the bot."""

    replies: list[StoredMessage] = field(default_factory=list)
    forward: bool = False


def _now() -> datetime:
    return datetime.now(UTC)


class HandoffCore:
    """State and helpers shared by the person's intake, the advisors' actions and the
    console's views; state lives in the database, sockets only get pushes."""

    def __init__(
        self,
        handoffs: HandoffStore,
        messages: MessageStore,
        advisors: AdvisorStore,
        people: PersonHub,
        consoles: ConsoleHub,
        office_hours: OfficeHours,
        retention_days: int,
        exclusive_seconds: float,
        public_url: str,
    ) -> None:
        self.handoffs = handoffs
        self._messages = messages
        self._advisors = advisors
        self._people = people
        self._consoles = consoles
        self._hours = office_hours
        self._retention_days = retention_days
        self._exclusive = timedelta(seconds=exclusive_seconds)
        self._public_url = public_url
        # called with each new callback request once it is stored (the mailer)
        self.on_callback: list[Callable[[Handoff], Awaitable[object]]] = []

    def available(self) -> bool:
        """True within office hours while at least one advisor has the console open."""
        return self._hours.is_open(_now()) and bool(self._consoles.online())

    async def _say(
        self,
        handoff: Handoff,
        text: str,
        buttons: list[dict[str, str]],
        state: str,
        advisor: str | None = None,
        input_hint: str | None = None,
    ) -> StoredMessage:
        """Store a gateway message of the handoff (delivery is the caller's job);
        `input_hint` tells the widget which keyboard and autofill the answer needs."""
        custom = {"handoff_state": state, "ticket": handoff.ticket}
        if advisor:
            custom["advisor"] = advisor
        if input_hint:
            custom["input"] = input_hint
        return await self._messages.add(
            handoff.conversation_id, StoredMessage("system", text, list(buttons), custom)
        )

    async def _tell_person(
        self,
        handoff: Handoff,
        text: str,
        buttons: list[dict[str, str]],
        state: str,
        advisor: str | None = None,
    ) -> None:
        message = await self._say(handoff, text, buttons, state, advisor)
        await self._deliver(handoff, message)

    async def _deliver(self, handoff: Handoff, message: StoredMessage) -> None:
        """Push a stored message to the person and show it in the consoles. On the
        widget its delivery state is whether a socket took it (held until the person
        opens the chat); messengers' states come from the outbox."""
        pushed = await self._people.deliver(handoff.conversation_id, [message])
        frame = message_json(message)
        if handoff.channel == WEB and message.id is not None:
            status = "delivered" if pushed else "held"
            await self._messages.set_delivery([message.id], status)
            frame["delivery"] = delivery_json(status)
        await self._consoles.broadcast(
            {"type": "message", "handoff_id": handoff.id, "message": frame}
        )

    async def _advance_queue(self, left: Handoff) -> None:
        """Tell everyone queued behind a chat that left the queue their new place."""
        if left.queued_at is None:
            return
        behind = await self.handoffs.waiting_after(left.queued_at)
        for handoff in behind:
            position = await self.handoffs.position(handoff)
            await self._tell_person(
                handoff, texts.MOVED_UP.format(position=position), texts.QUEUED_BUTTONS, "waiting"
            )

    async def _require(self, handoff_id: int) -> Handoff:
        handoff = await self.handoffs.get(handoff_id)
        if handoff is None:
            raise HandoffError("Diesen Vorgang gibt es nicht.", status=404)
        return handoff

    async def _region_of(self, conversation_id: str) -> str | None:
        for message in reversed(await self._messages.history(conversation_id, limit=50)):
            region = regions_in(message.text) if message.sender == "user" else None
            if region in ("halle", "magdeburg"):
                return region
        return None

    async def _thank(self, conversation_id: str) -> StoredMessage:
        return await self._messages.add(
            conversation_id, StoredMessage("system", texts.RATING_THANKS)
        )
