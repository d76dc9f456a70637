"""Grouping similar questions, measured on a fixture of questions people type
(questions.yml: 48 questions, 14 groups of two to four and 6 single ones).

Pairwise precision / recall of the online grouping the queue does (2026-12-06; the
sweep in bench/results/curation.md): threshold 0.30 → precision 1.00, recall 0.95
(21 groups for 20); 0.28 → 0.95 / 0.92; 0.32 → 1.00 / 0.77. On either half of the
groups alone 0.30 gives 1.00 / 0.91 and 1.00 / 1.00.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import yaml

from bot.curation.grouping import THRESHOLD, cluster, similarity, vector

GROUPS: list[list[str]] = yaml.safe_load(
    (Path(__file__).parent / "questions.yml").read_text(encoding="utf-8")
)["groups"]


def precision_recall(groups: list[list[str]], threshold: float) -> tuple[float, float]:
    """Pairwise precision and recall of `cluster` against the fixture's groups."""
    texts = [question for group in groups for question in group]
    truth = [number for number, group in enumerate(groups) for _ in group]
    labels = cluster(texts, threshold)
    both = predicted = actual = 0
    for i, j in itertools.combinations(range(len(texts)), 2):
        same, grouped = truth[i] == truth[j], labels[i] == labels[j]
        both += same and grouped
        predicted += grouped
        actual += same
    return both / max(predicted, 1), both / actual


def test_threshold_keeps_groups_apart_and_finds_most_paraphrases() -> None:
    precision, recall = precision_recall(GROUPS, THRESHOLD)
    assert precision >= 0.95
    assert recall >= 0.9


def test_masks_and_function_words_do_not_make_questions_alike() -> None:
    first = vector("Ich bin [Name], brauche ich eine Kasse?")
    second = vector("Ich bin [Name], brauche ich eine Website?")
    assert similarity(first, second) < THRESHOLD
    assert similarity(vector("TSE Pflicht?"), vector("tse pflicht")) > 0.99


def test_typos_and_inflections_still_group() -> None:
    assert cluster(["Videoüberwachung in der Werkstatt?", "videoueberwachung werkstat"]) == [0, 0]
