"""Merging DIET's trade entities with the trade lexicon (no Rasa imports: unit-testable)."""

from __future__ import annotations

from typing import Any

from bot.nlu.trade_lexicon import TradeLexicon, TradeMention

TRADE = "trade"


def learn_surfaces(
    examples: list[tuple[str, list[dict[str, Any]]]], synonyms: dict[str, str]
) -> dict[str, str]:
    """Surface form → trade id from annotated examples and the synonyms of their values."""
    surfaces: dict[str, str] = {}
    for text, entities in examples:
        for entity in entities:
            if entity.get("entity") == TRADE:
                value = str(entity.get("value", ""))
                trade = synonyms.get(value.lower(), value)
                surfaces[text[entity["start"] : entity["end"]]] = trade
                surfaces[trade] = trade
    trades = set(surfaces.values())
    surfaces.update({form: trade for form, trade in synonyms.items() if trade in trades})
    return surfaces


def resolve_trades(
    text: str, entities: list[dict[str, Any]], lexicon: TradeLexicon, extractor: str
) -> list[dict[str, Any]]:
    """`entities` with the trade entities replaced by the merged, resolved ones."""
    mentions = lexicon.mentions(text)
    others = [e for e in entities if e.get("entity") != TRADE]
    resolved = [_entity(mention, text, extractor, 1.0) for mention in mentions]
    for entity in (e for e in entities if e.get("entity") == TRADE):
        if any(m.start < entity["end"] and entity["start"] < m.end for m in mentions):
            continue
        value = entity.get("value")
        trade = value if value in lexicon.trades else lexicon.first(str(value))
        trade = trade or lexicon.first(text[entity["start"] : entity["end"]])
        if trade is not None:
            mention = TradeMention(entity["start"], entity["end"], trade)
            resolved.append(_entity(mention, text, extractor, entity.get("confidence_entity")))
    return others + sorted(resolved, key=lambda e: int(e["start"]))


def _entity(
    mention: TradeMention, text: str, extractor: str, confidence: float | None
) -> dict[str, Any]:
    return {
        "entity": TRADE,
        "start": mention.start,
        "end": mention.end,
        "value": mention.trade,
        "text": text[mention.start : mention.end],
        "confidence_entity": confidence,
        "extractor": extractor,
    }
