"""Messenger channels (WhatsApp, Telegram) beside the web widget: one delivery core."""

WEB = "web"
TELEGRAM = "telegram"
WHATSAPP = "whatsapp"
MESSENGERS = frozenset({TELEGRAM, WHATSAPP})
