from pathlib import Path

from bot.events.ical import read_calendar, topics_in
from bot.events.schema import EventFormat

CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Kammer//Kalender//DE
BEGIN:VEVENT
UID:abc-1@kammer
SUMMARY:Webinar E-Rechnung für Bäckereien
DTSTART;TZID=Europe/Berlin:20270119T160000
DTEND;TZID=Europe/Berlin:20270119T173000
LOCATION:online
CATEGORIES:E-Rechnung,Bäcker
URL:https://kammer.example/anmeldung/1
DESCRIPTION:Was ab 2027 gilt.
END:VEVENT
BEGIN:VEVENT
UID:abc-2@kammer
SUMMARY:Sprechtag Förderung
DTSTART;TZID=Europe/Berlin:20270210T090000
DURATION:PT6H
LOCATION:Magdeburg\\, Kammergebäude
URL:https://kammer.example/anmeldung/2
END:VEVENT
BEGIN:VEVENT
UID:abc-3@kammer
SUMMARY:Stammtisch in Leipzig
DTSTART:20270301T180000Z
URL:https://kammer.example/3
END:VEVENT
BEGIN:VEVENT
SUMMARY:Ohne UID
DTSTART:20270301T180000Z
END:VEVENT
BEGIN:VEVENT
UID:abc-4@kammer
SUMMARY:Workshop ohne Link in Halle
DTSTART:20270301T180000Z
LOCATION:Halle (Saale)
END:VEVENT
END:VCALENDAR
"""


def test_import_maps_fields_and_reports_what_it_skipped(tmp_path: Path) -> None:
    path = tmp_path / "kalender.ics"
    path.write_text(CALENDAR, encoding="utf-8")
    events, skipped = read_calendar(path, "Handwerkskammer")
    assert [uid for _, uid in events] == ["abc-1@kammer", "abc-2@kammer"]
    webinar, sprechtag = (event for event, _ in events)
    assert webinar.format is EventFormat.WEBINAR
    assert webinar.region == "online"
    assert webinar.topics == ["e_rechnung"]
    assert webinar.trades == ["baecker"]
    assert webinar.start.isoformat() == "2027-01-19T16:00:00+01:00"
    assert sprechtag.format is EventFormat.SPRECHTAG
    assert sprechtag.region == "magdeburg"
    assert sprechtag.topics == ["foerderung"]
    assert (sprechtag.end - sprechtag.start).total_seconds() == 6 * 3600
    reasons = {entry.summary: entry.reason for entry in skipped}
    assert reasons == {
        "Stammtisch in Leipzig": "Ort weder Halle, Magdeburg noch online",
        "Ohne UID": "keine UID",
        "Workshop ohne Link in Halle": "kein Anmelde-Link (URL)",
    }


def test_topic_words_short_ones_must_stand_alone() -> None:
    assert topics_in("KI im Betrieb") == ["kuenstliche_intelligenz"]
    assert topics_in("Kita-Plätze") == []
    assert topics_in("Fördermittel für Software") == ["betriebssoftware", "foerderung"]
