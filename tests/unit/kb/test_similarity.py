from dataclasses import replace

import numpy as np

from bot.kb.grams import char_grams
from bot.kb.guides import load_guides
from bot.kb.similarity import GuideSimilarity, KnownQuestions


def test_char_grams_are_folded_and_padded() -> None:
    grams = char_grams("Bäcker")
    assert grams[" ba"] == 1
    assert grams["er "] == 1
    assert "äck" not in grams
    assert grams["aeck"] == 1
    assert char_grams("!!!") == {}


def test_the_closest_profile_wins_even_with_a_typo() -> None:
    similarity = GuideSimilarity(
        ["Nextcloud Dateien teilen Cloud", "Kasse TSE Belegpflicht", "Instagram Beiträge"]
    )
    scores = similarity.scores("nextclod selbst hosten")
    assert int(np.argmax(scores)) == 0
    assert 0 < scores[0] <= 1
    assert scores[1] == 0


def test_unknown_text_scores_zero_everywhere() -> None:
    similarity = GuideSimilarity(["Kasse TSE"])
    assert similarity.scores("xyzq").tolist() == [0.0]
    assert similarity.scores("").tolist() == [0.0]


def test_known_questions_name_the_guide_of_the_closest_question() -> None:
    guides = load_guides()
    known = KnownQuestions(guides)
    listed = next(g for g in guides if g.meta.questions)
    best = known.best(listed.meta.questions[0].upper())
    assert best is not None
    owner = next(g for g in guides if g.id == best.guide_id)
    assert listed.meta.questions[0] in owner.meta.questions
    assert best.similarity > 0.99
    assert known.best("xyzq") is None


def test_guides_without_questions_know_none() -> None:
    guide = load_guides()[0]
    bare = replace(guide, meta=guide.meta.model_copy(update={"questions": []}))
    assert KnownQuestions([bare]).best(guide.meta.title) is None
    assert KnownQuestions([]).best("Kasse TSE") is None


def test_a_known_question_names_the_section_its_guide_gives_it() -> None:
    guide = next(g for g in load_guides() if g.id == "datenschutz-kundenanfragen-fotos")
    question = "Was mache ich, wenn ein Kunde seine Daten sehen will?"
    heading = guide.sections[0].heading
    meta = guide.meta.model_copy(
        update={
            "questions": [*guide.meta.questions, question],
            "question_sections": {question: heading},
        }
    )
    best = KnownQuestions([replace(guide, meta=meta)]).best(question)
    assert best is not None
    assert (best.guide_id, best.section) == (guide.id, heading)
    other = KnownQuestions([replace(guide, meta=meta)]).best(guide.meta.questions[0])
    assert other is not None
    assert other.section is None
