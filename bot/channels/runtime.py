"""The messenger channels of a running gateway: adapters, inbox and outbox."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.channels.base import Adapter
from bot.channels.identities import AddressBook
from bot.channels.inbox import Inbox
from bot.channels.outbox import Outbox
from bot.channels.telegram import TelegramAdapter
from bot.channels.whatsapp import WhatsAppAdapter


@dataclass
class Channels:
    """What the webhooks and the background tasks share; adapters are None when off."""

    inbox: Inbox
    outbox: Outbox
    book: AddressBook
    telegram: TelegramAdapter | None = None
    whatsapp: WhatsAppAdapter | None = None
    adapters: dict[str, Adapter] = field(default_factory=dict)
