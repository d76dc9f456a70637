"""German texts of the handoff (formal "Sie", short enough for a phone screen)."""

from __future__ import annotations

INTRO = {
    "request_human": "Gern verbinde ich Sie mit der Beratung der Handwerkskammer.",
    "fallback": "Ich verstehe Sie leider nicht. Eine Beraterin oder ein Berater hilft gern.",
    "not_helpful": "Meine Antworten haben Ihnen nicht geholfen. Die Beratung hilft gern weiter.",
    "no_answer": "Gern verbinde ich Sie mit der Beratung der Handwerkskammer.",
}
CONSENT = (
    "{intro}\n\nDatenschutz: Die Beratung sieht diesen Chatverlauf und Ihre Angaben. "
    "Wir speichern beides {days} Tage, danach wird es gelöscht. Einverstanden?"
)
CONSENT_BUTTONS = [
    {"title": "Einverstanden", "payload": "#handoff:consent"},
    {"title": "Abbrechen", "payload": "#handoff:cancel"},
]
SUMMARY_CONFIRM = (
    "Damit die Beratung gleich Bescheid weiß – Ihr Anliegen:\n„{summary}“{details}"
    "\n\nStimmt das so?"
)
SUMMARY_BUTTONS = [
    {"title": "Ja, stimmt", "payload": "#handoff:summary_ok"},
    {"title": "Anders formulieren", "payload": "#handoff:summary_edit"},
    {"title": "Abbrechen", "payload": "#handoff:cancel"},
]
SUMMARY_WRITE = "Beschreiben Sie Ihr Anliegen bitte kurz in einem Satz."
# the concern of someone who only confirmed where it was asked for
NO_CONCERN = "Bitte um Rückruf (kein Anliegen genannt)"
SUMMARY_TOO_SHORT = "Bitte beschreiben Sie Ihr Anliegen in ein paar Worten."
QUEUED = (
    "Ich verbinde Sie mit der Beratung. Sie sind an Position {position}. "
    "Vorgangsnummer: {ticket}.\nBis jemand übernimmt, schweigt der Assistent; "
    "Ihre Nachrichten gehen direkt an die Beratung."
)
QUEUED_BUTTONS = [
    {"title": "Lieber Rückruf", "payload": "#handoff:callback"},
    {"title": "Zurück zum Assistenten", "payload": "#handoff:end"},
]
MOVED_UP = "Sie sind jetzt an Position {position}."
CLAIMED = "{advisor} von der Handwerkskammer ist jetzt für Sie da."
NOBODY_AVAILABLE = (
    "Gerade ist niemand aus der Beratung im Chat (Sprechzeiten: {hours}). "
    "Gern vereinbaren wir einen Rückruf oder antworten Ihnen per E-Mail."
)
ASK = {
    "name": "Wie ist Ihr Name?",
    "business": "Wie heißt Ihr Betrieb (und wo liegt er)?",
    "trade": "In welchem Gewerk arbeiten Sie?",
    "trade_confirm": "Ihr Gewerk: {trade}. Stimmt das? Sonst schreiben Sie es einfach.",
    "contact": "Unter welcher Telefonnummer oder E-Mail-Adresse erreichen wir Sie?",
    "time": "Wann passt es Ihnen am besten?",
}
# the trade confirmed with the summary is not asked again, only named
TRADE_NOTED = "Ihr Gewerk habe ich: {trade} (stimmt das nicht, ändern Sie es vor dem Absenden)."
INVALID = {
    "name": "Bitte nennen Sie Ihren Namen (ohne Ziffern).",
    "business": "Bitte nennen Sie den Namen Ihres Betriebs.",
    "trade": "Bitte nennen Sie Ihr Gewerk, z. B. Bäckerei oder Elektro.",
    "contact": (
        "Das habe ich nicht als vollständige Telefonnummer oder E-Mail-Adresse erkannt. "
        "Bitte prüfen Sie die Angabe, zum Beispiel: 0345 1234567 oder name@betrieb.de"
    ),
    "email": (
        "Die E-Mail-Adresse scheint unvollständig. Bitte prüfen Sie sie, z. B. name@betrieb.de."
    ),
    "time": "Bitte nennen Sie eine Zeit, z. B. „vormittags“ oder „Di ab 14 Uhr“.",
}
TIME_BUTTONS = [
    {"title": "Vormittags (8–12 Uhr)", "payload": "Vormittags (8–12 Uhr)"},
    {"title": "Nachmittags (12–16 Uhr)", "payload": "Nachmittags (12–16 Uhr)"},
    {"title": "Egal", "payload": "Egal"},
]
FIELD_LABELS = {
    "name": "Name",
    "business": "Betrieb",
    "trade": "Gewerk",
    "contact": "Kontakt",
    "time": "Wunschzeit",
}
CONTACT_CHECK = (
    "Ist {value} Ihre {kind}? Dann notiere ich sie für den Rückruf. "
    "Danach brauche ich noch {missing}."
)
# what was asked when a phone number or e-mail address came instead
STILL_MISSING = {
    "name": "Ihren Namen",
    "business": "den Namen Ihres Betriebs",
    "trade": "Ihr Gewerk",
    "time": "Ihre Wunschzeit",
}
CONTACT_CHECK_BUTTONS = [
    {"title": "Ja", "payload": "#handoff:contact_yes"},
    {"title": "Nein", "payload": "#handoff:contact_no"},
]
CONTACT_KEPT = "Danke, notiert."
REVIEW = (
    "Bitte prüfen Sie Ihre Angaben:\n{lines}\n\n"
    "Stimmt alles? Dann sende ich die Rückrufbitte ab. Sonst schreiben Sie, was ich ändern soll."
)
REVIEW_BUTTONS = [
    {"title": "Absenden", "payload": "#handoff:submit"},
    {"title": "Ändern", "payload": "#handoff:change"},
    {"title": "Abbrechen", "payload": "#handoff:cancel"},
]
# when the advisor calls back: at the preferred time, or as soon as possible for "egal"
CALLBACK_WHEN = "zu Ihrer Wunschzeit ({time})"
CALLBACK_SOON = "so bald wie möglich"
CHANGE = "Was möchten Sie ändern: Name, Betrieb, Gewerk, Kontakt oder Wunschzeit?"
CALLBACK_DONE = (
    "Danke! Ihre Rückrufbitte ist angekommen. Vorgangsnummer: {ticket}.\n"
    "Wir melden uns {when}, spätestens am nächsten Werktag. "
    "Bis dahin beantworte ich gern weitere Fragen."
)
CANCELLED = "In Ordnung, ich habe die Anfrage abgebrochen. Fragen Sie mich gern weiter."
BACK_TO_BOT = "Sie sprechen wieder mit dem digitalen Assistenten."
CLOSED_BY_ADVISOR = "{advisor} hat das Gespräch beendet. " + BACK_TO_BOT
HANDED_BACK = "Die Beratung hat Sie an den Assistenten zurückgegeben. " + BACK_TO_BOT
ENDED_BY_PERSON = "Sie haben das Gespräch mit der Beratung beendet. " + BACK_TO_BOT
RATING_QUESTION = "Wie zufrieden waren Sie mit der Beratung? (1 = gar nicht, 5 = sehr)"
RATING_BUTTONS = [{"title": str(n), "payload": f"#rating:{n}"} for n in range(1, 6)]
RATING_THANKS = "Danke für Ihre Bewertung!"
CANCEL_WORDS = {"abbrechen", "abbruch", "stopp", "stop"}
# a short message with one of these leaves the form ("ach vergiss es, hab grad keine
# zeit"); folded text (lowercase, umlauts spelt out)
CANCEL_PHRASES = (
    r"\b(abbrechen|vergiss (es|das|et)|vergessen sie (es|das)|lass (es|mal|gut sein)|"
    r"lassen wir (es|das)|(dann|lieber) doch nicht|(hab|habe) (grad|gerade|jetzt )?keine zeit|"
    r"kein interesse|will (ich )?nicht mehr)\b"
)
MAX_CANCEL_WORDS = 10
EXIT_PHRASES = ("zurück zum assistenten", "zurueck zum assistenten", "zurück zum bot")
