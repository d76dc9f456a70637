"""Topics named in so many words ("n workshop zu KI"), for where the NLU found no topic
entity: the topic synonyms of the NLU data, matched as whole words."""

from __future__ import annotations

import re
from functools import cache

import yaml

from bot.config import ROOT
from bot.folding import fold
from bot.kb.taxonomy import load_taxonomy

NLU_TOPICS = ROOT / "data" / "nlu" / "digitalisation.yml"


def word_string(text: str) -> str:
    """The folded words of `text`, space-separated and padded for whole-word matching."""
    return f" {' '.join(re.findall(r'[a-z0-9]+', fold(text)))} "


@cache
def topic_phrases() -> dict[str, str]:
    """Phrase (as `word_string`) → topic id, from the NLU data's topic synonyms; read
    and normalised once."""
    data = yaml.safe_load(NLU_TOPICS.read_text(encoding="utf-8"))
    topics = load_taxonomy().topics
    phrases: dict[str, str] = {}
    for item in data.get("nlu") or []:
        topic = item.get("synonym")
        if topic not in topics:
            continue
        phrases[word_string(topic.replace("_", " "))] = topic
        for line in str(item.get("examples") or "").splitlines():
            phrase = word_string(line.strip().removeprefix("- "))
            if phrase.strip():
                phrases[phrase] = topic
    return phrases


def topic_named(text: str) -> str | None:
    """The one topic whose words `text` names, else None (none or several)."""
    said = word_string(text)
    found = {topic for phrase, topic in topic_phrases().items() if phrase in said}
    return found.pop() if len(found) == 1 else None
