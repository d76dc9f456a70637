"""German text analysis for search: lemmas, folding, gender forms, compounds, synonyms.

Tokens come from spaCy's blank German tokenizer. Each word is lower-cased and folded
(ä→ae, ö→oe, ü→ue, ß→ss) so that "Baecker" and "Bäcker" meet, lemmatised with the
lookup table of spacy-lookups-data (Städte→stadt, gingen→gehen), freed of gendered
endings (Tischlerin, Friseur:innen), stemmed with Snowball for what the table lacks,
and split into known parts when it is a compound (Kassensystem → kasse + system).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib.resources import files

import snowballstemmer
import spacy
from spacy.lang.de.stop_words import STOP_WORDS

from bot.folding import fold

GENDER_MARK = re.compile(r"(\w)(?:[:*_/]-?innen|Innen)\b")
LINKING_ENDINGS = ("", "s", "es", "n", "en", "e")
MIN_PART = 4
MIN_FALLBACK_TAIL = 5
MIN_COMPOUND = 7


def _load_lemma_table() -> dict[str, str]:
    data = files("spacy_lookups_data").joinpath("data/de_lemma_lookup.json.gz").read_bytes()
    table: dict[str, str] = {}
    for form, lemma in json.loads(gzip.decompress(data)).items():
        table.setdefault(fold(form), fold(lemma))
    table.update(LEMMA_CORRECTIONS)
    return table


# where the lookup table picks the wrong word for our questions: "Daten" are data, not
# dates; "sichere" and "sichert" are forms of "sichern" (back up), not of "sich"
LEMMA_CORRECTIONS = {
    "daten": "daten",
    "sichere": "sichern",
    "sicherst": "sichern",
    "sichert": "sichern",
}


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """Folded word form → folded lemma, from spacy-lookups-data (loaded once)."""
    return _load_lemma_table()


# spoken articles and pronouns ("brauch ich ne App", "mit nem Chatbot", "dat", "un")
# and question words ("ab welcher Größe", "ab wieviel Leuten") are stop words like
# the written ones: they would match every heading that asks "Welche …?"
SPOKEN_STOPWORDS = frozenset(
    {"n", "ne", "nen", "nem", "ner", "nes", "dat", "det", "wat", "is", "un", "wieviel", "sowas"}
    | {"welch", "welche", "welcher", "welches", "welchen", "welchem", "wieviele"}
    # contractions ("fürs Büro", "fürn Laden", "aufm Büro-PC", "übern Onlineshop"; folded)
    | {"fuers", "fuern", "aufm", "aufn", "aufs", "uebers", "uebern", "ans", "ums", "vorm", "unterm"}
    # fillers ("wat is dat genau", "brauch ich extra Software", "eigentlich", "halt")
    | {"genau", "eigentlich", "halt", "mal", "ungefaehr", "echt", "irgendwie", "bitte", "extra"}
    | {"speziell", "spezielle", "konkret", "quasi", "unsre", "unsren", "unsrem", "unsrer"}
)
# "worauf muss ich achten?" asks what to watch out for (spaCy lists "acht", "achte",
# "achten" as numbers; the lemma of "achten" is "acht")
STOPWORDS = (frozenset(fold(word) for word in STOP_WORDS) | SPOKEN_STOPWORDS) - {
    "kein",
    "keine",
    "nicht",
    "acht",
    "achte",
    "achten",
    "richtig",  # "wie mach ich Backups richtig?": "Wie sichere ich … richtig?"
}
# Stems that occur in nearly every question of a tradesperson and separate nothing.
DOMAIN_STOP_STEMS = frozenset(
    {
        "handwerk",
        "handwerksbetrieb",
        "betrieb",
        "firma",
        "brauch",
        "geb",
        "hab",
        "find",
        "seh",
        "nehm",
        "helf",
        "mach",
        "muss",
        "gibt",
        "sinnvoll",
        "empfehl",
        "tipp",
        "uberblick",
    }
)
# Stems of places in Saxony-Anhalt: they say where the asker is, not what the question
# is about ("Zimmerei in Magdeburg"), and would match the guides naming the chambers.
PLACE_STEMS = frozenset(
    {
        "hall",
        "magdeburg",
        "dessau",
        "rosslau",
        "altmark",
        "harz",
        "wittenberg",
        "stendal",
        "halberstadt",
        "merseburg",
        "naumburg",
        "bitterfeld",
        "koth",
        "quedlinburg",
        "salzwedel",
        "wernigerod",
        "sangerhaus",
        "zeitz",
        "weissenfel",
        "schonebeck",
        "bernburg",
        "aschersleb",
        "gardeleg",
        "eisleb",
        "saalekreis",
        "burgenlandkreis",
    }
)
IGNORED_STEMS = DOMAIN_STOP_STEMS | PLACE_STEMS
# spoken particles before a verb ("rausschicken", "reinschreiben", "rüberschicken")
SPOKEN_PARTICLE = re.compile(r"^(raus|rein|rueber|runter|rauf|ran)(?=[a-z]{4})")
# programme names made of stop words ("gibts Digital Jetzt noch?") count as one word
STOPWORD_NAMES = re.compile(r"\b(digital)[- ](jetzt)\b|\b(go)[- ](digital)\b", re.IGNORECASE)


class GermanAnalyzer:
    """Turns text into search terms; `vocabulary` holds the lemmas compounds split into,
    `synonyms` the extra terms a query gets."""

    def __init__(self, vocabulary: Iterable[str] = ()) -> None:
        self._tokenizer = spacy.blank("de").tokenizer
        self._lemmas = lemma_table()
        self._stemmer = snowballstemmer.stemmer("german")
        self.vocabulary: frozenset[str] = frozenset(vocabulary)
        # trigger terms (all must occur) → further terms the query also searches for
        self.synonyms: Mapping[frozenset[str], tuple[str, ...]] = {}
        self._terms_of_word = lru_cache(maxsize=50_000)(self._word_terms)

    def words(self, text: str) -> list[str]:
        """Folded lemmas of the content words of `text` (no compounds split, no stems)."""
        text = GENDER_MARK.sub(r"\1", text)
        text = STOPWORD_NAMES.sub(lambda m: "".join(g for g in m.groups() if g), text)
        lemmas = []
        for token in self._tokenizer(text):
            if token.is_punct or token.is_space:
                continue
            word = fold(token.text).strip(".,;:!?()[]\"'„“”‚‘’")
            pieces = word.replace("/", "-").split("-")
            if len(pieces) > 1:  # E-Rechnung: "rechnung" and "erechnung"
                pieces.append("".join(pieces))
            for piece in pieces:
                if len(piece) < 2 and not piece.isdigit():
                    continue
                lemma = self._lemma(piece)
                if lemma not in STOPWORDS:
                    lemmas.append(lemma)
        return lemmas

    def terms(self, text: str) -> list[str]:
        """Search terms of `text`: stems of lemmas and of compound parts."""
        whole, parts = self.query_terms(text)
        return whole + parts

    def query_terms(self, text: str) -> tuple[list[str], list[str]]:
        """Stems of the words of `text`, and apart from them the stems of compound parts."""
        whole: list[str] = []
        parts: list[str] = []
        for word in self.words(text):
            first, *rest = self._terms_of_word(word)
            if first not in IGNORED_STEMS:
                whole.append(first)
            parts.extend(term for term in rest if term not in IGNORED_STEMS)
        return whole, parts

    def word_forms(self, text: str) -> list[frozenset[str]]:
        """Per word of `text`: its terms, those of its compound parts and their synonyms
        (a word counts once however many of its forms a heading has)."""
        forms = []
        for word in self.words(text):
            terms = [t for t in self._terms_of_word(word) if t not in IGNORED_STEMS]
            if terms:
                forms.append(frozenset([*terms, *self.synonym_terms(terms)]))
        return forms

    def whole_forms(self, text: str) -> list[frozenset[str]]:
        """Per word of `text` (as in `word_forms`): the term of the word itself and its
        synonyms, not those of its compound parts."""
        forms: list[frozenset[str]] = []
        for word in self.words(text):
            first, *rest = self._terms_of_word(word)
            if first in IGNORED_STEMS:
                if any(term not in IGNORED_STEMS for term in rest):
                    forms.append(frozenset())
                continue
            forms.append(frozenset([first, *self.synonym_terms([first])]))
        return forms

    def synonym_terms(self, terms: list[str]) -> list[str]:
        """The extra terms that `terms` stand for (not those already present)."""
        present = set(terms)
        extra = (
            other
            for trigger, others in self.synonyms.items()
            if trigger <= present
            for other in others
        )
        return [term for term in dict.fromkeys(extra) if term not in present]

    def stem(self, word: str) -> str:
        """The Snowball stem of a folded word."""
        return str(self._stemmer.stemWord(word))

    def _lemma(self, word: str) -> str:
        """The lemma of a folded word; a feminine form or a plural or genitive in -s of a
        known word is that word ("Friseurinnen", "PDFs", "Azubis"), a verb with a spoken
        particle the verb ("rausschicken" is "schicken")."""
        lemma = self._lemmas.get(word, word)
        for ending in ("innen", "in"):
            base = lemma.removesuffix(ending)
            if base != lemma and base in self.vocabulary:
                return base
        base = lemma.removesuffix("s")
        if base != lemma and base in self.vocabulary:
            return base
        spoken = SPOKEN_PARTICLE.match(lemma)
        if spoken and lemma not in self.vocabulary:
            verb = self._known(lemma[spoken.end() :])
            return verb or lemma
        return lemma

    def _word_terms(self, word: str) -> tuple[str, ...]:
        parts = self.split_compound(word) if len(word) >= MIN_COMPOUND else ()
        return tuple(dict.fromkeys(self.stem(w) for w in (word, *parts)))

    def split_compound(self, word: str) -> tuple[str, ...]:
        """Known parts of a compound ("kassensystem" → ("kasse", "system")), else ()."""
        parts = self._decompose(word, top=True)
        return parts if parts and parts != (word,) else ()

    def _known(self, word: str) -> str | None:
        """`word` or its lemma if the vocabulary has it."""
        if word in self.vocabulary:
            return word
        lemma = self._lemmas.get(word, word)
        return lemma if lemma in self.vocabulary else None

    @lru_cache(maxsize=50_000)  # noqa: B019 - one analyzer lives as long as the process
    def _decompose(self, word: str, top: bool = False) -> tuple[str, ...] | None:
        """Known parts of `word`, fewest first; at the top level an unknown head of at
        least four letters may stand before a known tail (Registrierkasse → kasse)."""
        if not top and (known := self._known(word)):
            return (known,)
        best: tuple[str, ...] | None = None
        fallback: tuple[str, ...] | None = None
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            tail_known = self._known(tail)
            if tail_known is None:
                continue
            for ending in LINKING_ENDINGS:
                if ending and not head.endswith(ending):
                    continue
                stem = head[: len(head) - len(ending)] if ending else head
                if len(stem) < MIN_PART:
                    continue
                head_parts = self._decompose(stem) or self._decompose(stem + "e")
                if head_parts is None:
                    continue
                candidate = (*head_parts, tail_known)
                if best is None or len(candidate) < len(best):
                    best = candidate
            if (
                top
                and fallback is None
                and len(head) >= MIN_PART
                and len(tail) >= MIN_FALLBACK_TAIL
            ):
                fallback = (tail_known,)
        return best or fallback
