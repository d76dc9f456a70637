"""German texts the gateway itself shows (formal "Sie", short enough for a phone)."""

TOO_LONG = (
    "Ihre Nachricht ist leider zu lang (höchstens {limit} Zeichen). "
    "Bitte fassen Sie Ihre Frage kürzer."
)
UNAVAILABLE = (
    "Der digitale Assistent ist gerade kurz nicht erreichbar. Ihre Nachricht ist gespeichert. "
    "Bitte versuchen Sie es in einer Minute noch einmal – oder sprechen Sie mit unserer Beratung."
)
FEEDBACK_THANKS = "Danke für Ihre Rückmeldung! Fragen Sie gern weiter."
FEEDBACK_SORRY = (
    "Danke für die ehrliche Rückmeldung. Stellen Sie Ihre Frage gern anders – "
    "oder sprechen Sie mit unserer Beratung."
)
FEEDBACK_NOTHING = "Zu welcher Antwort möchten Sie Rückmeldung geben? Stellen Sie gern eine Frage."
ADVISOR_BUTTON = {"title": "Mit Berater sprechen", "payload": "/request_human"}
TOO_FAST = "Sie schreiben sehr schnell. Bitte warten Sie einen Moment und senden Sie dann erneut."
TOO_MANY_CONVERSATIONS = (
    "Von Ihrem Anschluss wurden gerade sehr viele neue Gespräche begonnen. "
    "Bitte versuchen Sie es in einer Minute noch einmal."
)
