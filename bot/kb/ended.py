"""Funding programmes that have ended: an answer that names one says so first."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

from bot.config import ROOT

ENDED_FILE = ROOT / "knowledge_base" / "ended_programmes.yml"
# the first sentence of a text that already says a programme has ended
SAYS_ENDED = re.compile(r"beendet|eingestellt|ausgelaufen|abgelaufen|nicht mehr", re.IGNORECASE)


class EndedProgramme(BaseModel):
    """A programme, how people name it, and from when it counts as ended."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str = Field(min_length=3)
    pattern: str = Field(min_length=3)
    ended_on: date
    notice: str = Field(min_length=20, max_length=300)
    source: HttpUrl

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value

    def named_in(self, text: str) -> bool:
        """True if `text` names the programme."""
        return re.search(self.pattern, text, re.IGNORECASE) is not None


class EndedProgrammes(BaseModel):
    """The file's content."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    programmes: list[EndedProgramme]


def load_ended_programmes(path: Path = ENDED_FILE) -> list[EndedProgramme]:
    """The ended programmes of the knowledge base (validated)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return EndedProgrammes.model_validate(data).programmes


@cache
def shipped_programmes() -> tuple[EndedProgramme, ...]:
    """The programmes of knowledge_base/ended_programmes.yml, read once."""
    return tuple(load_ended_programmes())


def ended_notices(
    question: str,
    answer: str,
    today: date,
    programmes: Iterable[EndedProgramme] | None = None,
) -> list[str]:
    """Notices of the programmes the question or answer names that have ended by
    `today`, unless the answer's first sentence already says so."""
    first_sentence = re.split(r"(?<=[.!?])\s", answer, maxsplit=1)[0]
    notices = []
    shipped = shipped_programmes() if programmes is None else programmes
    # the programme the question names first ("gibts go-digital noch?")
    for programme in sorted(shipped, key=lambda p: not p.named_in(question)):
        if programme.ended_on > today:
            continue
        if not (programme.named_in(question) or programme.named_in(answer)):
            continue
        if programme.named_in(first_sentence) and SAYS_ENDED.search(first_sentence):
            continue
        notices.append(programme.notice)
    return notices
