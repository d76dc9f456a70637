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

# The widget's welcome, shown when its panel opens on an empty conversation (not stored).
WELCOME = (
    "Willkommen! Sie chatten mit werkbot, dem digitalen Assistenten der Handwerkskammer – "
    "nicht mit einem Menschen. Ich beantworte Fragen zur Digitalisierung im Betrieb mit "
    "Quelle und nenne passende Veranstaltungen und Praxisbeispiele. Rechts- oder "
    "Steuerberatung kann ich nicht geben; dafür verbinde ich Sie mit unserer Beratung."
)
# The main paths: the greeting's quick replies (actions/greeting.py) and the widget's
# starters; the gateway forwards their payloads even before the bot offered them.
STARTERS = [
    {
        "title": "Frage zur Digitalisierung",
        "payload": "/ask_digitalisation",
        # what a messenger button shows (WhatsApp: 20 characters)
        "short_title": "Frage stellen",
    },
    {"title": "Veranstaltungen", "payload": "/request_events"},
    {"title": "Praxisbeispiele", "payload": "/request_best_practices"},
    {"title": "Beratung", "payload": "/request_human"},
]
STARTER_PAYLOADS = frozenset(starter["payload"] for starter in STARTERS)
