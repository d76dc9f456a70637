import numpy as np

from bot.kb.grams import char_grams
from bot.kb.similarity import GuideSimilarity


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
