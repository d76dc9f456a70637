"""Recognising a trade in free text, from the NLU synonyms and the German labels."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from bot.config import ROOT
from bot.kb.analysis import GENDER_MARK, fold
from bot.kb.labels import TRADE_LABELS

TRADES_NLU_FILE = ROOT / "data" / "nlu" / "trades.yml"
MIN_PREFIX = 5


@cache
def trade_surfaces(path: Path = TRADES_NLU_FILE) -> dict[str, str]:
    """Folded surface form → trade id (synonyms of the NLU data, labels and ids)."""
    surfaces = {fold(label): trade for trade, label in TRADE_LABELS.items()}
    surfaces.update({trade.replace("_", " "): trade for trade in TRADE_LABELS})
    surfaces.update({trade: trade for trade in TRADE_LABELS})
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        trade = block.get("synonym")
        if trade in TRADE_LABELS:
            for line in block["examples"].splitlines():
                surface = fold(line.strip().removeprefix("- ").strip())
                if surface:
                    surfaces[surface] = trade
    return surfaces


def match_trade(text: str) -> str | None:
    """The trade id named in `text` (whole words, or a known word at the start of a
    compound such as "Dachdeckermeisterin"), else None."""
    words = re.findall(r"[\w-]+", fold(GENDER_MARK.sub(r"\1", text)))
    if not words:
        return None
    phrase = f" {' '.join(words)} "
    surfaces = trade_surfaces()
    for surface in sorted(surfaces, key=len, reverse=True):
        if f" {surface} " in phrase:
            return surfaces[surface]
    prefixed = [
        (len(surface), trade)
        for word in words
        for surface, trade in surfaces.items()
        if len(surface) >= MIN_PREFIX and " " not in surface and word.startswith(surface)
    ]
    return max(prefixed)[1] if prefixed else None
