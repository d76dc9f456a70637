"""Dated sections and sentence blocks: the guide as it reads on a day, and their checks."""

from datetime import date
from pathlib import Path

from bot.kb.guides import parse_guide
from bot.kb.validate import validate_knowledge_base
from bot.kb.validity import Validity, resolve, section_validity

DATED = """---
id: e-rechnung-test
title: "E-Rechnung {{valid_until 2026-12-31: bald}}{{valid_from 2027-01-01: jetzt}} Pflicht"
button_title: "E-Rechnung"
topics: [e_rechnung]
summary: >-
  Papierrechnungen gehen bis Ende 2027. {{valid_until 2026-12-31: Ab dem 1. Januar 2027
  gilt die Pflicht für große Betriebe.}}{{valid_from 2027-01-01: Seit dem 1. Januar 2027
  gilt die Pflicht für große Betriebe.}}
sources:
  - https://www.bundesfinanzministerium.de/e-rechnung
checked: 2026-12-05
review_by: 2027-11-24
answer:
  text: >-
    {{valid_until 2026-12-31: Ab dem 1. Januar 2027, wenn der Vorjahresumsatz über 800.000
    Euro lag.}}{{valid_from 2027-01-01: Seit dem 1. Januar 2027, wenn der Vorjahresumsatz
    über 800.000 Euro lag.}}
  section: Muss ich E-Rechnungen verschicken?
---

## Muss ich E-Rechnungen verschicken?
<!-- valid_until: 2026-12-31 -->
Ab dem 1. Januar 2027 bei mehr als 800.000 Euro Vorjahresumsatz.

## Muss ich E-Rechnungen verschicken?
<!-- valid_from: 2027-01-01 -->
Seit dem 1. Januar 2027 bei mehr als 800.000 Euro Vorjahresumsatz.

## Was gilt ab 2028?
Ab dem 1. Januar 2028 für alle Betriebe.
"""


def test_blocks_resolve_for_the_day_both_days_included() -> None:
    text = "A. {{valid_until 2026-12-31: B.}}{{valid_from 2027-01-01: C.}} D."
    assert resolve(text, date(2026, 12, 31)) == "A. B. D."
    assert resolve(text, date(2027, 1, 1)) == "A. C. D."
    assert resolve("ohne Block", date(2027, 1, 1)) == "ohne Block"


def test_section_marks_are_read_and_removed() -> None:
    validity, text = section_validity(
        "\n<!-- valid_from: 2027-01-01 -->\n<!-- valid_until: 2027-12-31 -->\nText."
    )
    assert validity == Validity(date(2027, 1, 1), date(2027, 12, 31))
    assert text == "Text."
    assert validity.covers(date(2027, 1, 1))
    assert validity.covers(date(2027, 12, 31))
    assert not validity.covers(date(2026, 12, 31))
    assert not validity.overlaps(Validity(None, date(2026, 12, 31)))
    assert validity.overlaps(Validity(date(2027, 12, 31), None))


def test_the_guide_reads_right_on_both_sides_of_the_date(tmp_path: Path) -> None:
    path = tmp_path / "e-rechnung-test.md"
    path.write_text(DATED, encoding="utf-8")
    guide = parse_guide(path)
    before, after = guide.on(date(2026, 12, 20)), guide.on(date(2027, 1, 5))
    assert before.meta.title == "E-Rechnung bald Pflicht"
    assert after.meta.title == "E-Rechnung jetzt Pflicht"
    assert [s.text[:12] for s in before.sections] == ["Ab dem 1. Ja", "Ab dem 1. Ja"]
    assert [s.text[:12] for s in after.sections] == ["Seit dem 1. ", "Ab dem 1. Ja"]
    assert before.meta.answer is not None
    assert after.meta.answer is not None
    assert before.meta.answer.text.startswith("Ab dem 1. Januar 2027")
    assert after.meta.answer.text.startswith("Seit dem 1. Januar 2027")
    assert "Ab dem 1. Januar 2027" in before.meta.summary
    assert "Seit dem 1. Januar 2027" in after.meta.summary
    assert validate_knowledge_base(tmp_path) == []


def test_overlapping_variants_and_broken_blocks_are_reported(tmp_path: Path) -> None:
    broken = DATED.replace("<!-- valid_from: 2027-01-01 -->", "<!-- valid_from: 2026-12-01 -->")
    broken = broken.replace("für alle Betriebe.", "für alle {{valid_from 2028: Betriebe}}.")
    (tmp_path / "e-rechnung-test.md").write_text(broken, encoding="utf-8")
    messages = [str(p) for p in validate_knowledge_base(tmp_path)]
    assert any("doppelt an denselben Tagen" in m for m in messages)
    assert any("kein gültiger Block" in m for m in messages)


def test_each_dated_version_is_checked(tmp_path: Path) -> None:
    long_after = "Seit dem 1. Januar 2027 " + "sehr lang " * 70
    (tmp_path / "e-rechnung-test.md").write_text(
        DATED.replace(
            "Seit dem 1. Januar 2027 bei mehr als 800.000 Euro Vorjahresumsatz.", long_after
        ),
        encoding="utf-8",
    )
    messages = [str(p) for p in validate_knowledge_base(tmp_path)]
    assert any("höchstens 600 (am 01.01.2027)" in m for m in messages)
