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


@cache
def topic_phrases() -> dict[str, str]:
    """Folded phrase → topic id, from the NLU data's topic synonyms."""
    data = yaml.safe_load(NLU_TOPICS.read_text(encoding="utf-8"))
    topics = load_taxonomy().topics
    phrases: dict[str, str] = {}
    for item in data.get("nlu") or []:
        topic = item.get("synonym")
        if topic not in topics:
            continue
        phrases[fold(topic.replace("_", " "))] = topic
        for line in str(item.get("examples") or "").splitlines():
            phrase = fold(line.strip().removeprefix("- ").strip())
            if phrase:
                phrases[phrase] = topic
    return phrases


def topic_named(text: str) -> str | None:
    """The one topic whose words `text` names, else None (none or several)."""
    folded = " ".join(re.findall(r"[a-z0-9]+", fold(text)))
    found = {
        topic
        for phrase, topic in topic_phrases().items()
        if re.search(rf"\b{re.escape(' '.join(re.findall(r'[a-z0-9]+', phrase)))}\b", folded)
    }
    return found.pop() if len(found) == 1 else None
