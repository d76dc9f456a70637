"""German texts the gateway itself shows (formal "Sie", short enough for a phone)."""

TOO_LONG = (
    "Ihre Nachricht ist leider zu lang (höchstens {limit} Zeichen). "
    "Bitte fassen Sie Ihre Frage kürzer."
)
UNAVAILABLE = (
    "Der digitale Assistent ist gerade kurz nicht erreichbar. Ihre Nachricht ist gespeichert. "
    "Bitte versuchen Sie es in einer Minute noch einmal."
)
