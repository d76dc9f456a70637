from dataclasses import replace
from pathlib import Path

import pytest

from bot.kb import search
from bot.kb.guides import load_guides
from bot.kb.search import CONFIDENCE_THRESHOLD, KnowledgeIndex, TypoCorrector, is_confident


@pytest.fixture(scope="module")
def index() -> KnowledgeIndex:
    return KnowledgeIndex.from_files()


def test_compound_query_finds_the_part_kasse(index: KnowledgeIndex) -> None:
    hits = index.search("Kassensystem")
    assert hits
    assert "kasse_tse" in hits[0].guide.meta.topics


def test_abbreviation_and_lower_case(index: KnowledgeIndex) -> None:
    assert "kasse_tse" in index.search("tse pflicht")[0].guide.meta.topics
    assert "datenschutz" in index.search("dsgvo")[0].guide.meta.topics


def test_trade_boost_prefers_the_guide_for_that_trade(index: KnowledgeIndex) -> None:
    for trade, other in (("friseur", "baecker"), ("baecker", "friseur")):
        ranked = [hit.guide for hit in index.search("Kasse TSE Beleg", [trade])]
        own = next(i for i, g in enumerate(ranked) if trade in g.meta.trades)
        foreign = next(i for i, g in enumerate(ranked) if other in g.meta.trades)
        assert own <= 1, trade
        assert own < foreign


def test_one_hit_per_guide_sorted_by_score(index: KnowledgeIndex) -> None:
    hits = index.search("E-Rechnung empfangen", limit=5)
    assert len({hit.guide.id for hit in hits}) == len(hits)
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_unrelated_question_is_below_the_threshold(index: KnowledgeIndex) -> None:
    assert not is_confident(index.search("Wer wird Meister in der Bundesliga?"))
    assert index.search("") == []
    assert is_confident(index.search("Muss ich E-Rechnungen empfangen können?"))
    assert CONFIDENCE_THRESHOLD > 0


def test_typo_corrector_finds_terms_one_edit_away() -> None:
    corrector = TypoCorrector(["instagram", "rechnung"])
    assert corrector.correct("instagramm") == ["instagram"]
    assert corrector.correct("rechnug") == ["rechnung"]
    assert corrector.correct("xyzxyzxyz") == []


def test_hit_json_follows_the_cli_contract(index: KnowledgeIndex) -> None:
    data = index.search("Phishing Mail erkennen")[0].to_json("http://127.0.0.1:8080")
    assert set(data) >= {"id", "title", "topics", "url", "score"}
    assert data["url"] == f"http://127.0.0.1:8080/wissen/{data['id']}"


def test_index_builds_from_a_small_folder(tmp_path: Path) -> None:
    guides = load_guides()[:3]
    small = KnowledgeIndex(guides, [["tse", "technische sicherheitseinrichtung"]])
    assert len(small.guides) == 3


def test_one_word_of_a_synonym_phrase_does_not_trigger_its_group(index: KnowledgeIndex) -> None:
    extra = index.analyzer.synonym_terms(["fertig", "nicht", "anfang"])
    assert "3ddruck" not in extra
    assert "additiv" in index.analyzer.synonym_terms(["3d", "druck", "3ddruck"])


def test_ranking_adds_similarity_but_confidence_judges_bm25(index: KnowledgeIndex) -> None:
    hits = index.search("Kassensystem Bäckerei")
    assert all(hit.score >= hit.relevance > 0 for hit in hits)
    assert hits[0].score > hits[0].relevance


def test_ranking_adds_the_probability_of_each_guide_s_topic(
    index: KnowledgeIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = "Reicht ein USB-Stick als Sicherung?"
    every = len(index.guides)
    with_model = {hit.guide.id: hit for hit in index.search(question, limit=every)}
    monkeypatch.setattr(search, "TOPIC_MODEL_WEIGHT", 0.0)
    without = {hit.guide.id: hit for hit in index.search(question, limit=every)}
    assert with_model.keys() == without.keys()
    gains = {gid: with_model[gid].score - without[gid].score for gid in without}
    assert all(gain >= 0 for gain in gains.values())
    assert all(with_model[gid].relevance == without[gid].relevance for gid in without)
    assert "it_sicherheit" in index.guides[max(gains, key=gains.__getitem__)].meta.topics


def test_a_place_name_does_not_match_the_guides_naming_the_chambers(
    index: KnowledgeIndex,
) -> None:
    hits = index.search("Wir sind eine Zimmerei aus Magdeburg, bei Google findet uns keiner")
    assert "online_sichtbarkeit" in hits[0].guide.meta.topics


def test_a_typo_in_a_guide_s_questions_does_not_stop_its_correction() -> None:
    guides = {g.id: g for g in load_guides()}
    invoice = guides["e-rechnung-empfangen"]
    questions = ["Was kostet eine hompage für den Betrieb?"]
    with_typo = replace(invoice, meta=invoice.meta.model_copy(update={"questions": questions}))
    small = KnowledgeIndex([guides["website-aufbau-pflege"], with_typo], [])
    assert small.search("hompage")[0].guide.id == "website-aufbau-pflege"


def test_a_question_a_guide_lists_is_answered_by_that_guide() -> None:
    guides = {g.id: g for g in load_guides()}
    privacy = guides["datenschutz-kundenanfragen-fotos"]
    question = "Was mache ich, wenn ein Kunde seine Daten sehen will?"
    rest = [g for g in guides.values() if g.id != privacy.id]
    without = KnowledgeIndex([privacy, *rest], [])
    assert not is_confident(without.search(question))
    listed = replace(
        privacy,
        meta=privacy.meta.model_copy(update={"questions": [*privacy.meta.questions, question]}),
    )
    index = KnowledgeIndex([listed, *rest], [])
    for typed in (question, "was mache ich wenn ein kunde seine daten sehen will"):
        hits = index.search(typed)
        assert hits[0].guide.id == privacy.id
        assert is_confident(hits)
        assert hits[0].score > hits[1].score
    assert index.search("Wie lange muss ich Rechnungen aufbewahren?")[0].guide.id != privacy.id
