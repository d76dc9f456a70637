from datetime import date
from pathlib import Path

import pytest

from bot.kb.guides import GuideError, parse_guide, split_sections
from bot.kb.validate import count_sentences, validate_knowledge_base

VALID = """---
id: test-leitfaden
title: "Test: ein Leitfaden"
button_title: "Test"
topics: [e_rechnung]
trades: [baecker]
summary: Erster Satz zum 1. Januar 2025. Zweiter Satz, z. B. mit Version 2.0.
sources:
  - https://example.org/quelle
checked: 2026-11-24
review_by: 2027-11-24
keywords: [XRechnung]
---

Einleitung wird ignoriert.

## Erste Frage?
Antwort eins.

## Zweite Frage?
Antwort
über zwei Zeilen.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_guide_is_parsed_into_sections(tmp_path: Path) -> None:
    guide = parse_guide(write(tmp_path, "test-leitfaden.md", VALID))
    assert guide.id == "test-leitfaden"
    assert [s.heading for s in guide.sections] == ["Erste Frage?", "Zweite Frage?"]
    assert guide.sections[1].text == "Antwort über zwei Zeilen."
    assert validate_knowledge_base(tmp_path) == []


def test_split_sections_numbers_them_in_order() -> None:
    sections = split_sections("## A\nx\n## B\ny")
    assert [(s.number, s.heading, s.text) for s in sections] == [(0, "A", "x"), (1, "B", "y")]


def test_missing_front_matter_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(GuideError, match=r"kaputt\.md: front matter"):
        parse_guide(write(tmp_path, "kaputt.md", "## Nur Text\nohne Kopf"))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            ("topics: [e_rechnung]", "topics: [e_rechnung, quantencomputer]"),
            "topics",
            "unbekannte Themen-Id 'quantencomputer'",
        ),
        (("trades: [baecker]", "trades: [astronaut]"), "trades", "unbekannte Gewerk-Id"),
        (("  - https://example.org/quelle\n", ""), "sources", ""),
        (("checked: 2026-11-24\n", ""), "checked", ""),
        (("id: test-leitfaden", "id: anderer-name"), "id", "passt nicht zum Dateinamen"),
        (("Zweiter Satz, z. B. mit Version 2.0.", "Nur ein Satz"), "summary", "zwei Sätzen"),
        (("Antwort eins.", ""), "section 'Erste Frage?'", "ist leer"),
        (("Antwort eins.", "x" * 601), "section 'Erste Frage?'", "höchstens 600"),
        (('button_title: "Test"', 'button_title: "Ein viel zu langer Knopf"'), "button_title", ""),
    ],
)
def test_each_problem_names_file_and_field(
    tmp_path: Path, change: tuple[str, str], field: str, message: str
) -> None:
    write(tmp_path, "test-leitfaden.md", VALID.replace(*change))
    problems = validate_knowledge_base(tmp_path)
    assert problems, "expected a problem"
    assert problems[0].file == "test-leitfaden.md"
    assert problems[0].field == field
    assert message in problems[0].message


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    [problem] = validate_knowledge_base(tmp_path)
    assert problem.field == "guides"


def test_shipped_knowledge_base_is_valid_and_covers_every_topic() -> None:
    from bot.kb.guides import load_guides
    from bot.kb.taxonomy import load_taxonomy

    assert validate_knowledge_base() == []
    guides = load_guides()
    assert len(guides) >= 50
    for topic in load_taxonomy().topics:
        assert sum(topic in g.meta.topics for g in guides) >= 2, topic


def test_sentence_count_ignores_ordinals_and_abbreviations() -> None:
    assert count_sentences("Seit dem 1. Januar gilt z. B. das. Zweitens!") == 2


def test_two_guides_with_the_same_button_title_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "test-leitfaden.md", VALID)
    other = VALID.replace("id: test-leitfaden", "id: zweiter-leitfaden")
    write(tmp_path, "zweiter-leitfaden.md", other.replace('"Test"', '"test"'))
    problems = validate_knowledge_base(tmp_path)
    assert [(p.field, p.message) for p in problems] == [("button_title", "2-mal vergeben")]


THRESHOLD = """answer:
  text: "Ab 20 Leuten ja, sonst nein, so will es das Gesetz."
  section: "Erste Frage?"
  threshold:
    unit: personen
    limit: 19
    over: "Mit [Betrag] Leuten ja, denn die Grenze liegt bei 20."
    up_to: "{{valid_until 2027-12-31: Mit [Betrag] Leuten noch nicht, erst ab 20.}}"
---"""


def test_a_threshold_names_the_amount_and_may_end(tmp_path: Path) -> None:
    guide = VALID.replace("keywords: [XRechnung]\n---", f"keywords: [XRechnung]\n{THRESHOLD}")
    path = write(tmp_path, "test-leitfaden.md", guide)
    assert validate_knowledge_base(tmp_path) == []
    parsed = parse_guide(path)
    assert parsed.on(date(2027, 6, 1)).meta.answer.threshold is not None  # type: ignore[union-attr]
    assert parsed.on(date(2028, 1, 1)).meta.answer.threshold is None  # type: ignore[union-attr]
    write(tmp_path, "test-leitfaden.md", guide.replace("Mit [Betrag] Leuten ja", "Ja"))
    [problem] = validate_knowledge_base(tmp_path)
    assert problem.field == "answer.threshold.over"
    assert "[Betrag]" in problem.message
