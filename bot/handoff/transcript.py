"""A handoff's conversation as plain text: the download and the e-mail to the person."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.db.models import Handoff, Message

SENDERS = {"user": "Sie", "bot": "Digitaler Assistent", "system": "Hinweis"}


def sender_name(message: Message, person: str) -> str:
    """Who wrote a message, as the transcript names them (`person` for the person)."""
    if message.sender == "advisor":
        return str((message.custom or {}).get("advisor") or "Beratung")
    if message.sender == "user":
        return person
    return SENDERS.get(message.sender, message.sender)


def transcript_text(
    handoff: Handoff, messages: Sequence[Message], timezone: str, person: str = "Person"
) -> str:
    """Header and one block per message, times in `timezone`, lines ending in "\\n"."""
    zone = ZoneInfo(timezone)
    lines = [
        f"Chatverlauf – Handwerkskammer, Vorgang {handoff.ticket}",
        f"Zeiten: {timezone}",
        "",
    ]
    for message in messages:
        moment = message.created_at.astimezone(zone).strftime("%d.%m.%Y %H:%M")
        lines.append(f"[{moment}] {sender_name(message, person)}:")
        lines.extend(f"  {line}" for line in message.text.splitlines() or [""])
        lines.append("")
    return "\n".join(lines)
