"""A lexicon of trade names that finds trade mentions in free text, with their spans.

Surface forms ("Tischlerei", "Maler- und Lackierer", "KFZ-Werkstatt") map to trade ids.
A word matches a surface as written, without an inflection ending ("Bäckereien",
"Friseurinnen", "Malern"), without a gender mark ("Friseur:innen", "Maler/in",
"ElektrikerInnen"), as the first part of a compound with a business word
("Dachdeckermeisterin", "Friseursalon") or as the last part of a compound
("Fahrzeuglackierer"). Multi-word surfaces are matched first, longest first.

Only the standard library is used: the Rasa component in `bot.nlu.trade_resolver`
imports this module inside Rasa's own environment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from bot.folding import fold

WORD = re.compile(r"\w+(?:[:*_/]-?(?:innen|in)\b)?", re.IGNORECASE)
GENDER_SUFFIX = re.compile(r"(?:[:*_/]-?(?:innen|in)|(?<=[a-zäöüß])Innen)$")
# endings of plural and case forms, longest first
INFLECTIONS = ("innen", "nen", "ern", "en", "er", "es", "in", "e", "n", "s")
MIN_STEM = 4
# business words that may follow a trade inside a compound ("Dachdecker|meisterin")
COMPOUND_TAILS = frozenset(
    {
        "meister",
        "meisterin",
        "betrieb",
        "fachbetrieb",
        "meisterbetrieb",
        "firma",
        "geselle",
        "gesellin",
        "salon",
        "studio",
        "werkstatt",
        "handwerk",
        "unternehmen",
        "unternehmer",
        "unternehmerin",
        "laden",
        "geschaeft",
        "filiale",
        "innung",
        "azubi",
        "lehrling",
        "chef",
        "chefin",
        "team",
        "branche",
        "gewerk",
        "kollege",
        "kollegin",
        "service",
        "fachmann",
        "fachfrau",
    }
)
MIN_COMPOUND_HEAD = 4
MIN_COMPOUND_TAIL = 6


@dataclass(frozen=True)
class TradeMention:
    """A trade named in a text: character span and trade id."""

    start: int
    end: int
    trade: str


def normalise(word: str) -> str:
    """A word as the lexicon stores it: gender mark removed, folded."""
    return fold(GENDER_SUFFIX.sub("", word))


def phrase_key(surface: str) -> tuple[str, ...]:
    """The lexicon key of a surface form: its normalised words."""
    return tuple(normalise(match.group()) for match in WORD.finditer(surface))


def without_inflection(word: str) -> Iterator[str]:
    """`word` with each known inflection ending removed (stems of at least 4 letters)."""
    for ending in INFLECTIONS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            yield word[: -len(ending)]


class TradeLexicon:
    """Surface forms of trades, searchable in free text."""

    def __init__(self, surfaces: Mapping[str, str]) -> None:
        self.phrases: dict[tuple[str, ...], str] = {}
        for surface, trade in surfaces.items():
            key = phrase_key(surface)
            if key:
                self.phrases.setdefault(key, trade)
        self.words = {key[0]: trade for key, trade in self.phrases.items() if len(key) == 1}
        self.longest = max((len(key) for key in self.phrases), default=0)
        # every trade id the lexicon knows
        self.trades: frozenset[str] = frozenset(self.phrases.values())

    def mentions(self, text: str) -> list[TradeMention]:
        """Every trade named in `text`, left to right, longest phrases first."""
        words = [(m.start(), m.end(), normalise(m.group())) for m in WORD.finditer(text)]
        found: list[TradeMention] = []
        position = 0
        while position < len(words):
            match = self._match_at([word for _, _, word in words], position)
            if match is None:
                position += 1
                continue
            length, trade = match
            found.append(TradeMention(words[position][0], words[position + length - 1][1], trade))
            position += length
        return found

    def first(self, text: str) -> str | None:
        """The first trade named in `text`, else None."""
        mentions = self.mentions(text)
        return mentions[0].trade if mentions else None

    def _match_at(self, words: list[str], position: int) -> tuple[int, str] | None:
        for length in range(min(self.longest, len(words) - position), 0, -1):
            *head, last = words[position : position + length]
            for form in self.forms(last):
                trade = self.phrases.get((*head, form))
                if trade is not None:
                    return length, trade
        return None

    def forms(self, word: str) -> Iterable[str]:
        """Readings of `word` to look up, most literal first."""
        yield word
        yield from without_inflection(word)
        yield from self._compound_heads(word)
        yield from self._compound_tails(word)

    def _compound_heads(self, word: str) -> Iterator[str]:
        """Known words that start `word` before a business word ("friseur|salon")."""
        for split in range(len(word) - MIN_STEM, MIN_COMPOUND_HEAD - 1, -1):
            head, tail = word[:split], word[split:]
            tails = {tail, *without_inflection(tail)}
            if tail.startswith("s"):
                tails |= {tail[1:], *without_inflection(tail[1:])}
            if tails & COMPOUND_TAILS:
                yield from (
                    form for form in (head, *without_inflection(head)) if form in self.words
                )

    def _compound_tails(self, word: str) -> Iterator[str]:
        """Known words of at least 6 letters that end `word` ("fahrzeug|lackierer")."""
        for split in range(3, len(word) - MIN_COMPOUND_TAIL + 1):
            tail = word[split:]
            for form in (tail, *without_inflection(tail)):
                if len(form) >= MIN_COMPOUND_TAIL and form in self.words:
                    yield form
