"""Questions for a price ("was kostet ne Website?") that the chosen section cannot
answer: said honestly instead of answered with a section on something else."""

from __future__ import annotations

import re

from bot.folding import fold

# "was kostet", "wie teuer", "Preis"; not "gibt es das kostenlos?" (folded text)
ASKS_PRICE = re.compile(r"\b(was kosten|wie teuer|kostet|wie viel kosten|preise? fuer)\b")
FREE = re.compile(r"\b(kostenlos|kostenfrei|gratis|umsonst)\b")
# a section that speaks of money (folded text)
NAMES_PRICE = re.compile(
    r"\b(euro|eur|(ge)?kost\w*|preis\w*|gebuehr\w*|teuer\w*|guenstig\w*|gratis|umsonst|"
    r"(be)?zahl\w*|angebot\w*|aufwand|lizenz\w*|abo\w*|monatlich\w*|zuschuss\w*|"
    r"foerder\w*|bussgeld\w*|geldbusse\w*|strafe\w*)\b|\d\s?€"
)
NO_PRICE = (
    "Was das kostet, kann ich aus unserer Wissensbasis leider nicht verlässlich sagen. "
    "Unsere Beratung hilft Ihnen gern weiter, auch bei Angeboten und Förderung."
)


def asks_price(text: str) -> bool:
    """True if `text` asks what something costs."""
    folded = fold(text)
    return ASKS_PRICE.search(folded) is not None and FREE.search(folded) is None


def names_price(text: str) -> bool:
    """True if `text` says anything about costs."""
    return NAMES_PRICE.search(fold(text)) is not None
