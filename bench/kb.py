"""Knowledge-base search benchmark: topic accuracy, hit@3, MRR and latency.

The labelled questions (bench/data/kb_questions.yml) were written before tuning and
split into halves; the figures that count are `test`. Tuning looks only at `tune` and
at the dev sets `dev` to `dev4` (bench/data/kb_dev*.yml, written later, each by
someone who saw neither the guides nor the other questions). `dev5`, written the same
way, is never tuned on: it shows how the search does on questions nobody has looked
at (`dev4` played that part until it was measured once, then became a dev set).
`new` (bench/data/kb_new.yml) asks about the content added in issue 14 (NIS2, AI Act,
drones, withdrawal button, the January 2027 change, IT emergencies, seven trades'
own guides), written by someone who had not read the new guides; never tuned on.
A plain BM25 (lower-case word tokens, no German analysis, no field weights, no
synonyms) runs on the same questions in the same run as the baseline.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import yaml

from actions.answering import find_answer
from actions.kb_index import knowledge_index
from bench.report import save
from bot.config import ROOT
from bot.kb import search
from bot.kb.guides import Guide
from bot.kb.search import is_confident
from bot.kb.taxonomy import load_taxonomy

QUESTIONS = ROOT / "bench" / "data" / "kb_questions.yml"
DEV_QUESTIONS = tuple(
    ROOT / "bench" / "data" / f"kb_{name}.yml"
    for name in ("dev", "dev2", "dev3", "dev4", "dev5", "new")
)
SPLITS = ("test", "dev5", "new", "tune", "dev", "dev2", "dev3", "dev4")
HELDOUT_NLU = ROOT / "tests" / "nlu" / "heldout.yml"
MODEL = ROOT / "models" / "werkbot.tar.gz"
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"

Ranker = Callable[[str, str | None], list[Guide]]


@dataclass(frozen=True)
class Question:
    """A labelled benchmark question."""

    text: str
    topics: tuple[str, ...]
    trade: str | None
    split: str


def load_questions(paths: tuple[Path, ...] = (QUESTIONS, *DEV_QUESTIONS)) -> list[Question]:
    """The labelled questions of every split."""
    return [
        Question(q["q"], tuple(q["topics"]), q.get("trade"), q["split"])
        for path in paths
        for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    ]


def plain_tokens(text: str) -> list[str]:
    """Lower-case word tokens: the baseline's whole analysis."""
    return re.findall(r"\w+", text.lower())


class PlainBM25:
    """Baseline: BM25 over title and section text, no German analysis."""

    def __init__(self, guides: list[Guide]) -> None:
        self.entries = [(g, s) for g in guides for s in g.sections]
        self.bm25 = bm25s.BM25()
        corpus = [plain_tokens(f"{g.meta.title} {s.heading} {s.text}") for g, s in self.entries]
        self.bm25.index(corpus, show_progress=False)
        self.vocab = self.bm25.vocab_dict

    def rank(self, query: str, _trade: str | None) -> list[Guide]:
        terms = [t for t in plain_tokens(query) if t in self.vocab]
        if not terms:
            return []
        scores = self.bm25.get_scores(terms)
        ranked: list[Guide] = []
        for position in np.argsort(-scores):
            if scores[position] <= 0:
                break
            guide = self.entries[int(position)][0]
            if guide not in ranked:
                ranked.append(guide)
        return ranked[:10]


