from datetime import date

from bot.db.models import KbGuide, KbSection
from bot.pages import guide_page, not_found_page
from bot.urls import host_of

TODAY = date(2026, 12, 5)


def guide(**changes: object) -> KbGuide:
    values: dict[str, object] = {
        "id": "x",
        "title": "Kasse <b>TSE</b>",
        "topics": ["kasse_tse"],
        "trades": [],
        "summary": "Zwei Sätze. Hier.",
        "sources": ["https://www.example.org/a?b=1&c=<2>"],
        "checked": date(2026, 11, 24),
        "keywords": [],
        "illustrative": False,
        "content_hash": "0",
        "sections": [KbSection(number=0, heading="Frage <script>", text="Antwort & mehr")],
    }
    values.update(changes)
    return KbGuide(**values)


def test_page_shows_title_date_sections_and_sources_escaped() -> None:
    html = guide_page(guide(), TODAY)
    assert "<h1>Kasse &lt;b&gt;TSE&lt;/b&gt;</h1>" in html
    assert "Stand der Fakten: 24.11.2026" in html
    assert '<section id="abschnitt-0">' in html
    assert "Frage &lt;script&gt;" in html
    assert "<script>" not in html
    assert "Antwort &amp; mehr" in html
    assert 'href="https://www.example.org/a?b=1&amp;c=&lt;2&gt;"' in html
    assert ">example.org<" in html


def test_illustrative_content_is_labelled() -> None:
    assert "Beispielhafter Inhalt" in guide_page(guide(illustrative=True), TODAY)
    assert "Beispielhafter Inhalt" not in guide_page(guide(), TODAY)


def test_the_page_shows_what_is_valid_on_the_day() -> None:
    sections = [
        KbSection(
            number=0,
            heading="Muss ich E-Rechnungen verschicken?",
            text="Ab dem 1. Januar 2027 bei mehr als 800.000 Euro Umsatz.",
            valid_until=date(2026, 12, 31),
        ),
        KbSection(
            number=1,
            heading="Muss ich E-Rechnungen verschicken?",
            text="Seit dem 1. Januar 2027 bei mehr als 800.000 Euro Umsatz.",
            valid_from=date(2027, 1, 1),
        ),
    ]
    dated = guide(
        summary="Papier geht noch. {{valid_until 2026-12-31: Bald nicht mehr.}}"
        "{{valid_from 2027-01-01: Für große Betriebe nicht mehr.}}",
        sections=sections,
    )
    december = guide_page(dated, date(2026, 12, 31))
    january = guide_page(dated, date(2027, 1, 1))
    assert "Ab dem 1. Januar 2027" in december
    assert "Seit dem" not in december
    assert "Bald nicht mehr." in december
    assert "Seit dem 1. Januar 2027" in january
    assert "Ab dem" not in january
    assert "Für große Betriebe nicht mehr." in january
    assert "{{" not in december + january


def test_host_and_not_found() -> None:
    assert host_of("https://www.hwk-halle.de/x") == "hwk-halle.de"
    assert "nicht gefunden" in not_found_page()
