"""Checks of the whole knowledge base beyond the schema of a single file."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from bot.kb.ended import ENDED_FILE, load_ended_programmes
from bot.kb.guides import (
    AMOUNT_MARK,
    GUIDES_DIR,
    Guide,
    GuideError,
    Threshold,
    guide_paths,
    parse_guide,
)
from bot.kb.taxonomy import Taxonomy, load_taxonomy
from bot.kb.validity import blocks, stray_braces

MAX_SECTION_CHARS = 600
SUMMARY_SENTENCES = 2
MAX_ANSWER_SENTENCES = 2
# a threshold's sentence on one day (the core answer's own limit and a bit)
MAX_THRESHOLD_CHARS = 320


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


def texts_of(guide: Guide) -> list[tuple[str, str]]:
    """Every text of a guide that may hold blocks, with its field name."""
    meta = guide.meta
    parts = [("title", meta.title), ("summary", meta.summary)]
    if meta.answer is not None:
        parts.append(("answer.text", meta.answer.text))
        if (threshold := meta.answer.threshold) is not None:
            parts += [("answer.threshold.over", threshold.over)]
            parts += [("answer.threshold.up_to", threshold.up_to)]
    parts += [(f"section '{s.heading}'", s.text) for s in guide.sections]
    return parts


def version_days(guide: Guide) -> list[date]:
    """One day within each period in which the guide reads differently (both sides
    of every date it names in a block or a section mark)."""
    bounds: set[date] = set()
    marks = [block for _, text in texts_of(guide) for block in blocks(text)]
    marks += [
        ("valid_from", s.validity.valid_from) for s in guide.sections if s.validity.valid_from
    ]
    marks += [
        ("valid_until", s.validity.valid_until) for s in guide.sections if s.validity.valid_until
    ]
    for kind, day in marks:
        first_valid = day if kind == "valid_from" else day + timedelta(days=1)
        bounds.update({first_valid - timedelta(days=1), first_valid})
    return sorted(bounds) or [date.today()]


def version_problems(guide: Guide, when: str = "") -> list[tuple[str, str]]:
    """What is wrong with one version of a guide (`when` names its day, if dated)."""
    meta = guide.meta
    problems = []
    if count_sentences(meta.summary) != SUMMARY_SENTENCES:
        problems.append(("summary", f"muss aus genau zwei Sätzen bestehen{when}"))
    if meta.answer is not None:
        if guide.section_titled(meta.answer.section) is None:
            problems.append(
                ("answer.section", f"kein Abschnitt heißt '{meta.answer.section}'{when}")
            )
        if not 1 <= count_sentences(meta.answer.text) <= MAX_ANSWER_SENTENCES:
            problems.append(("answer.text", f"muss aus ein oder zwei Sätzen bestehen{when}"))
        problems += threshold_problems(meta.answer.threshold, when)
    if not guide.sections:
        problems.append(("sections", f"kein Abschnitt gilt{when}"))
    for section in guide.sections:
        if not section.text:
            problems.append((f"section '{section.heading}'", f"ist leer{when}"))
        elif len(section.text) > MAX_SECTION_CHARS:
            problems.append(
                (
                    f"section '{section.heading}'",
                    f"{len(section.text)} Zeichen, höchstens {MAX_SECTION_CHARS}{when}",
                )
            )
    return problems


def validate_knowledge_base(
    directory: Path = GUIDES_DIR, taxonomy: Taxonomy | None = None
) -> list[Problem]:
    """Every problem of every guide in `directory`; an empty list means valid."""
    taxonomy = taxonomy or load_taxonomy()
    problems: list[Problem] = []
    ids: Counter[str] = Counter()
    button_titles: Counter[str] = Counter()
    for path in guide_paths(directory):
        try:
            guide = parse_guide(path)
        except GuideError as error:
            problems.append(Problem(path.name, error.field, error.message))
            continue
        meta = guide.meta
        ids[meta.id] += 1
        button_titles[meta.button_title.casefold()] += 1

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
        if not guide.sections:
            report("sections", "keine ##-Abschnitte")
        headings = {section.heading for section in guide.sections}
        for question, heading in meta.question_sections.items():
            if question not in meta.questions:
                report("question_sections", f"'{question}' steht nicht unter questions")
            if heading not in headings:
                report("question_sections", f"kein Abschnitt heißt '{heading}'")
        if meta.ask_trade and meta.trades:
            report("ask_trade", "nur für allgemeine Leitfäden (trades: [])")
        for field, text in texts_of(guide):
            if stray_braces(text):
                report(
                    field, "{{…}} ist kein gültiger Block (valid_from/valid_until JJJJ-MM-TT: …)"
                )
        for number, section in enumerate(guide.sections):
            for other in guide.sections[number + 1 :]:
                if section.heading == other.heading and section.validity.overlaps(other.validity):
                    report(f"section '{section.heading}'", "doppelt an denselben Tagen")
        found: set[tuple[str, str]] = set()
        days = version_days(guide)
        for day in days:
            when = f" (am {day.strftime('%d.%m.%Y')})" if len(days) > 1 else ""
            for problem in version_problems(guide.on(day), when):
                if problem not in found:
                    found.add(problem)
                    report(*problem)
    for guide_id, count in ids.items():
        if count > 1:
            problems.append(Problem(f"{guide_id}.md", "id", f"{count}-mal vergeben"))
    for title, count in button_titles.items():
        if count > 1:
            problems.append(Problem(title, "button_title", f"{count}-mal vergeben"))
    problems += ended_programme_problems()
    if not ids and not problems:
        problems.append(Problem(str(directory), "guides", "keine Leitfäden gefunden"))
    return problems


def threshold_problems(threshold: Threshold | None, when: str) -> list[tuple[str, str]]:
    """A threshold's sentences name the amount and are one or two sentences."""
    if threshold is None:
        return []
    problems = []
    for name, text in (("over", threshold.over), ("up_to", threshold.up_to)):
        field_name = f"answer.threshold.{name}"
        if AMOUNT_MARK not in text:
            problems.append((field_name, f"nennt den Betrag nicht ({AMOUNT_MARK}){when}"))
        if not 1 <= count_sentences(text) <= MAX_ANSWER_SENTENCES:
            problems.append((field_name, f"muss aus ein oder zwei Sätzen bestehen{when}"))
        if len(text) > MAX_THRESHOLD_CHARS:
            problems.append((field_name, f"höchstens {MAX_THRESHOLD_CHARS} Zeichen{when}"))
    return problems
