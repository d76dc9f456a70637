"""The outcome of a callback as the advisor records it."""

from __future__ import annotations

from bot.db.models import Advisor, Handoff
from bot.handoff.console_views import ConsoleViews
from bot.handoff.core import HandoffError
from bot.handoff.states import Status

OUTCOMES = {
    "reached": "erreicht",
    "not_reached": "nicht erreicht",
    "appointment": "Termin vereinbart",
}
CALLBACKS = (Status.CALLBACK_OPEN, Status.CALLBACK_DONE)


class CallbackOutcomes(ConsoleViews):
    """Records "erreicht", "nicht erreicht" or "Termin vereinbart" on a callback."""

    async def set_outcome(self, handoff_id: int, advisor: Advisor, outcome: str) -> Handoff:
        """Store the outcome of a callback the advisor holds (or an open one, which
        they thereby take)."""
        if outcome not in OUTCOMES:
            raise HandoffError("Bitte wählen Sie ein Ergebnis des Rückrufs.", status=400)
        handoff = await self._require(handoff_id)
        if not await self.may_read(handoff, advisor):
            raise HandoffError("Diesen Vorgang gibt es nicht.", status=404)
        if handoff.status not in CALLBACKS:
            raise HandoffError("Ein Ergebnis gibt es nur für Rückrufbitten.", status=400)
        updated = await self.handoffs.transition(
            handoff_id,
            CALLBACKS,
            claimant=advisor.id,
            advisor_id=advisor.id,
            callback_outcome=outcome,
        )
        if updated is None:
            raise HandoffError("Diese Rückrufbitte bearbeitet jemand anderes.", status=403)
        await self._consoles.broadcast_queue()
        return updated
