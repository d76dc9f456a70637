"""Guides: Markdown files with YAML front matter, split into `##` sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError

from bot.config import ROOT
from bot.kb.validity import Validity, resolve, section_validity

GUIDES_DIR = ROOT / "knowledge_base" / "guides"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
FRONT_MATTER = re.compile(r"\A---\n(?P<meta>.*?)\n---\n(?P<body>.*)\Z", re.DOTALL)
HEADING = re.compile(r"^## +(?P<title>.+?) *$", re.MULTILINE)


# where a threshold's sentence names the amount the person stated
AMOUNT_MARK = "[Betrag]"


class Threshold(BaseModel):
    """A core answer that depends on an amount the person may state ("wir machen 1,2
    Mio. Umsatz", "wir sind 25 Leute", "ne Drohne mit 900 Gramm"): the sentence for an
    amount over `limit` and the one for an amount up to it, each naming the amount as
    `[Betrag]`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: Literal["euro", "personen", "gramm"]
    limit: int = Field(gt=0)
    # with dated blocks; each day's sentence is checked for length (bot/kb/validate.py)
    over: str = Field(min_length=20, max_length=700)
    up_to: str = Field(min_length=20, max_length=700)


class CoreAnswer(BaseModel):
    """The guide's core answer for "muss ich …", "ab wann …", "brauche ich …" questions:
    one or two sentences that say yes/no/when/who, and the section that explains it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=20, max_length=280)
    section: str = Field(min_length=5)
    threshold: Threshold | None = None


class GuideMeta(BaseModel):
    """The front matter of a guide."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=5, max_length=120)
    # the guide on a messenger button (WhatsApp: 20 characters at most)
    button_title: str = Field(min_length=3, max_length=20, pattern=r"^\S(.*\S)?$")
    topics: list[str] = Field(min_length=1)
    trades: list[str] = Field(default_factory=list)
    summary: str = Field(min_length=20)
    sources: list[HttpUrl] = Field(min_length=1)
    checked: date
    # by when an editor must look again (at the latest the next deadline it mentions)
    review_by: date
    keywords: list[str] = Field(default_factory=list)
    # how tradespeople ask for this guide, in their words (indexed, never shown)
    questions: list[str] = Field(default_factory=list)
    # a listed question → the heading of the section that answers it (the editors'
    # "add as a question" writes it; the search answers the question with that section)
    question_sections: dict[str, str] = Field(default_factory=dict)
    illustrative: bool = False
    answer: CoreAnswer | None = None
    # a general guide whose answer some trades' own guides tell differently: the bot
    # asks for the trade after answering (only then)
    ask_trade: bool = False


@dataclass(frozen=True)
class Section:
    """One `##` section: a heading, the text that answers it, and the days it is true
    (two sections may share a heading if their days do not overlap)."""

    number: int
    heading: str
    text: str
    validity: Validity = field(default_factory=Validity)


@dataclass(frozen=True)
class Guide:
    """A parsed guide."""

    meta: GuideMeta
    sections: tuple[Section, ...]
    path: Path

    @property
    def id(self) -> str:
        """The guide's id (its file name without `.md`)."""
        return self.meta.id

    def section_titled(self, heading: str) -> Section | None:
        """The section with this heading, if any."""
        return next((s for s in self.sections if s.heading == heading), None)

    def on(self, day: date) -> Guide:
        """The guide as it reads on `day`: only the sections valid then, every text
        with its blocks for that day (a core answer that resolves to nothing drops)."""
        meta = self.meta
        answer = meta.answer
        if answer is not None:
            text = resolve(answer.text, day)
            threshold = answer.threshold
            if threshold is not None:
                over, up_to = resolve(threshold.over, day), resolve(threshold.up_to, day)
                # a threshold that no longer matters on `day` resolves to nothing
                threshold = threshold.model_copy(update={"over": over, "up_to": up_to})
                threshold = threshold if over and up_to else None
            update = {"text": text, "threshold": threshold}
            answer = answer.model_copy(update=update) if len(text) >= 20 else None
        resolved = meta.model_copy(
            update={
                "title": resolve(meta.title, day),
                "summary": resolve(meta.summary, day),
                "answer": answer,
            }
        )
        sections = tuple(
            replace(section, text=resolve(section.text, day))
            for section in self.sections
            if section.validity.covers(day)
        )
        return Guide(resolved, sections, self.path)


class GuideError(ValueError):
    """A guide file that cannot be read; names the file and the field."""

    def __init__(self, path: Path, field: str, message: str) -> None:
        super().__init__(f"{path.name}: {field}: {message}")
        self.path = path
        self.field = field
        self.message = message


def split_sections(body: str) -> tuple[Section, ...]:
    """The `##` sections of a Markdown body, in order (text before the first is ignored)."""
    matches = list(HEADING.finditer(body))
    sections = []
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(body)
        validity, raw = section_validity(body[match.end() : end])
        sections.append(Section(number, match["title"].strip(), " ".join(raw.split()), validity))
    return tuple(sections)


def parse_guide(path: Path) -> Guide:
    """Read one guide; raise GuideError naming the first bad field."""
    raw = path.read_text(encoding="utf-8")
    match = FRONT_MATTER.match(raw)
    if match is None:
        raise GuideError(path, "front matter", "fehlt (Datei muss mit --- beginnen)")
    try:
        data = yaml.safe_load(match["meta"])
    except yaml.YAMLError as error:
        raise GuideError(path, "front matter", f"kein gültiges YAML: {error}") from error
    if not isinstance(data, dict):
        raise GuideError(path, "front matter", "muss ein Mapping sein")
    try:
        meta = GuideMeta.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "front matter"
        raise GuideError(path, field, first["msg"]) from error
    return Guide(meta, split_sections(match["body"]), path)


def guide_paths(directory: Path = GUIDES_DIR) -> list[Path]:
    """The guide files of a folder, sorted."""
    return sorted(directory.glob("*.md"))


def load_guides(directory: Path = GUIDES_DIR) -> list[Guide]:
    """Parse every guide of a folder; raise on the first broken one."""
    return [parse_guide(path) for path in guide_paths(directory)]
