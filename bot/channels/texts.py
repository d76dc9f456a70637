"""What werkbot says on messengers beyond the dialogue (German, formal, short)."""

from __future__ import annotations

NOTICE = {
    "whatsapp": (
        "Willkommen beim Digital-Assistenten der Handwerkskammer! Kurz zum Datenschutz: "
        "Wir speichern dieses Gespräch {days} Tage nach Ihrer letzten Nachricht, Ihre "
        "Nummer nur verschlüsselt. WhatsApp-Nachrichten laufen über Meta. Mehr: "
        "{url}/datenschutz – mit „LÖSCHEN“ löschen Sie alles."
    ),
    "telegram": (
        "Willkommen beim Digital-Assistenten der Handwerkskammer! Kurz zum Datenschutz: "
        "Wir speichern dieses Gespräch {days} Tage nach Ihrer letzten Nachricht. Chats "
        "mit Bots sind bei Telegram nicht Ende-zu-Ende-verschlüsselt. Mehr: "
        "{url}/datenschutz – mit /loeschen löschen Sie alles."
    ),
}
UNSUPPORTED = (
    "Bilder, Sprachnachrichten, Sticker und Standorte kann ich leider nicht lesen. "
    "Bitte schreiben Sie Ihre Frage als Text."
)
FAILED = (
    "Entschuldigung, Ihre Nachricht konnte ich gerade nicht bearbeiten. Bitte schreiben "
    "Sie sie noch einmal."
)
# what a tap on a button that is no longer offered gets (Telegram shows it as an alert)
STALE = "Diese Auswahl ist nicht mehr aktuell. Bitte schreiben Sie Ihr Anliegen einfach."
GREETING = "Hallo"  # what /start says to the bot
