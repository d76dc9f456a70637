"""Checks of the whole knowledge base beyond the schema of a single file."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.kb.ended import ENDED_FILE, load_ended_programmes
from bot.kb.guides import GUIDES_DIR, GuideError, guide_paths, parse_guide
from bot.kb.taxonomy import Taxonomy, load_taxonomy

MAX_SECTION_CHARS = 600
SUMMARY_SENTENCES = 2
MAX_ANSWER_SENTENCES = 2


@dataclass(frozen=True)
class Problem:
    """One error: the file, the field and what is wrong."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


ABBREVIATIONS = re.compile(
    r"\b(?:z\. ?B|u\. ?a|d\. ?h|bzw|ca|vgl|inkl|max|min|Mio|Mrd|Nr|Abs|Art|ggf|usw|etc|evtl)\."
)
ORDINAL = re.compile(r"(?<![\d.])\d{1,2}\.(?=\s)")
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def count_sentences(text: str) -> int:
    """Sentences ending in . ! or ?; ordinals ("1. Januar") and abbreviations aside."""
    return len(SENTENCE_END.findall(ORDINAL.sub("", ABBREVIATIONS.sub("", text))))


def ended_programme_problems(path: Path = ENDED_FILE) -> list[Problem]:
    """Problems of the list of ended programmes (schema, regexes)."""
    try:
        load_ended_programmes(path)
    except (OSError, ValueError, yaml.YAMLError, re.error) as error:
        return [Problem(path.name, "programmes", str(error).splitlines()[0])]
    return []


def validate_knowledge_base(
    directory: Path = GUIDES_DIR, taxonomy: Taxonomy | None = None
) -> list[Problem]:
    """Every problem of every guide in `directory`; an empty list means valid."""
    taxonomy = taxonomy or load_taxonomy()
    problems: list[Problem] = []
    ids: Counter[str] = Counter()
    for path in guide_paths(directory):
        try:
            guide = parse_guide(path)
        except GuideError as error:
            problems.append(Problem(path.name, error.field, error.message))
            continue
        meta = guide.meta
        ids[meta.id] += 1

        def report(field: str, message: str, name: str = path.name) -> None:
            problems.append(Problem(name, field, message))

        if path.stem != meta.id:
            report("id", f"'{meta.id}' passt nicht zum Dateinamen '{path.stem}'")
        for topic in meta.topics:
            if topic not in taxonomy.topics:
                report("topics", f"unbekannte Themen-Id '{topic}'")
        for trade in meta.trades:
            if trade not in taxonomy.trades:
                report("trades", f"unbekannte Gewerk-Id '{trade}'")
        if count_sentences(meta.summary) != SUMMARY_SENTENCES:
            report("summary", "muss aus genau zwei Sätzen bestehen")
        if not guide.sections:
            report("sections", "keine ##-Abschnitte")
        if meta.ask_trade and meta.trades:
            report("ask_trade", "nur für allgemeine Leitfäden (trades: [])")
        if meta.answer is not None:
            if guide.section_titled(meta.answer.section) is None:
                report("answer.section", f"kein Abschnitt heißt '{meta.answer.section}'")
            if not 1 <= count_sentences(meta.answer.text) <= MAX_ANSWER_SENTENCES:
                report("answer.text", "muss aus ein oder zwei Sätzen bestehen")
        for section in guide.sections:
            if not section.text:
                report(f"section '{section.heading}'", "ist leer")
            elif len(section.text) > MAX_SECTION_CHARS:
                report(
                    f"section '{section.heading}'",
                    f"{len(section.text)} Zeichen, höchstens {MAX_SECTION_CHARS}",
                )
    for guide_id, count in ids.items():
        if count > 1:
            problems.append(Problem(f"{guide_id}.md", "id", f"{count}-mal vergeben"))
    problems += ended_programme_problems()
    if not ids and not problems:
        problems.append(Problem(str(directory), "guides", "keine Leitfäden gefunden"))
    return problems
