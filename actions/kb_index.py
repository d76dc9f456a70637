"""The search index of the knowledge base as it reads today."""

from __future__ import annotations

from datetime import date

from bot.clock import today
from bot.kb.search import KnowledgeIndex

# the index of the guides as they read on one day (the knowledge base has dated parts)
_INDEX: dict[date, KnowledgeIndex] = {}


def knowledge_index() -> KnowledgeIndex:
    """The search index of knowledge_base/ as it reads today (bot.clock); built once a
    day (a few seconds, at the first question after midnight)."""
    day = today()
    index = _INDEX.get(day)
    if index is None:
        index = KnowledgeIndex.from_files(day)
        _INDEX.clear()
        _INDEX[day] = index
    return index
