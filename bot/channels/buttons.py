"""Buttons on messengers: each gets a short opaque token, stored with its conversation,
that the platform hands back on a tap; typed titles and digits work the same way."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.base import BUTTON_PREFIX, Button
from bot.channels.delivery_status import QUEUED
from bot.db.channel_models import ButtonRef
from bot.db.models import Message, utcnow
from bot.folding import fold


@dataclass(frozen=True)
class Choice:
    """What a tap or a typed title stands for."""

    title: str
    payload: str


async def tokens_for(session: AsyncSession, message: Message) -> list[Button]:
    """The message's buttons with their tokens (made once, reused on a retry)."""
    if not message.buttons:
        return []
    refs = (
        await session.scalars(
            select(ButtonRef).where(ButtonRef.message_id == message.id).order_by(ButtonRef.position)
        )
    ).all()
    if not refs:
        refs = [
            ButtonRef(
                token=secrets.token_urlsafe(6),
                conversation_id=message.conversation_id,
                message_id=message.id,
                position=position,
                title=str(button.get("short_title") or button.get("title") or "")[:200],
                payload=str(button.get("payload") or ""),
                created_at=utcnow(),
            )
            for position, button in enumerate(message.buttons)
        ]
        session.add_all(refs)
    return [Button(ref.title, BUTTON_PREFIX + ref.token) for ref in refs]


async def resolve_tap(
    session: AsyncSession, conversation_id: str, button_id: str | None
) -> Choice | None:
    """The choice behind a tapped button of this conversation; None if unknown or stale
    (not on one of the bot's last ten messages)."""
    token = (button_id or "").removeprefix(BUTTON_PREFIX)
    ref = await session.get(ButtonRef, token) if token else None
    if ref is None or ref.conversation_id != conversation_id:
        return None
    recent = await _recent_bot_messages(session, conversation_id, 10)
    return Choice(ref.title, ref.payload) if ref.message_id in recent else None


async def resolve_typed(session: AsyncSession, conversation_id: str, text: str) -> Choice | None:
    """A typed button title, or a digit 1–n, of the last message with buttons the person
    got (on a messenger people type what the button says). Buttons are referenced when
    their message is rendered for sending: a reply still queued in the outbox is not
    what the person saw, the buttons before it are."""
    shown = await session.scalar(
        select(Message.id)
        .where(
            Message.conversation_id == conversation_id,
            Message.sender != "user",
            Message.delivery_status.is_distinct_from(QUEUED),
        )
        .order_by(Message.id.desc())
        .limit(1)
    )
    if shown is None:
        return None
    refs = (
        await session.scalars(
            select(ButtonRef).where(ButtonRef.message_id == shown).order_by(ButtonRef.position)
        )
    ).all()
    typed = fold(text).strip(" .!")
    for number, ref in enumerate(refs, start=1):
        if typed in (fold(ref.title).strip(" .!"), str(number)):
            return Choice(ref.title, ref.payload)
    return None


async def _recent_bot_messages(
    session: AsyncSession, conversation_id: str, limit: int
) -> list[int]:
    rows = await session.scalars(
        select(Message.id)
        .where(Message.conversation_id == conversation_id, Message.sender != "user")
        .order_by(Message.id.desc())
        .limit(limit)
    )
    return list(rows)
