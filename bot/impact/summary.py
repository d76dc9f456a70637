"""The headline numbers of a range: what the page shows first and the report per channel."""

from __future__ import annotations

from dataclasses import dataclass

from bot.impact.collect import (
    ANSWERED,
    CALLBACK,
    CONVERSATIONS,
    FEEDBACK,
    HANDOFF,
    MESSAGES,
    UNANSWERED,
)
from bot.impact.hits import REGISTRATION
from bot.impact.periods import Figures
from bot.impact.tables import share


@dataclass(frozen=True)
class Totals:
    """Sums over the range; shares in percent (None without a base)."""

    conversations: int
    messages: int
    answered_share: float | None
    helpful_share: float | None
    handoffs: int
    registrations: int


def totals(figures: Figures) -> Totals:
    """The headline numbers of `figures`."""
    answered, unanswered = figures.total(ANSWERED), figures.total(UNANSWERED)
    helpful = figures.total(FEEDBACK, "helpful")
    rated = helpful + figures.total(FEEDBACK, "not_helpful")
    return Totals(
        conversations=figures.total(CONVERSATIONS),
        messages=sum(figures.total(MESSAGES, sender) for sender in ("user", "bot", "system")),
        answered_share=share(answered, answered + unanswered),
        helpful_share=share(helpful, rated),
        handoffs=figures.total(HANDOFF, "live") + figures.total(HANDOFF, CALLBACK),
        registrations=sum(figures.hits.get(REGISTRATION, [])),
    )
