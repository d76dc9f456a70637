"""Grouping similar questions: the cosine of character n-gram vectors (the 3- to
5-letter pieces the search's similarity uses, bot/kb/grams.py) after dropping
function words and the masks. The threshold is tuned on a fixture set
(tests/unit/curation/questions.yml, bench/results/curation.md)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from bot.folding import fold
from bot.kb.grams import WORD, char_grams

# on the fixture set pairwise precision 1.00, recall 0.95; at 0.28 precision falls to
# 0.95, at 0.32 recall to 0.77 (bench/results/curation.md)
THRESHOLD = 0.3
Vector = dict[str, float]

MASKS = re.compile(r"\[[^\]]{1,20}\]")
# words every question has: they would make unrelated questions look alike
_FILLER_TEXT = """
ich wir du sie er es man mein meine meinen meiner unser unsere der die das den dem
des ein eine einen einer einem und oder aber mit fuer von vom zu zum zur im in am an
auf bei aus ist sind bin hat habe hab haben wird werden kann koennen darf duerfen
muss muessen soll sollte brauche brauch braucht wie was wer wo wann warum welche
welcher gibt es da das dass ob nicht noch schon auch mal bitte hallo gibts geht denn
so dafuer damit dazu ja nein
"""
FILLER = frozenset(_FILLER_TEXT.split())


def vector(text: str) -> Vector:
    """The unit-length vector of a question's n-grams (logarithmic counts)."""
    words = [w for w in WORD.findall(fold(MASKS.sub(" ", text))) if w not in FILLER]
    weights = {gram: 1 + math.log(n) for gram, n in char_grams(" ".join(words)).items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {gram: w / norm for gram, w in weights.items()}


def similarity(a: Vector, b: Vector) -> float:
    """Cosine of two unit vectors (0–1)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(w * large.get(gram, 0.0) for gram, w in small.items())


def best_match(
    query: Vector, candidates: Iterable[tuple[int, Vector]], threshold: float = THRESHOLD
) -> int | None:
    """The id of the most similar candidate at or above `threshold`, else None."""
    best_id, best = None, threshold
    for candidate_id, candidate in candidates:
        score = similarity(query, candidate)
        if score >= best:
            best_id, best = candidate_id, score
    return best_id


def cluster(texts: Sequence[str], threshold: float = THRESHOLD) -> list[int]:
    """The group number of each text, grouped one after another as the queue does:
    a text joins the most similar group's first text, or opens a new group."""
    firsts: list[tuple[int, Vector]] = []
    labels: list[int] = []
    for text in texts:
        query = vector(text)
        found = best_match(query, firsts, threshold)
        if found is None:
            found = len(firsts)
            firsts.append((found, query))
        labels.append(found)
    return labels
