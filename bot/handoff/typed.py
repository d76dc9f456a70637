"""What people type at a confirmation step: yes, no, or neither (any channel).

On a messenger people type rather than tap: "ja, passt so", "jo", "stimmt", "nee,
ändern" must work like the buttons. A "no" word wins ("stimmt nicht", "ja, aber
ändern"); a long message is no confirmation but content (a new summary, a name).
"""

from __future__ import annotations

import re

from bot.folding import fold
from bot.handoff import texts
from bot.yes_words import YES_WORDS

NO_WORDS = frozenset(
    [
        "nein",
        "ne",
        "nee",
        "noe",
        "no",
        "nope",
        "falsch",
        "fehler",
        "aendern",
        "korrigieren",
        "anders",
        "aenderung",
    ]
)
# "ändere die Nummer", "korrigiere bitte": a wish to change
NO_STEMS = ("aender", "korrigier")
# a no only with a yes word they negate ("stimmt nicht") or nearly alone ("nicht
# so"); "egal, hauptsache nicht mittwochs" is an answer, not a no
NEGATIONS = frozenset(["nicht", "nich", "net"])
MAX_CONFIRMATION_WORDS = 6
# words around a yes or no that say nothing more ("das stimmt so", "alles gut")
FILLERS = frozenset(
    [
        "das",
        "dat",
        "so",
        "ist",
        "is",
        "es",
        "alles",
        "gut",
        "bitte",
        "danke",
        "doch",
        "schon",
        "aber",
        "mal",
        "wohl",
        "eigentlich",
        "auch",
        "sie",
        "ich",
        "haben",
        "hab",
        "recht",
    ]
)
GREETINGS = frozenset(
    [
        "hallo",
        "hi",
        "hey",
        "moin",
        "servus",
        "tach",
        "gruess",
        "gruss",
        "guten",
        "morgen",
        "tag",
        "abend",
    ]
)
NOT_A_NAME = frozenset(
    ["egal", "keine", "ahnung", "weiss", "nicht", "anonym", "test", "danke", "bitte"]
)
# typed names of the callback form's fields, for "Was möchten Sie ändern?"
FIELD_WORDS = {
    "name": ("name", "namen"),
    "business": ("betrieb", "firma", "firmenname", "unternehmen", "adresse", "ort"),
    "trade": ("gewerk", "handwerk", "beruf"),
    "contact": ("telefon", "nummer", "telefonnummer", "handy", "mail", "email", "kontakt"),
    "time": ("zeit", "uhrzeit", "wunschzeit", "termin", "wann"),
}


def words(text: str) -> list[str]:
    """The folded words of `text`."""
    return re.findall(r"[a-z0-9]+", fold(text))


def confirmation(text: str) -> bool | None:
    """True for a typed yes, False for a typed no, None for anything else."""
    tokens = words(text)
    if not tokens or len(tokens) > MAX_CONFIRMATION_WORDS:
        return None
    if any(token in NO_WORDS or token.startswith(NO_STEMS) for token in tokens):
        return False
    yes = any(token in YES_WORDS for token in tokens)
    if NEGATIONS.intersection(tokens) and (yes or len(tokens) <= 2):
        return False
    return True if yes else None


def is_bare_confirmation(text: str) -> bool:
    """True for a yes or no with nothing else to say ("nein, das stimmt so nicht"):
    no concern, name or answer."""
    if confirmation(text) is None:
        return False
    said = YES_WORDS | NO_WORDS | NEGATIONS | FILLERS
    return all(token in said or token.startswith(NO_STEMS) for token in words(text))


def is_no_name(text: str) -> bool:
    """True for a typed yes/no, a greeting or a filler instead of a name."""
    tokens = words(text)
    if confirmation(text) is not None and len(tokens) <= 2:
        return True
    return bool(tokens) and all(t in GREETINGS or t in NOT_A_NAME for t in tokens)


def field_named(text: str) -> str | None:
    """The callback form field a typed answer to "Was möchten Sie ändern?" names."""
    tokens = set(words(text))
    for field_name, names in FIELD_WORDS.items():
        if tokens & set(names):
            return field_name
    return None


CANCEL = re.compile(texts.CANCEL_PHRASES)


def cancels(text: str) -> bool:
    """True if the person typed that they want to leave the handoff ("abbrechen",
    "ach vergiss es, hab grad keine zeit")."""
    folded = fold(" ".join(text.lower().split()).strip(" .!"))
    short = len(folded.split()) <= texts.MAX_CANCEL_WORDS
    return folded in texts.CANCEL_WORDS or (short and CANCEL.search(folded) is not None)
