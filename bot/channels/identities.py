"""Messenger addresses (phone numbers, BSUIDs, chat ids) kept only hashed and
encrypted, each tied to one random conversation id that Rasa and the consoles see."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime

from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.channel_models import ChannelIdentity
from bot.db.models import Conversation

# preferred address to send to: a BSUID where Meta gave one, else the phone number
SEND_PREFERENCE = ("bsuid", "tg_chat", "wa_id")


@dataclass(frozen=True)
class Address:
    """A person's address on a channel, in the clear (only in memory)."""

    kind: str
    value: str


class AddressBook:
    """Hashes addresses for lookup and encrypts them for sending, with keys derived
    from CHANNEL_KEY."""

    def __init__(self, key: str) -> None:
        self._hash_key = hashlib.sha256(b"werkbot-address-hash:" + key.encode()).digest()
        fernet_key = hashlib.sha256(b"werkbot-address-enc:" + key.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(fernet_key))

    def digest(self, channel: str, address: Address) -> str:
        """The lookup hash of an address (HMAC, so a leaked table reveals no numbers)."""
        message = f"{channel}:{address.kind}:{address.value}".encode()
        return hmac.new(self._hash_key, message, hashlib.sha256).hexdigest()

    def seal(self, value: str) -> str:
        """Encrypt an address."""
        return self._fernet.encrypt(value.encode()).decode()

    def open(self, sealed: str) -> str:
        """Decrypt an address."""
        return self._fernet.decrypt(sealed.encode()).decode()

    async def conversation_for(
        self,
        session: AsyncSession,
        channel: str,
        addresses: list[Address],
        now: datetime,
    ) -> tuple[Conversation, bool]:
        """The conversation of whoever has one of `addresses` (all of them are linked
        to it), or a new one; True if it is new."""
        hashes = {self.digest(channel, address): address for address in addresses}
        known = (
            await session.scalars(
                select(ChannelIdentity).where(
                    ChannelIdentity.channel == channel,
                    ChannelIdentity.ref_hash.in_(list(hashes)),
                )
            )
        ).all()
        conversation = await session.get(Conversation, known[0].conversation_id) if known else None
        created = conversation is None
        if conversation is None:
            conversation = Conversation(
                id=uuid.uuid4().hex, channel=channel, created_at=now, updated_at=now
            )
            session.add(conversation)
            await session.flush()
        have = {identity.ref_hash for identity in known}
        for digest, address in hashes.items():
            if digest not in have:
                session.add(
                    ChannelIdentity(
                        channel=channel,
                        kind=address.kind,
                        ref_hash=digest,
                        ref_enc=self.seal(address.value),
                        conversation_id=conversation.id,
                        created_at=now,
                    )
                )
        return conversation, created

    async def address_of(self, session: AsyncSession, conversation_id: str) -> Address | None:
        """Where to send a conversation's messages (None once it is erased)."""
        identities = (
            await session.scalars(
                select(ChannelIdentity).where(ChannelIdentity.conversation_id == conversation_id)
            )
        ).all()
        if not identities:
            return None
        best = min(identities, key=lambda i: SEND_PREFERENCE.index(i.kind))
        return Address(best.kind, self.open(best.ref_enc))
