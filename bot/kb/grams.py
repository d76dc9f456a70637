"""Character n-grams of folded words: the pieces the search's similarity and the
curation queue's grouping compare (no heavy imports, so the gateway loads it at once)."""

from __future__ import annotations

import re
from collections import Counter

from bot.folding import fold

MIN_GRAM = 3
MAX_GRAM = 5
WORD = re.compile(r"\w+")


def char_grams(text: str) -> Counter[str]:
    """Counts of the 3- to 5-letter pieces of each folded word, padded with spaces."""
    grams: Counter[str] = Counter()
    for word in WORD.findall(fold(text)):
        padded = f" {word} "
        for size in range(MIN_GRAM, MAX_GRAM + 1):
            grams.update(padded[i : i + size] for i in range(len(padded) - size + 1))
    return grams
