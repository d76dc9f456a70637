"""Recognising a trade in free text, from the NLU synonyms and the German labels."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from bot.config import ROOT
from bot.kb.labels import TRADE_LABELS
from bot.nlu.trade_lexicon import TradeLexicon

TRADES_NLU_FILE = ROOT / "data" / "nlu" / "trades.yml"


@cache
def trade_surfaces(path: Path = TRADES_NLU_FILE) -> dict[str, str]:
    """Surface form → trade id (synonyms of the NLU data, labels and ids)."""
    surfaces = {label: trade for trade, label in TRADE_LABELS.items()}
    surfaces.update({trade.replace("_", " "): trade for trade in TRADE_LABELS})
    surfaces.update({trade: trade for trade in TRADE_LABELS})
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        trade = block.get("synonym")
        if trade in TRADE_LABELS:
            for line in block["examples"].splitlines():
                surface = line.strip().removeprefix("- ").strip()
                if surface:
                    surfaces[surface] = trade
    return surfaces


@cache
def trade_lexicon() -> TradeLexicon:
    """The lexicon of every known trade surface form."""
    return TradeLexicon(trade_surfaces())


def match_trade(text: str) -> str | None:
    """The first trade id named in `text` ("Dachdeckermeisterin", "Friseur:innen"),
    else None."""
    return trade_lexicon().first(text)
