"""The emergency guide's first steps as a message: the section that fits, the advisor
offered first, the step asked about first."""

from __future__ import annotations

from datetime import date
from typing import Any

from actions.answering import shorten, source_lines
from actions.emergency import EMERGENCY_GUIDE, WHOM_TO_TELL
from actions.kb_index import knowledge_index
from actions.sections import fitting_first
from bot.kb.search import Hit
from bot.texts import ADVISOR_BUTTON


def emergency_section_for(text: str) -> str | None:
    """The section of the emergency guide that fits `text` best (None if none fits)."""
    scores = knowledge_index().section_scores(text, EMERGENCY_GUIDE)
    best = max(scores, key=lambda heading: scores[heading], default=None)
    return best if best is not None and scores[best] > 0 else None


def emergency_message(
    section_heading: str, today: date, follow_up: str = ""
) -> dict[str, Any] | None:
    """First steps of the emergency guide's section, the advisor offered first; for a
    `follow_up`, the step it asks about first ("soll ich zahlen?": no ransom)."""
    guide = knowledge_index().guides.get(EMERGENCY_GUIDE)
    section = guide.section_titled(section_heading) if guide else None
    if guide is None or section is None:
        return None
    hit = Hit(guide, section, 0.0, 0.0)
    whom = guide.section_titled(WHOM_TO_TELL)
    buttons = [
        {
            **ADVISOR_BUTTON,
            "title": "Sofort mit Berater sprechen",
            "short_title": "Sofort zum Berater",
        }
    ]
    if whom is not None and whom != section:
        buttons.append(
            {
                "title": "Wen muss ich informieren?",
                "payload": whom.heading,
                "short_title": "Wen informieren?",
            }
        )
    steps = fitting_first(section.text, follow_up) if follow_up else section.text
    text = f"{shorten(steps)}\n\nUnsere Beratung hilft Ihnen sofort weiter.\n\n{source_lines(hit)}"
    custom = {
        "answer": {
            "guide_id": guide.id,
            "section": section.number,
            "topics": list(guide.meta.topics),
            "emergency": True,
        }
    }
    return {"text": text, "buttons": buttons, "json_message": custom}
