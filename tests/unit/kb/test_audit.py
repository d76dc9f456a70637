"""`kb audit`: review dates, sections that end, tense of dates, sources."""

from datetime import date
from pathlib import Path

import pytest

from bot.kb.audit import (
    audit_guide,
    is_authority,
    is_home_page,
    load_authorities,
    source_name,
    tense_problems,
)
from bot.kb.guides import parse_guide

GUIDE = """---
id: pruefling
title: "Ein Leitfaden zum Prüfen"
button_title: "Prüfen"
topics: [e_rechnung]
summary: Erster Satz. Zweiter Satz.
sources:
  - https://www.gesetze-im-internet.de/ustg_1980/__14.html
  - https://www.beispiel-kanzlei.de/
checked: 2026-12-05
review_by: 2027-06-30
---

## Muss ich E-Rechnungen verschicken?
<!-- valid_until: 2026-12-31 -->
Ab dem 1. Januar 2027 bei mehr als 800.000 Euro Vorjahresumsatz.

## Muss ich E-Rechnungen verschicken?
<!-- valid_from: 2027-01-01 -->
Seit dem 1. Januar 2027 bei mehr als 800.000 Euro Vorjahresumsatz.

## Wie lange gibt es die Beratungsförderung?
<!-- valid_until: 2026-12-31 -->
Anträge gehen noch bis zum 31. Dezember 2026.
"""


@pytest.fixture
def guide_file(tmp_path: Path) -> Path:
    path = tmp_path / "pruefling.md"
    path.write_text(GUIDE, encoding="utf-8")
    return path


def test_a_correct_guide_has_only_the_expected_findings(guide_file: Path) -> None:
    findings = audit_guide(parse_guide(guide_file), date(2026, 12, 5), load_authorities())
    due = [str(f) for f in findings if f.due]
    notes = [str(f) for f in findings if not f.due]
    assert (
        due
        == [
            "FÄLLIG  pruefling: sources: https://www.beispiel-kanzlei.de/ ist nur eine Startseite",
            "FÄLLIG  pruefling: Abschnitt „Wie lange gibt es die Beratungsförderung?“: "
            "gilt nur bis 2026-12-31, ohne Folgefassung",
        ][::-1]
    )
    assert len(notes) == 1
    assert "Folgefassung steht bereit" in notes[0]


def test_in_january_the_old_version_is_gone_and_nothing_is_in_the_wrong_tense(
    guide_file: Path,
) -> None:
    findings = audit_guide(parse_guide(guide_file), date(2027, 1, 2), load_authorities())
    assert [f.kind for f in findings if f.due] == ["sources"]


def test_past_review_date_is_due(guide_file: Path) -> None:
    findings = audit_guide(parse_guide(guide_file), date(2027, 7, 1), load_authorities())
    assert any(f.kind == "review_by" and f.due for f in findings)


@pytest.mark.parametrize(
    ("text", "on", "problem"),
    [
        ("Ab dem 1. Januar 2025 muss jeder Betrieb sie annehmen.", date(2026, 12, 5), "„ab"),
        ("Seit dem 1. Januar 2027 gilt die Pflicht.", date(2026, 12, 5), "„seit"),
        ("Anträge stellen Sie bis zum 31. Dezember 2026.", date(2027, 1, 2), "„bis"),
        ("Die Pflicht wird ab 01.01.2027 gelten.", date(2027, 3, 1), "„ab"),
    ],
)
def test_dates_in_the_wrong_tense_are_found(text: str, on: date, problem: str) -> None:
    [found] = tense_problems(text, on)
    assert found.startswith(problem)


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("Seit dem 1. Januar 2025 muss jeder Betrieb sie annehmen.", date(2026, 12, 5)),
        ("Ab dem 1. Januar 2027 gilt die Pflicht, z. B. für GmbHs.", date(2026, 12, 5)),
        ("Alte Kassen mussten bis zum 31. Juli 2025 gemeldet werden.", date(2026, 12, 5)),
        ("Das Programm lief bis 31.12.2023 und ist beendet.", date(2026, 12, 5)),
        ("Bis zum 31. Dezember 2027 sind Papierrechnungen erlaubt.", date(2026, 12, 5)),
    ],
)
def test_correct_tenses_are_left_alone(text: str, on: date) -> None:
    assert tense_problems(text, on) == []


def test_authorities_and_home_pages() -> None:
    patterns = load_authorities()
    for url in (
        "https://www.bsi.bund.de/DE/Themen/x.html",
        "https://www.hwk-halle.de/artikel/x",
        "https://www.hwkhalle.de/x",
        "https://www.ihk.de/halle/x",
        "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
        "https://mw.sachsen-anhalt.de/x",
        "https://sachsen-anhalt.de/x",
    ):
        assert is_authority(url, patterns), url
    for url in ("https://www.anwalt.de/x", "https://support.google.com/business/answer/1"):
        assert not is_authority(url, patterns), url
    assert is_home_page("https://www.anwalt.de/")
    assert is_home_page("https://pagespeed.web.dev")
    assert not is_home_page("https://www.anwalt.de/rechtstipps/x.html")
    assert not is_home_page("https://example.org/?id=5")


def test_the_answer_names_the_authority() -> None:
    assert source_name("https://www.bsi.bund.de/DE/x.html") == (
        "Bundesamt für Sicherheit in der Informationstechnik (BSI)"
    )
    assert source_name("https://www.hwk-hamburg.de/artikel/x") == "Handwerkskammer (hwk-hamburg.de)"
    assert source_name("https://halle.ihk.de/x") == "IHK (halle.ihk.de)"
    assert source_name("https://www.example.org/x") is None
