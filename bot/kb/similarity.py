"""Character n-gram similarity between a query and each guide's profile, and
between a query and each question a guide lists.

A second opinion next to BM25: word pieces of three to five letters match typos
("nextclod"), inflections and compounds that the word analysis misses. A guide's
profile is what describes it best in few words: title and keywords (twice), summary,
the questions people ask about it and the section headings; the body text is left
out, it dilutes the profile.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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


def _vectorizer() -> TfidfVectorizer:
    """TF-IDF of character n-grams: logarithmic term frequency, smoothed inverse
    document frequency, vectors of length 1."""
    return TfidfVectorizer(
        analyzer=lambda text: list(char_grams(text).elements()), sublinear_tf=True
    )


class GuideSimilarity:
    """TF-IDF vectors of character n-grams for each guide (logarithmic term frequency,
    smoothed inverse document frequency, length 1); cosine with a query."""

    def __init__(self, profiles: Iterable[str]) -> None:
        self._vectorizer = _vectorizer()
        self._matrix = self._vectorizer.fit_transform(list(profiles))

    def scores(self, query: str) -> np.ndarray:
        """Cosine similarity (0–1) of the query with every guide, in index order."""
        return np.asarray((self._matrix @ self._vectorizer.transform([query]).T).toarray()).ravel()


@dataclass(frozen=True)
class KnownQuestion:
    """The listed question most similar to a query: its guide, the heading of the
    section that answers it (if the guide names one) and the cosine similarity."""

    guide_id: str
    section: str | None
    similarity: float


class KnownQuestions:
    """The questions the guides list (`questions:`), one TF-IDF vector of character
    n-grams each: a query that is (nearly) one of them asks what that guide answers.

    This is how an editor's "add as a question to guide X" takes effect: a question
    made of common words ("Was mache ich, wenn ein Kunde seine Daten sehen will?")
    raises its guide's BM25 too little to be answered confidently.
    """

    def __init__(self, guides: Sequence[Guide]) -> None:
        pairs = [
            ((guide.id, guide.meta.question_sections.get(question)), question)
            for guide in guides
            for question in guide.meta.questions
        ]
        self._owner = [owner for owner, _ in pairs]
        self._vectorizer = _vectorizer() if pairs else None
        if self._vectorizer is not None:
            self._matrix = self._vectorizer.fit_transform([question for _, question in pairs])

    def best(self, query: str) -> KnownQuestion | None:
        """The listed question most similar to `query`; None without questions or
        without any overlap."""
        if self._vectorizer is None:
            return None
        similarity = np.asarray(
            (self._matrix @ self._vectorizer.transform([query]).T).toarray()
        ).ravel()
        number = int(similarity.argmax())
        if similarity[number] <= 0:
            return None
        guide_id, section = self._owner[number]
        return KnownQuestion(guide_id, section, float(similarity[number]))
