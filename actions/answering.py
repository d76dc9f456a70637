"""Answers from the knowledge base: the best section, its source and a link to read on."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from bot.config import Settings
from bot.kb.search import Hit, KnowledgeIndex, is_confident
from bot.kb.taxonomy import load_taxonomy
from bot.pages import host_of
from bot.texts import ADVISOR_BUTTON

MAX_ANSWER_CHARS = 600
# A guide written for the person's trade on the same topic as the best hit is preferred
# while it scores at least this share of it ("TSE" for a baker: the bakery guide).
TAILORED_SHARE = 0.8
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
FEEDBACK_BUTTONS = [
    {"title": "Hat geholfen", "payload": "#feedback:helpful"},
    {"title": "Hat nicht geholfen", "payload": "#feedback:not_helpful"},
]
NO_ANSWER = (
    "Dazu habe ich in unserer Wissensbasis leider keine verlässliche Antwort. "
    "Möchten Sie die Frage anders stellen oder mit unserer Beratung sprechen?"
)


@cache
def knowledge_index() -> KnowledgeIndex:
    """The search index, built once per process from knowledge_base/."""
    return KnowledgeIndex.from_files()


def shorten(text: str, limit: int = MAX_ANSWER_CHARS) -> str:
    """`text` cut after the last whole sentence that fits into `limit` characters."""
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in SENTENCE_BREAK.split(text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    if kept:
        return kept
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def trades_for(trade: str | None, trade_group: str | None) -> list[str]:
    """The trade, or all trades of the group, for boosting the search."""
    if trade:
        return [trade]
    if trade_group:
        return list(load_taxonomy().trade_groups.get(trade_group, ()))
    return []


def answer_message(hit: Hit, related: list[Hit]) -> dict[str, Any]:
    """Text, buttons and custom payload of one answer."""
    meta = hit.guide.meta
    hosts = list(dict.fromkeys(host_of(str(url)) for url in meta.sources))
    source = hosts[0] + (" u. a." if len(hosts) > 1 else "")
    link = f"{Settings.from_env().public_url}/wissen/{meta.id}#abschnitt-{hit.section.number}"
    text = (
        f"{shorten(hit.section.text)}\n\n"
        f"Quelle: {source} (Stand {meta.checked:%d.%m.%Y})\n"
        f"Mehr lesen: {link}"
    )
    buttons = [
        *FEEDBACK_BUTTONS,
        *(
            {"title": other.guide.meta.title, "payload": other.guide.meta.title}
            for other in related
        ),
        ADVISOR_BUTTON,
    ]
    custom = {
        "answer": {
            "guide_id": meta.id,
            "section": hit.section.number,
            "score": round(hit.score, 2),
            "topics": list(meta.topics),
        }
    }
    return {"text": text, "buttons": buttons, "json_message": custom}


def find_answer(
    question: str, trade: str | None, trade_group: str | None, topic: str | None
) -> tuple[Hit, list[Hit]] | None:
    """The best hit and up to two related guides, or None below the confidence threshold."""
    trades = trades_for(trade, trade_group)
    hits = knowledge_index().search(question, trades, topic, limit=5)
    if not is_confident(hits):
        return None
    hits = tailored_first(hits, set(trades))
    return hits[0], hits[1:3]


def tailored_first(hits: list[Hit], trades: set[str]) -> list[Hit]:
    """`hits` with a guide for the person's trade first if it is on the best hit's topic
    and scores at least TAILORED_SHARE of it (the best hit stays if it is for the trade)."""
    best = hits[0]
    if trades & set(best.guide.meta.trades):
        return hits
    for hit in hits[1:]:
        if (
            trades & set(hit.guide.meta.trades)
            and set(hit.guide.meta.topics) & set(best.guide.meta.topics)
            and hit.score >= TAILORED_SHARE * best.score
        ):
            return [hit, *(other for other in hits if other is not hit)]
    return hits


def depends_on_trade(question: str, topic: str | None) -> bool:
    """True if the best guides for `question` differ by trade (worth asking for it)."""
    hits = knowledge_index().search(question, (), topic, limit=3)
    return is_confident(hits) and any(hit.guide.meta.trades for hit in hits)


knowledge_index()  # build the index when the action server starts, not on the first question