def evaluate(rank: Ranker, questions: list[Question]) -> dict[str, float]:
    """Top-1 topic accuracy, hit@3, MRR (over the top 10) and latency in ms."""
    top1 = hit3 = 0
    reciprocal: list[float] = []
    latencies: list[float] = []
    for question in questions:
        started = time.perf_counter()
        guides = rank(question.text, question.trade)
        latencies.append((time.perf_counter() - started) * 1000)
        correct = [any(t in g.meta.topics for t in question.topics) for g in guides[:10]]
        top1 += bool(correct[:1] and correct[0])
        hit3 += any(correct[:3])
        reciprocal.append(1 / (correct.index(True) + 1) if True in correct else 0.0)
    latencies.sort()
    count = len(questions)
    return {
        "questions": count,
        "top1": round(top1 / count, 3),
        "hit_at_3": round(hit3 / count, 3),
        "mrr": round(statistics.mean(reciprocal), 3),
        "p50_ms": round(latencies[count // 2], 2),
        "p95_ms": round(latencies[min(count - 1, round(0.95 * (count - 1)))], 2),
    }


def nlu_topics(texts: list[str], model: Path = MODEL) -> dict[str, str | None]:
    """The topic the trained Rasa model recognises in each text ({} without a model)."""
    if not model.exists():
        return {}
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as handle:
        handle.write("\n".join(texts))
        handle.flush()
        output = subprocess.run(
            [
                str(RASA_PYTHON),
                str(ROOT / "bench" / "rasa_parse_entities.py"),
                str(model),
                handle.name,
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    entities: dict[str, dict[str, str]] = json.loads(output.strip().splitlines()[-1])
    return {text: found.get("topic") for text, found in entities.items()}


def product_ranker(topics: dict[str, str | None]) -> Ranker:
    """The answer the action gives: NLU topic boost, confidence threshold, tailored
    guide first, then two related guides (nothing when it would not answer)."""

    def rank(query: str, trade: str | None) -> list[Guide]:
        group = load_taxonomy().group_of(trade) if trade else None
        found = find_answer(query, trade, group, topics.get(query.strip()))
        return [hit.guide for hit in (found[0], *found[1])] if found else []

    return rank


def out_of_scope_questions(path: Path = HELDOUT_NLU) -> list[str]:
    """Held-out out-of-scope utterances of the NLU data (never seen by the search)."""
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        if block.get("intent") == "out_of_scope":
            return [line.removeprefix("- ").strip() for line in block["examples"].splitlines()]
    return []


@contextmanager
def known_questions_off() -> Iterator[None]:
    """The search without its known-question match (the same-run baseline for it)."""
    threshold = search.KNOWN_QUESTION_THRESHOLD
    search.KNOWN_QUESTION_THRESHOLD = float("inf")
    try:
        yield
    finally:
        search.KNOWN_QUESTION_THRESHOLD = threshold


def run() -> dict[str, Any]:
    """Run the benchmark on both halves for both systems."""
    index = knowledge_index()  # the action's index, built when actions.answering loads
    guides = list(index.guides.values())
    baseline = PlainBM25(guides)

    def werkbot(query: str, trade: str | None) -> list[Guide]:
        return [hit.guide for hit in index.search(query, [trade] if trade else [], limit=10)]

    def without_known_questions(query: str, trade: str | None) -> list[Guide]:
        with known_questions_off():
            return werkbot(query, trade)

    questions = load_questions()
    topics = nlu_topics([q.text for q in questions])
    results: dict[str, Any] = {"guides": len(guides), "sections": len(index.entries)}
    for split in SPLITS:
        chosen = [q for q in questions if q.split == split]
        results[split] = {
            "werkbot": evaluate(werkbot, chosen),
            "no_known_questions": evaluate(without_known_questions, chosen),
            "plain_bm25": evaluate(baseline.rank, chosen),
        }
        if topics:
            results[split]["answer_with_nlu"] = evaluate(product_ranker(topics), chosen)
    test = [q for q in questions if q.split == "test"]
    unrelated = out_of_scope_questions()
    results["confidence"] = {
        "test_answered": round(
            sum(is_confident(index.search(q.text, [q.trade] if q.trade else [])) for q in test)
            / len(test),
            3,
        ),
        "out_of_scope_refused": round(
            sum(not is_confident(index.search(text)) for text in unrelated) / len(unrelated), 3
        ),
        "out_of_scope_questions": len(unrelated),
    }
    with known_questions_off():
        results["confidence"]["out_of_scope_refused_without_known"] = round(
            sum(not is_confident(index.search(text)) for text in unrelated) / len(unrelated), 3
        )
    return results


def markdown(results: dict[str, Any]) -> str:
    """The results as a table."""
    lines = [
        "# Knowledge-base search benchmark",
        "",
        f"{results['guides']} guides, {results['sections']} sections. `make bench-kb`.",
        "",
        "| half | system | questions | top-1 | hit@3 | MRR | p50 ms | p95 ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for split in SPLITS:
        for system in results[split]:
            r = results[split][system]
            lines.append(
                f"| {split} | {system} | {r['questions']} | {r['top1']} | {r['hit_at_3']} | "
                f"{r['mrr']} | {r['p50_ms']} | {r['p95_ms']} |"
            )
    confidence = results["confidence"]
    lines += [
        "",
        "werkbot: the search alone (labelled trade, no topic). no_known_questions: the",
        "same without the match against the questions the guides list (issue 18's",
        "'add as a question'; KNOWN_QUESTION_THRESHOLD). answer_with_nlu: what the",
        "action answers (find_answer) with the topic the trained Rasa model recognises in",
        "the question; a question it would not answer counts as a miss. plain_bm25: the",
        "baseline without German analysis.",
    ]
    lines += [
        "",
        f"Confidence threshold: {confidence['test_answered']:.0%} of the test questions are "
        f"answered; {confidence['out_of_scope_refused']:.0%} of "
        f"{confidence['out_of_scope_questions']} held-out out-of-scope messages are refused "
        f"({confidence['out_of_scope_refused_without_known']:.0%} without the known-question "
        "match).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run and write bench/results/kb.json and kb.md."""
    results = run()
    save("kb", results, markdown(results))


if __name__ == "__main__":
    main()
