"""Character n-gram similarity between a query and each guide's profile.

A second opinion next to BM25: word pieces of three to five letters match typos
("nextclod"), inflections and compounds that the word analysis misses. A guide's
profile is what describes it best in few words: title and keywords (twice), summary,
the questions people ask about it and the section headings; the body text is left
out, it dilutes the profile.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.kb.grams import char_grams
from bot.kb.guides import Guide


def guide_profile(guide: Guide) -> str:
    """The text that represents a guide for the similarity."""
    meta = guide.meta
    keywords = " ".join(meta.keywords)
    return " ".join(
        [meta.title, meta.title, keywords, keywords, meta.summary, *meta.questions]
        + [section.heading for section in guide.sections]
    )


class GuideSimilarity:
    """TF-IDF vectors of character n-grams for each guide (logarithmic term frequency,
    smoothed inverse document frequency, length 1); cosine with a query."""

    def __init__(self, profiles: Iterable[str]) -> None:
        self._vectorizer = TfidfVectorizer(
            analyzer=lambda text: list(char_grams(text).elements()), sublinear_tf=True
        )
        self._matrix = self._vectorizer.fit_transform(list(profiles))

    def scores(self, query: str) -> np.ndarray:
        """Cosine similarity (0–1) of the query with every guide, in index order."""
        return np.asarray((self._matrix @ self._vectorizer.transform([query]).T).toarray()).ravel()
