"""The handoff service: the person's intake (with the callback form), the advisors'
actions and the console's views, one instance per gateway process.

Each job lives in its own module: intake.py and callback_form.py (the person's side),
advisor_actions.py, outcomes.py, transcript_consent.py, console_views.py; core.py holds
what they share.
"""

from __future__ import annotations

from typing import Any

from bot.handoff.advisor_actions import AdvisorActions
from bot.handoff.console_views import ConsoleViews
from bot.handoff.core import HandoffError, Outcome
from bot.handoff.intake import PersonIntake
from bot.handoff.outcomes import CallbackOutcomes
from bot.handoff.transcript_consent import TranscriptConsent

__all__ = ["HandoffError", "HandoffService", "Outcome"]


class HandoffService(
    PersonIntake, AdvisorActions, CallbackOutcomes, TranscriptConsent, ConsoleViews
):
    """Runs every handoff of the gateway."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._consoles.use_snapshots(self.snapshot)
