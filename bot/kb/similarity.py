"""Character n-gram similarity between a query and each guide's profile.

A second opinion next to BM25: word pieces of three to five letters match typos
("nextclod"), inflections and compounds that the word analysis misses. A guide's
profile is what describes it best in few words: title and keywords (twice), summary,
the questions people ask about it and the section headings; the body text is left
out, it dilutes the profile.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

import numpy as np

from bot.folding import fold
from bot.kb.guides import Guide

MIN_GRAM = 3
MAX_GRAM = 5
WORD = re.compile(r"\w+")


def char_grams(text: str) -> Counter[str]:
    """Counts of the 3- to 5-letter pieces of each folded word, padded with spaces."""
    grams: Counter[str] = Counter()
    for word in WORD.findall(fold(text)):
        padded = f" {word} "
        for size in range(MIN_GRAM, MAX_GRAM + 1):
            grams.update(padded[i : i + size] for i in range(len(padded) - size + 1))
    return grams


def guide_profile(guide: Guide) -> str:
    """The text that represents a guide for the similarity."""
    meta = guide.meta
    keywords = " ".join(meta.keywords)
    return " ".join(
        [meta.title, meta.title, keywords, keywords, meta.summary, *meta.questions]
        + [section.heading for section in guide.sections]
    )


class GuideSimilarity:
    """TF-IDF vectors of character n-grams for each guide; cosine with a query."""

    def __init__(self, profiles: Iterable[str]) -> None:
        documents = [char_grams(profile) for profile in profiles]
        frequency = Counter(gram for document in documents for gram in document)
        count = len(documents)
        self._idf = {g: math.log((1 + count) / (1 + n)) + 1 for g, n in frequency.items()}
        self._column = {gram: column for column, gram in enumerate(self._idf)}
        self._matrix = np.zeros((count, len(self._column)), dtype=np.float32)
        for row, document in enumerate(documents):
            for gram, times in document.items():
                self._matrix[row, self._column[gram]] = self._weight(gram, times)
        norms = np.linalg.norm(self._matrix, axis=1, keepdims=True)
        self._matrix /= np.where(norms > 0, norms, 1)

    def _weight(self, gram: str, times: int) -> float:
        return (1 + math.log(times)) * self._idf[gram]

    def scores(self, query: str) -> np.ndarray:
        """Cosine similarity (0–1) of the query with every guide, in index order."""
        known = [(g, n) for g, n in char_grams(query).items() if g in self._column]
        if not known:
            return np.zeros(self._matrix.shape[0])
        columns = [self._column[gram] for gram, _ in known]
        weights = np.array([self._weight(gram, times) for gram, times in known])
        return np.asarray(self._matrix[:, columns] @ (weights / np.linalg.norm(weights)))
