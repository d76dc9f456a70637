"""What every messenger adapter speaks: channel-neutral inbound events, rendered API
calls, and send results classified for the outbox."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.channels.identities import Address

# prefix of every button id a messenger gets back ("b:" + token)
BUTTON_PREFIX = "b:"


class Kind(enum.StrEnum):
    """What a person's inbound event is."""

    TEXT = "text"
    BUTTON = "button"  # a tap on one of our buttons (or a template's quick reply)
    START = "start"  # Telegram's /start
    UNSUPPORTED = "unsupported"  # stickers, images, locations …


@dataclass(frozen=True)
class Incoming:
    """A person's message on a messenger, without anything channel-specific."""

    event_key: str
    addresses: list[Address]
    kind: Kind
    text: str = ""
    button_id: str | None = None
    # Telegram: the callback to answer and the message whose keyboard to remove
    callback_id: str | None = None
    keyboard_message_id: int | None = None


@dataclass(frozen=True)
class StatusReport:
    """A platform's delivery report on a message we sent (WhatsApp)."""

    event_key: str
    provider_id: str
    status: str  # sent, delivered, read or failed
    error_code: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class Button:
    """A button as sent: its title and the id the platform hands back on a tap."""

    title: str
    button_id: str


@dataclass(frozen=True)
class ApiCall:
    """One request to a messenger's API, without the recipient."""

    method: str
    body: dict[str, Any] = field(default_factory=dict)


class Outcome(enum.StrEnum):
    """How a send ended, as the outbox must treat it."""

    SENT = "sent"
    RETRY = "retry"  # network, 5xx, rate limit: again later
    DEAD = "dead"  # our request was wrong: never again
    UNREACHABLE = "unreachable"  # the person blocked the bot or the number is gone
    WINDOW_CLOSED = "window_closed"  # WhatsApp: only a template may be sent now


@dataclass(frozen=True)
class SendResult:
    """The result of one API call."""

    outcome: Outcome
    provider_id: str | None = None
    retry_after: float | None = None
    error: str | None = None


class Adapter(Protocol):
    """A messenger: renders messages into API calls and sends them."""

    channel: str
    # seconds between two messages to the same person; messages per second overall
    min_spacing: float
    rate_per_second: float

    def render(self, text: str, buttons: list[Button]) -> list[ApiCall]:
        """The calls that show `text` with `buttons` within every platform limit."""

    async def send(self, call: ApiCall, to: Address, reference: str) -> SendResult:
        """Send one call to `to`; `reference` comes back in status reports."""

    def window_open(self, last_inbound_at: datetime | None, now: datetime) -> bool:
        """Whether a free-form message may be sent now."""

    def template(self, ticket: str) -> ApiCall | None:
        """The approved template that invites the person back, if one is configured."""
