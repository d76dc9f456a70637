"""Best-practice cases of other craft businesses (knowledge_base/best_practices/)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, model_validator

from bot.config import ROOT
from bot.kb.guides import FRONT_MATTER, ID_PATTERN
from bot.kb.taxonomy import load_taxonomy

CASES_DIR = ROOT / "knowledge_base" / "best_practices"
FIRST_SENTENCE = re.compile(r"^(.+?(?<!\d)[.!?])(\s|$)")  # not at ordinals ("1. Januar")


class Case(BaseModel):
    """One documented (with `source`) or illustrative case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=5, max_length=160)
    trades: list[str] = Field(min_length=1)
    topics: list[str] = Field(min_length=1)
    situation: str = Field(min_length=10)
    what_they_did: str = Field(min_length=10)
    tools: list[str] = Field(default_factory=list)
    result: str = Field(min_length=10)
    source: HttpUrl | None = None
    illustrative: bool = False
    checked: date

    @model_validator(mode="after")
    def _source_or_illustrative(self) -> Case:
        if (self.source is None) == (not self.illustrative):
            raise ValueError("entweder source (belegter Fall) oder illustrative: true")
        taxonomy = load_taxonomy()
        unknown = [t for t in self.trades if t not in taxonomy.trades] + [
            t for t in self.topics if t not in taxonomy.topics
        ]
        if unknown:
            raise ValueError(f"unbekannte Ids: {', '.join(unknown)}")
        return self

    def story(self) -> str:
        """The case as three short sentences for the phone."""
        parts = [self.situation, self.what_they_did, self.result]
        return " ".join(_first_sentence(part) for part in parts)


def _first_sentence(text: str) -> str:
    match = FIRST_SENTENCE.match(" ".join(text.split()))
    return match.group(1) if match else text


class CaseFileError(ValueError):
    """A case file that cannot be read; names the file and the problem."""


def load_cases(directory: Path = CASES_DIR) -> list[Case]:
    """All cases of a folder; raise CaseFileError on the first broken one."""
    cases = []
    for path in sorted(directory.glob("*.md")):
        match = FRONT_MATTER.match(path.read_text(encoding="utf-8") + "\n")
        if match is None:
            raise CaseFileError(f"{path.name}: front matter fehlt")
        try:
            case = Case.model_validate(yaml.safe_load(match["meta"]))
        except (ValidationError, yaml.YAMLError) as error:
            raise CaseFileError(f"{path.name}: {error}") from error
        if case.id != path.stem:
            raise CaseFileError(f"{path.name}: id passt nicht zum Dateinamen")
        cases.append(case)
    return cases


@cache
def shipped_cases() -> tuple[Case, ...]:
    """The cases under knowledge_base/best_practices/, read once per process."""
    return tuple(load_cases())


def recommend_cases(
    cases: Iterable[Case],
    trade: str | None,
    trade_group: str | None,
    topic: str | None,
    limit: int = 3,
) -> tuple[list[Case], str]:
    """Cases by trade and topic, else by trade group, else by topic across trades.

    Returns the cases and which level matched: "trade", "group", "topic" or "none".
    """
    taxonomy = load_taxonomy()
    group = trade_group or (taxonomy.group_of(trade) if trade else None)
    members = set(taxonomy.trade_groups.get(group, ())) if group else set()

    def fits_topic(case: Case) -> bool:
        return topic is None or topic in case.topics

    levels: list[tuple[str, Callable[[Case], bool]]] = [
        ("trade", lambda c: trade is not None and trade in c.trades and fits_topic(c)),
        ("group", lambda c: bool(members & set(c.trades)) and fits_topic(c)),
        ("topic", lambda c: topic is not None and topic in c.topics),
    ]
    for level, fits in levels:
        found = [case for case in cases if fits(case)]
        if found:
            return found[:limit], level
    return [], "none"
