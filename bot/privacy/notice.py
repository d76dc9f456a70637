"""The privacy notice `/datenschutz`: what werkbot stores, why, how long, who sees it,
and the person's rights. German, ours; the retention period comes from the settings."""

from __future__ import annotations

from html import escape

from bot.pages import PAGE

SECTIONS = (
    (
        "Wer ist verantwortlich?",
        "Die Handwerkskammer, die diesen Assistenten betreibt. Ihre Datenschutzbeauftragte "
        "oder ihren Datenschutzbeauftragten erreichen Sie über die Kontaktangaben im "
        "Impressum der Kammer.",
    ),
    (
        "Was wird gespeichert?",
        "Ihre Nachrichten und die Antworten des Assistenten, Ihre Rückmeldungen "
        "(„Hat geholfen“), bei einer Übergabe an die Beratung Ihr Anliegen, Gewerk und "
        "Region sowie die Angaben, die Sie für einen Rückruf machen (Name, Betrieb, "
        "Telefon oder E-Mail, Wunschzeit), Ihre Bewertung und interne Notizen der "
        "Beratung. Der Assistent merkt sich außerdem den Gesprächsstand, etwa Ihr Gewerk. "
        "Ihr Browser speichert nur eine zufällige Gesprächsnummer.",
    ),
    (
        "Wozu?",
        "Um Ihre Fragen zu beantworten, ein Gespräch fortzusetzen und, wenn Sie es "
        "wünschen, Sie mit der Beratung der Kammer zu verbinden. Rechtsgrundlage ist die "
        "Erfüllung der öffentlichen Beratungsaufgabe der Kammer; für die Übergabe an die "
        "Beratung fragen wir Sie vorher ausdrücklich.",
    ),
    (
        "Wie lange?",
        "Ein Gespräch wird {days} Tage nach seiner letzten Nachricht vollständig gelöscht, "
        "auch der Gesprächsstand des Assistenten. Solange eine Übergabe an die Beratung "
        "noch offen ist, bleibt es bis zu deren Abschluss erhalten. Technische "
        "Protokolle der Server, in denen eine Gesprächskennung vorkommen kann, werden "
        "ebenfalls nach {days} Tagen gelöscht.",
    ),
    (
        "Wer sieht es?",
        "Nur die Beraterinnen und Berater der Kammer, und nur wenn Sie einer Übergabe "
        "zugestimmt haben: zuerst die, die für Ihre Region und Ihr Thema zuständig sind, "
        "nach der Übernahme nur die Person, die Ihr Anliegen bearbeitet, und die Leitung "
        "der Beratung. Jede Einsicht wird protokolliert. Eine abgebrochene Übergabe sieht "
        "niemand. Es gibt keine Weitergabe an Dritte und keine Werbung.",
    ),
    (
        "Ihre Rechte",
        "Sie können Auskunft über Ihre Daten verlangen, sie berichtigen oder löschen "
        "lassen, der Verarbeitung widersprechen und sich bei der Aufsichtsbehörde "
        "beschweren. Löschen geht sofort im Chat: Schreiben Sie „Löschen Sie meine Daten“ "
        "oder tippen Sie auf „Daten löschen“. „Beenden“ lässt Ihr Gerät das Gespräch "
        "vergessen, etwa an einem gemeinsam genutzten Computer. Für eine Auskunft nennen "
        "Sie uns Ihre Vorgangsnummer oder schreiben Sie der Beratung im Chat.",
    ),
)


def privacy_page(retention_days: int) -> str:
    """The privacy notice as an HTML page."""
    parts = ["    <h1>Datenschutz beim digitalen Assistenten</h1>"]
    for heading, text in SECTIONS:
        parts.append(f"    <h2>{escape(heading)}</h2>")
        parts.append(f"    <p>{escape(text.format(days=retention_days))}</p>")
    return PAGE.format(title="Datenschutz", body="\n".join(parts))
