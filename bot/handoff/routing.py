"""Which advisors a handoff is offered to first: matching region and topic."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.db.models import Advisor, Handoff


def matches(advisor: Advisor, handoff: Handoff) -> bool:
    """True if the advisor covers the handoff's region and topic (unknown = any)."""
    region_ok = not handoff.region or not advisor.regions or handoff.region in advisor.regions
    topic_ok = not handoff.topic or not advisor.topics or handoff.topic in advisor.topics
    return region_ok and topic_ok


def offered_to(
    advisor: Advisor,
    handoff: Handoff,
    online: list[Advisor],
    now: datetime,
    exclusive: timedelta,
) -> bool:
    """True if `advisor` sees the handoff now: matching advisors at once, everyone else
    when no matching advisor is online or after the exclusive period."""
    if matches(advisor, handoff):
        return True
    if not any(matches(other, handoff) for other in online):
        return True
    started = handoff.queued_at or handoff.created_at
    return now - started >= exclusive


def advisor_title(advisor: Advisor) -> str:
    """How the person is told who answers: "Frau Schulz", or the full name."""
    if advisor.salutation:
        return f"{advisor.salutation} {advisor.display_name.split()[-1]}"
    return advisor.display_name
