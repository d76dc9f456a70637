from datetime import date

from bot.db.models import KbGuide, KbSection
from bot.pages import guide_page, host_of, not_found_page


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
    html = guide_page(guide())
    assert "<h1>Kasse &lt;b&gt;TSE&lt;/b&gt;</h1>" in html
    assert "Stand der Fakten: 24.11.2026" in html
    assert '<section id="abschnitt-0">' in html
    assert "Frage &lt;script&gt;" in html
    assert "<script>" not in html
    assert "Antwort &amp; mehr" in html
    assert 'href="https://www.example.org/a?b=1&amp;c=&lt;2&gt;"' in html
    assert ">example.org<" in html


def test_illustrative_content_is_labelled() -> None:
    assert "Beispielhafter Inhalt" in guide_page(guide(illustrative=True))
    assert "Beispielhafter Inhalt" not in guide_page(guide())


def test_host_and_not_found() -> None:
    assert host_of("https://www.hwk-halle.de/x") == "hwk-halle.de"
    assert "nicht gefunden" in not_found_page()
