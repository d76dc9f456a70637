"""Masking before the curation queue stores a question: personal data goes, the
question stays readable."""

from __future__ import annotations

import pytest

from bot.curation.masking import mask

MASKED = [
    ("Rufen Sie mich an: 0171 1234567", "Rufen Sie mich an: [Telefon]"),
    ("Tel. 0345/1234567, ab 16 Uhr", "Tel. [Telefon], ab 16 Uhr"),
    ("meine nummer 0345-123 45 67", "meine nummer [Telefon]"),
    ("Erreichbar unter +49 (0)345 123456-7", "Erreichbar unter [Telefon]"),
    ("+49 171 2345678 bitte zurückrufen", "[Telefon] bitte zurückrufen"),
    ("Handy 0049 160 98765432", "Handy [Telefon]"),
    ("(0391) 55 66 77 88 ist unser Büro", "[Telefon] ist unser Büro"),
    ("Schreiben Sie an info@tischlerei-meier.de bitte", "Schreiben Sie an [E-Mail] bitte"),
    ("mail: Thomas.Mueller+kasse@gmx.net", "mail: [E-Mail]"),
    ("IBAN DE89 3704 0044 0532 0130 00 stimmt das?", "IBAN [IBAN] stimmt das?"),
    ("überweisen auf de89370400440532013000", "überweisen auf [IBAN]"),
    ("Wir sitzen in der Hauptstraße 12, 06108 Halle (Saale)", "Wir sitzen in der [Adresse]"),
    ("Betrieb: Lindenweg 3a in Dessau", "Betrieb: [Adresse] in Dessau"),
    ("Leipziger Straße 5 – kommt da wer vorbei?", "[Adresse] – kommt da wer vorbei?"),
    ("Am Markt 3 in Magdeburg", "[Adresse] in Magdeburg"),
    ("Meine Steuernummer 123/456/78901", "Meine Steuernummer [Steuernummer]"),
    (
        "Mein Name ist Thomas Müller, ich habe eine Frage",
        "Mein Name ist [Name], ich habe eine Frage",
    ),
    (
        "mein name ist sabine krause und ich brauche eine kasse",
        "mein name ist [Name] und ich brauche eine kasse",
    ),
    ("Ich heiße Kevin und habe eine Frage", "Ich heiße [Name] und habe eine Frage"),
    ("Hallo, ich bin Anna Schmidt und brauche Hilfe", "Hallo, ich bin [Name] und brauche Hilfe"),
    ("ich bin anna, wie geht das mit der kasse", "ich bin [Name], wie geht das mit der kasse"),
    ("Ich bin der Jens von der Dachdeckerei", "Ich bin der [Name] von der Dachdeckerei"),
    ("Ich bin Frau Lehmann aus Halle", "Ich bin Frau [Name] aus Halle"),
    ("Hier spricht Petra Wolf, Friseursalon", "Hier spricht [Name], Friseursalon"),
    ("Frau Müller hat gesagt, das geht", "Frau [Name] hat gesagt, das geht"),
    ("Danke! Viele Grüße\nPeter Wagner", "Danke! Viele Grüße [Name]"),
    ("geht das? LG Sabine", "geht das? LG [Name]"),
    ("Mit freundlichen Grüßen, Klaus Richter", "Mit freundlichen Grüßen, [Name]"),
]

UNCHANGED = [
    "Brauche ich eine TSE für 2 Kassen?",
    "Ich bin Bäcker und brauche eine Kasse",
    "Ich bin Inhaberin einer Tischlerei",
    "Ich bin Friseurmeisterin in Halle",
    "Ich bin Elektriker aus Halle",
    "Ich bin Kfz-Mechatroniker, brauche ich eine Website?",
    "ich bin neu hier",
    "Ich bin selbstständig mit 3 Leuten",
    "Ich bin mir nicht sicher, ob ich das brauche",
    "Ich bin Mitglied der Handwerkskammer",
    "Förderung bis 19.500 € ab 1. Januar 2027?",
    "Gilt das ab 01.01.2027?",
    "Wir haben 12 Mitarbeiter und 3 Filialen",
    "Was kostet eine Website für 5000 Euro?",
    "meine Frau hilft im Büro, muss sie Stunden aufschreiben?",
    "Auf Platz 1 bei Google kommen?",
    "PLZ 06108 reicht für das Google-Profil?",
    "DSGVO Art. 13, was muss rein?",
    "Paragraph 146a AO, was heißt das?",
    "Reicht Windows 10 noch bis 2025?",
    "XRechnung 3.0 oder ZUGFeRD 2.3?",
    "Geht das mit 2 Faktor Authentifizierung?",
    "Wie lange muss ich Rechnungen aufbewahren, 8 oder 10 Jahre?",
    "Ich bin Schneider",  # a trade first: the question needs it more than the mask
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_personal_data_is_masked(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_ordinary_questions_stay_as_they_are(text: str) -> None:
    assert mask(text) == text
