from typing import Any

from bot.nlu.trade_entities import learn_surfaces, resolve_trades
from bot.nlu.trade_lexicon import TradeLexicon

LEXICON = TradeLexicon(
    {
        "Maler und Lackierer": "maler_lackierer",
        "Maler": "maler_lackierer",
        "Bäckerei": "baecker",
        "Friseur": "friseur",
    }
)


def diet(text: str, part: str, value: str, entity: str = "trade") -> dict[str, Any]:
    start = text.index(part)
    return {
        "entity": entity,
        "start": start,
        "end": start + len(part),
        "value": value,
        "extractor": "DIETClassifier",
        "confidence_entity": 0.8,
    }


def resolved(text: str, entities: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [
        (e["entity"], text[e["start"] : e["end"]], e["value"])
        for e in resolve_trades(text, entities, LEXICON, "TradeEntityResolver")
    ]


def test_lexicon_span_replaces_a_cut_diet_span() -> None:
    text = "Ich bin Maler und Lackierer"
    assert resolved(text, [diet(text, "Maler und", "Maler und")]) == [
        ("trade", "Maler und Lackierer", "maler_lackierer")
    ]


def test_lexicon_adds_a_trade_diet_missed_and_keeps_other_entities() -> None:
    text = "TSE für unsere Bäckerei"
    topic = diet(text, "TSE", "kasse_tse", entity="topic")
    assert resolved(text, [topic]) == [
        ("topic", "TSE", "kasse_tse"),
        ("trade", "Bäckerei", "baecker"),
    ]


def test_diet_trade_with_a_known_value_is_kept() -> None:
    text = "wir sind Haarkünstler"
    assert resolved(text, [diet(text, "Haarkünstler", "friseur")]) == [
        ("trade", "Haarkünstler", "friseur")
    ]


def test_diet_trade_that_names_nothing_known_is_dropped() -> None:
    text = "schutz vor hackern"
    assert resolved(text, [diet(text, "hackern", "hackern")]) == []


def test_resolved_entities_carry_the_resolver_name() -> None:
    text = "Friseur"
    (entity,) = resolve_trades(text, [], LEXICON, "TradeEntityResolver")
    assert entity["extractor"] == "TradeEntityResolver"
    assert entity["text"] == "Friseur"


def test_surfaces_learnt_from_annotations_and_synonyms() -> None:
    text = "wir sind eine Konditorei"
    examples = [
        (text, [{"entity": "trade", "start": 14, "end": 24, "value": "Konditorei"}]),
        ("egal", [{"entity": "topic", "start": 0, "end": 4, "value": "x"}]),
    ]
    surfaces = learn_surfaces(
        examples, {"konditorei": "konditor", "zuckerbäcker": "konditor", "kasse": "kasse_tse"}
    )
    assert surfaces == {
        "Konditorei": "konditor",
        "konditor": "konditor",
        "konditorei": "konditor",
        "zuckerbäcker": "konditor",
    }
