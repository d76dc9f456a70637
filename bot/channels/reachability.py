"""Whether an advisor's reply can reach the person now (shown in the console before
sending): WhatsApp's 24-hour window, and people who blocked the bot."""

from __future__ import annotations

from datetime import datetime

from bot.channels import WHATSAPP
from bot.channels.whatsapp import WINDOW

BLOCKED = (
    "Nicht zustellbar: Die Person hat den Assistenten blockiert. Bitte nutzen Sie einen "
    "Rückruf oder eine E-Mail."
)
WINDOW_CLOSED = (
    "WhatsApp: Die Person hat vor mehr als 24 Stunden zuletzt geschrieben. Ihre Antwort "
    "wartet, bis sie wieder schreibt{template}. Besser: Bieten Sie einen Rückruf an."
)
TEMPLATE_NOTE = " (sie bekommt dazu eine Benachrichtigung über die freigegebene Vorlage)"


def reply_notice(
    channel: str,
    last_inbound_at: datetime | None,
    unreachable_at: datetime | None,
    now: datetime,
    template: bool,
) -> str | None:
    """A German warning for the console, or None if a reply goes out at once."""
    if unreachable_at is not None:
        return BLOCKED
    if channel == WHATSAPP and (last_inbound_at is None or now - last_inbound_at >= WINDOW):
        return WINDOW_CLOSED.format(template=TEMPLATE_NOTE if template else "")
    return None
