"""Which topic a question is about: a classifier learnt from labelled questions.

BM25 and the n-gram similarity weigh the words of a question by how rare they are, not
by what they say about its topic: "Gibt es Geld vom Land für einen 3D-Drucker?" is about
funding, although most of its words are about 3D printing. A logistic regression over
the search terms and character n-grams of labelled questions learns which words decide
the topic. It learns from each guide's title and questions (labelled with the guide's
first topic) and from the `ask_digitalisation` examples of the NLU data that are
annotated with exactly one topic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

import yaml
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.config import ROOT
from bot.folding import fold
from bot.kb.guides import Guide

NLU_DIR = ROOT / "data" / "nlu"
# [text]{"entity": "topic", "value": "e_rechnung"} or [text](topic)
ENTITY = re.compile(r"\[(?P<text>[^\]]+)\](?:\{(?P<json>[^}]*)\}|\((?P<name>[^)]*)\))")
# Inverse regularisation strength (tuned on the tune half and the dev sets: 3–30 alike).
REGULARISATION_C = 10.0

LabelledText = tuple[str, str]


def _topics_of(example: str) -> set[str]:
    """The topic values annotated in one NLU example."""
    values: set[str] = set()
    for match in ENTITY.finditer(example):
        if match["json"] is not None:
            entity = json.loads("{" + match["json"] + "}")
            if entity.get("entity") == "topic":
                values.add(str(entity.get("value", match["text"])))
        elif match["name"] == "topic":
            values.add(match["text"])
    return values


def nlu_topic_examples(topics: Collection[str], directory: Path = NLU_DIR) -> list[LabelledText]:
    """(text, topic) of every `ask_digitalisation` example annotated with one topic id."""
    examples: list[LabelledText] = []
    for path in sorted(directory.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if block.get("intent") != "ask_digitalisation":
                continue
            for line in block["examples"].splitlines():
                example = line.strip().removeprefix("- ")
                found = _topics_of(example)
                if len(found) == 1 and (topic := found.pop()) in topics:
                    examples.append((ENTITY.sub(r"\g<text>", example), topic))
    return examples


def guide_examples(guides: Iterable[Guide]) -> list[LabelledText]:
    """(text, topic) of every guide's title and questions, with its first topic."""
    return [
        (text, guide.meta.topics[0])
        for guide in guides
        for text in (guide.meta.title, *guide.meta.questions)
    ]


class TopicClassifier:
    """Multinomial logistic regression: topic probabilities of a question."""

    def __init__(self, examples: list[LabelledText], terms: Callable[[str], list[str]]) -> None:
        # search terms, and character n-grams of the folded words
        self._vectorizers = (
            TfidfVectorizer(analyzer=terms, sublinear_tf=True),
            TfidfVectorizer(
                analyzer="char_wb", ngram_range=(3, 5), preprocessor=fold, sublinear_tf=True
            ),
        )
        texts, labels = zip(*examples, strict=True)
        matrix = hstack([vectorizer.fit_transform(texts) for vectorizer in self._vectorizers])
        self._model = LogisticRegression(C=REGULARISATION_C, solver="saga", max_iter=3000).fit(
            csr_matrix(matrix), labels
        )
        self.topics: tuple[str, ...] = tuple(str(topic) for topic in self._model.classes_)

    def probabilities(self, text: str) -> dict[str, float]:
        """Probability of each known topic for `text` (they sum to 1)."""
        features = hstack([vectorizer.transform([text]) for vectorizer in self._vectorizers])
        row = self._model.predict_proba(csr_matrix(features))[0]
        return {topic: float(p) for topic, p in zip(self.topics, row, strict=True)}
