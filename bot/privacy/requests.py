"""A person's request to erase their conversation, asked and confirmed in the chat
(widget and messengers alike): typed ("Löschen Sie meine Daten") or the widget's menu."""

from __future__ import annotations

import re

from bot.folding import fold

ERASE = "#privacy:erase"
CONFIRM = "#privacy:erase_confirm"
KEEP = "#privacy:keep"
# "löschen Sie meine Daten", "daten löschen bitte", "chat löschen", "vergessen Sie mich"
ASKS_TO_ERASE = re.compile(
    r"\b((meine|meinen|mein|alle|die|den|unseren?) (daten|chat|chatverlauf|verlauf|gespraech)\w* "
    r"(\w+ )?(loeschen|entfernen|vernichten)|"
    r"(loeschen|loescht|entfernen|vernichten) sie (\w+ )?(meine|alle|die|den) "
    r"(daten|chat|chatverlauf|verlauf|gespraech)|"
    r"vergessen sie mich|recht auf (loeschung|vergessenwerden))"
)
# messengers: "LÖSCHEN" (WhatsApp) or "/loeschen" (Telegram) alone
ERASE_COMMAND = re.compile(r"^/?(loeschen|daten loeschen)\W*$")
CONFIRM_WORDS = re.compile(
    r"^(ja|jo|jep|ok|okay)?\W*(ja|alles)?\W*(loeschen|loesch es|weg damit)\b"
)

EXPLAIN = (
    "Ich kann dieses Gespräch jetzt vollständig löschen: alle Nachrichten, Ihre "
    "Rückmeldungen, eine Übergabe an die Beratung mit Ihren Kontaktdaten und den "
    "Gesprächsverlauf des Assistenten. Das lässt sich nicht rückgängig machen. "
    "Soll ich alles löschen?"
)
EXPLAIN_BUTTONS = [
    {"title": "Ja, alles löschen", "payload": CONFIRM},
    {"title": "Nein, behalten", "payload": KEEP},
]
ERASED = (
    "Erledigt: Dieses Gespräch ist überall gelöscht. Wenn Sie wieder schreiben, beginnt "
    "ein neues Gespräch."
)
KEPT = "In Ordnung, es bleibt alles, wie es ist. Fragen Sie gern weiter."


def asks_to_erase(text: str, payload: str | None) -> bool:
    """True for the menu's erase button or a typed request to erase one's data."""
    folded = fold(text).strip()
    return (
        payload == ERASE
        or ASKS_TO_ERASE.search(folded) is not None
        or ERASE_COMMAND.match(folded) is not None
    )


def confirms(text: str, payload: str | None) -> bool:
    """True for the confirmation button or a typed "ja, löschen"."""
    return payload == CONFIRM or CONFIRM_WORDS.match(fold(text).strip()) is not None
