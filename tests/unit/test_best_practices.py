from datetime import date
from pathlib import Path

import pytest

from bot.best_practices import Case, CaseFileError, load_cases, recommend_cases


def case(case_id: str, trades: list[str], topics: list[str]) -> Case:
    return Case(
        id=case_id,
        title=f"Fall {case_id}",
        trades=trades,
        topics=topics,
        situation="Die Lage war schwierig. Mehr Details.",
        what_they_did="Sie haben gehandelt.",
        result="Es hat geholfen. Noch ein Satz.",
        illustrative=True,
        checked=date(2026, 11, 24),
    )


CASES = [
    case("baecker-app", ["baecker"], ["onlinehandel"]),
    case("konditor-3d", ["konditor"], ["digitale_fertigung"]),
    case("dach-drohne", ["dachdecker"], ["aufmass_vermessung"]),
    case("tischler-shop", ["tischler"], ["onlinehandel"]),
]


def test_trade_then_group_then_topic() -> None:
    assert recommend_cases(CASES, "baecker", None, None) == ([CASES[0]], "trade")
    assert recommend_cases(CASES, "baecker", None, "digitale_fertigung") == ([CASES[1]], "group")
    assert recommend_cases(CASES, "friseur", None, "onlinehandel") == (
        [CASES[0], CASES[3]],
        "topic",
    )
    assert recommend_cases(CASES, None, "bau_ausbau", None) == ([CASES[2]], "group")
    assert recommend_cases(CASES, "friseur", None, None) == ([], "none")


def test_story_is_three_first_sentences() -> None:
    assert CASES[0].story() == "Die Lage war schwierig. Sie haben gehandelt. Es hat geholfen."


def test_a_case_needs_a_source_or_the_illustrative_mark() -> None:
    with pytest.raises(ValueError, match="source"):
        Case(
            id="x-y",
            title="Ein Fall",
            trades=["baecker"],
            topics=["onlinehandel"],
            situation="Lage lange genug.",
            what_they_did="Getan lange genug.",
            result="Ergebnis lange genug.",
            checked=date(2026, 11, 24),
        )


def test_unknown_ids_and_broken_files_are_named(tmp_path: Path) -> None:
    (tmp_path / "kaputt.md").write_text("---\nid: kaputt\ntrades: [astronaut]\n---\n")
    with pytest.raises(CaseFileError, match=r"kaputt\.md"):
        load_cases(tmp_path)


def test_shipped_cases_cover_every_trade_group() -> None:
    from bot.best_practices import shipped_cases
    from bot.kb.taxonomy import load_taxonomy

    cases = shipped_cases()
    assert len(cases) >= 30
    taxonomy = load_taxonomy()
    for group, members in taxonomy.trade_groups.items():
        assert sum(bool(set(members) & set(c.trades)) for c in cases) >= 2, group
    assert all(c.source is not None or "(Beispiel)" in c.title for c in cases)
