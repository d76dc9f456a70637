"""`kb audit`: what in the guides is due for an editor on a given day.

Due (non-zero exit): a guide past its `review_by`; a section that ends within
ENDING_DAYS days with no version of the same heading starting the next day; a date
written in the wrong tense for that day ("ab"/"wird"/"bis … beantragen" before a past
date, "seit" before a future one); a source that is only a site's home page; a first
source that is not an authority (knowledge_base/authorities.yml). Noted only: sections
that end soon but have their successor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from fnmatch import fnmatch
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.config import ROOT
from bot.kb.dates import mentions
from bot.kb.guides import Guide
from bot.kb.validate import ABBREVIATIONS

AUTHORITIES_FILE = ROOT / "knowledge_base" / "authorities.yml"
ENDING_DAYS = 60
# the words right before a date that say when something happens
FUTURE_CUE = re.compile(r"\b(ab|ab dem|ab den|beginnt am|startet am|tritt am|erst am)\s*$", re.I)
UNTIL_CUE = re.compile(r"\b(bis|bis zum|bis spätestens|spätestens am|spätestens bis)\s*$", re.I)
SINCE_CUE = re.compile(r"\bseit( dem| den)?\s*$", re.I)
WILL = re.compile(r"\b(wird|werden)\b", re.I)
APPLY = re.compile(r"\b(beantrag|antrag|einreich|anmeld|meld|registrier|stellen)\w*", re.I)
# a sentence that tells of the past may name a past date with "ab" or "bis"
PAST = re.compile(
    r"\b(war|waren|wurde|wurden|galt|galten|musste|mussten|konnte|konnten|durfte|durften|"
    r"endete|endeten|lief|liefen|hatte|hatten|gab|trat|traten|ausgelaufen|beendet|"
    r"eingestellt|abgelaufen|vorbei|bisher|damals)\b",
    re.I,
)
SENTENCE_END = re.compile(r"(?<=[a-zäöüß)“\"])[.!?](?=\s|$)")


@dataclass(frozen=True)
class Finding:
    """One thing the audit found in a guide; `due` ones make the exit non-zero."""

    guide: str
    kind: str
    message: str
    due: bool = True

    def __str__(self) -> str:
        mark = "FÄLLIG" if self.due else "Hinweis"
        return f"{mark}  {self.guide}: {self.kind}: {self.message}"


def _authorities_file(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def load_authorities(path: Path = AUTHORITIES_FILE) -> list[str]:
    """The host patterns of authorities."""
    return [str(pattern) for pattern in _authorities_file(path)["authorities"]]


@cache
def authority_names(path: Path = AUTHORITIES_FILE) -> dict[str, str]:
    """Host pattern → how the bot names that authority."""
    names = _authorities_file(path).get("names") or {}
    return {str(pattern): str(name) for pattern, name in names.items()}


def host_matches(url: str, pattern: str) -> bool:
    """True if the URL's host matches `pattern` ("*.x.de" also matches x.de)."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return fnmatch(host, pattern) or (pattern.startswith("*.") and host == pattern[2:])


def is_authority(url: str, patterns: list[str]) -> bool:
    """True if the URL's host matches an authority pattern."""
    return any(host_matches(url, pattern) for pattern in patterns)


def source_name(url: str) -> str | None:
    """The name of the authority behind `url`, if authorities.yml names it."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return next(
        (
            name.replace("{host}", host)
            for pattern, name in authority_names().items()
            if host_matches(url, pattern)
        ),
        None,
    )


def is_home_page(url: str) -> bool:
    """True for a URL that names no page: no path and no query."""
    parts = urlsplit(url)
    return parts.path.strip("/") == "" and not parts.query


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of `text` that contains the span (abbreviations do not end one)."""
    masked = ABBREVIATIONS.sub(lambda m: "x" * len(m.group()), text)
    before = [m.end() for m in SENTENCE_END.finditer(masked, 0, start)]
    after = SENTENCE_END.search(masked, end)
    return text[before[-1] if before else 0 : after.end() if after else len(text)]


def tense_problems(text: str, on: date) -> list[str]:
    """Dates in `text` written in the wrong tense for `on`."""
    problems = []
    for mention in mentions(text):
        lead = text[max(0, mention.start - 25) : mention.start]
        sentence = sentence_around(text, mention.start, mention.end)
        written = text[mention.start : mention.end]
        told_as_past = PAST.search(sentence) is not None
        if mention.day > on and SINCE_CUE.search(lead):
            problems.append(f"„seit {written}“ – das Datum liegt noch in der Zukunft")
        elif mention.day < on and not told_as_past:
            if FUTURE_CUE.search(lead):
                problems.append(f"„ab {written}“ – das Datum liegt schon zurück („seit“?)")
            elif UNTIL_CUE.search(lead) and APPLY.search(sentence):
                problems.append(f"„bis {written}“ beantragen/melden – die Frist ist vorbei")
            elif WILL.search(sentence) and (FUTURE_CUE.search(lead) or UNTIL_CUE.search(lead)):
                problems.append(f"„wird … {written}“ – das Datum liegt schon zurück")
    return problems


def audit_guide(raw: Guide, on: date, authorities: list[str]) -> list[Finding]:
    """Everything due (or worth a note) in one guide on `on`."""
    found: list[Finding] = []
    name = raw.id
    if raw.meta.review_by < on:
        found.append(Finding(name, "review_by", f"Prüfung fällig seit {raw.meta.review_by}"))
    for section in raw.sections:
        until = section.validity.valid_until
        if until is None or not on <= until <= on + timedelta(days=ENDING_DAYS):
            continue
        successor = any(
            other.heading == section.heading and other.validity.valid_from == until + timedelta(1)
            for other in raw.sections
        )
        found.append(
            Finding(
                name,
                f"Abschnitt „{section.heading}“",
                f"gilt nur bis {until}"
                + ("; die Folgefassung steht bereit" if successor else ", ohne Folgefassung"),
                due=not successor,
            )
        )
    guide = raw.on(on)
    texts = [("title", guide.meta.title), ("summary", guide.meta.summary)]
    if guide.meta.answer is not None:
        texts.append(("answer", guide.meta.answer.text))
        if (threshold := guide.meta.answer.threshold) is not None:
            texts += [("answer.threshold", threshold.over), ("answer.threshold", threshold.up_to)]
    texts += [(f"Abschnitt „{s.heading}“", s.text) for s in guide.sections]
    for field, text in texts:
        found += [Finding(name, field, problem) for problem in tense_problems(text, on)]
    sources = [str(url) for url in raw.meta.sources]
    for url in sources:
        if is_home_page(url):
            found.append(Finding(name, "sources", f"{url} ist nur eine Startseite"))
    if sources and not is_authority(sources[0], authorities):
        found.append(
            Finding(name, "sources", f"erste Quelle ist keine Behörde/Kammer: {sources[0]}")
        )
    return found


def audit_guides(guides: list[Guide], on: date, authorities: list[str]) -> list[Finding]:
    """The findings of every guide on `on`."""
    return [finding for guide in guides for finding in audit_guide(guide, on, authorities)]
