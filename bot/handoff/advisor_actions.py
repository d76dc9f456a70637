"""The advisors' actions on a handoff: claim, reply, note, close, hand back, done."""

from __future__ import annotations

from bot.db.models import Advisor, Handoff, utcnow
from bot.db.store import StoredMessage
from bot.handoff import texts
from bot.handoff.core import MAX_ADVISOR_TEXT, HandoffCore, HandoffError
from bot.handoff.routing import advisor_title
from bot.handoff.states import Status


class AdvisorActions(HandoffCore):
    """Each action checks the handoff's state and who holds it, then tells the person."""

    async def claim(self, handoff_id: int, advisor: Advisor) -> Handoff:
        """Take over a waiting chat (the person is told who answers) or a callback."""
        handoff = await self._require(handoff_id)
        if handoff.status == Status.WAITING:
            updated = await self.handoffs.transition(
                handoff_id,
                (Status.WAITING,),
                claimant=advisor.id,
                status=Status.ACTIVE,
                advisor_id=advisor.id,
                claimed_at=utcnow(),
            )
            if updated is None:
                raise HandoffError("Dieser Chat wurde gerade schon übernommen.")
            await self._advance_queue(handoff)
            await self._tell_person(
                updated,
                texts.CLAIMED.format(advisor=advisor_title(advisor)),
                [],
                "active",
                advisor=advisor_title(advisor),
            )
        elif handoff.status == Status.CALLBACK_OPEN:
            updated = await self.handoffs.transition(
                handoff_id, (Status.CALLBACK_OPEN,), claimant=advisor.id, advisor_id=advisor.id
            )
            if updated is None:
                raise HandoffError("Diese Rückrufbitte hat schon jemand übernommen.")
        else:
            raise HandoffError("Dieser Vorgang ist nicht mehr offen.")
        await self._consoles.broadcast_queue()
        return updated

    async def reply(self, handoff_id: int, advisor: Advisor, text: str) -> Handoff:
        """Send the advisor's message to the person on their channel."""
        handoff = await self._own_active(handoff_id, advisor)
        clean = text.strip()
        if not clean or len(clean) > MAX_ADVISOR_TEXT:
            raise HandoffError(f"Bitte 1 bis {MAX_ADVISOR_TEXT} Zeichen.", status=400)
        message = await self._messages.add(
            handoff.conversation_id,
            StoredMessage("advisor", clean, [], {"advisor": advisor_title(advisor)}),
        )
        await self._deliver(handoff, message)
        return handoff

    async def note(self, handoff_id: int, advisor: Advisor, text: str) -> Handoff:
        """Store an internal note."""
        handoff = await self._require(handoff_id)
        clean = text.strip()
        if not clean or len(clean) > MAX_ADVISOR_TEXT:
            raise HandoffError(f"Bitte 1 bis {MAX_ADVISOR_TEXT} Zeichen.", status=400)
        await self.handoffs.add_note(handoff.id, advisor.id, clean)
        return handoff

    async def close(self, handoff_id: int, advisor: Advisor) -> Handoff:
        """End the live chat; the bot takes over again and asks for a rating."""
        await self._own_active(handoff_id, advisor)
        updated = await self.handoffs.transition(
            handoff_id,
            (Status.ACTIVE,),
            claimant=advisor.id,
            status=Status.CLOSED,
            closed_at=utcnow(),
        )
        if updated is None:
            raise HandoffError("Dieser Chat ist schon beendet.")
        text = texts.CLOSED_BY_ADVISOR.format(advisor=advisor_title(advisor))
        await self._tell_person(
            updated, f"{text}\n\n{texts.RATING_QUESTION}", texts.RATING_BUTTONS, "ended"
        )
        await self._consoles.broadcast_queue()
        return updated

    async def handback(self, handoff_id: int, advisor: Advisor) -> Handoff:
        """Give a waiting or own active chat back to the bot."""
        handoff = await self._require(handoff_id)
        if handoff.status == Status.ACTIVE and handoff.advisor_id != advisor.id:
            raise HandoffError("Diesen Chat betreut jemand anderes.", status=403)
        updated = await self.handoffs.transition(
            handoff_id,
            (Status.WAITING, Status.ACTIVE),
            claimant=advisor.id,
            advisor_id=advisor.id,
            status=Status.HANDED_BACK,
            closed_at=utcnow(),
        )
        if updated is None:
            raise HandoffError("Dieser Chat ist nicht mehr offen.")
        if handoff.status == Status.ACTIVE:
            await self._tell_person(
                updated,
                f"{texts.HANDED_BACK}\n\n{texts.RATING_QUESTION}",
                texts.RATING_BUTTONS,
                "ended",
            )
        else:
            await self._tell_person(updated, texts.HANDED_BACK, [], "ended")
            await self._advance_queue(handoff)
        await self._consoles.broadcast_queue()
        return updated

    async def done(self, handoff_id: int, advisor: Advisor) -> Handoff:
        """Mark a callback request as done."""
        updated = await self.handoffs.transition(
            handoff_id,
            (Status.CALLBACK_OPEN,),
            claimant=advisor.id,
            advisor_id=advisor.id,
            status=Status.CALLBACK_DONE,
            closed_at=utcnow(),
        )
        if updated is None:
            raise HandoffError("Diese Rückrufbitte ist nicht mehr offen oder nicht Ihre.")
        await self._consoles.broadcast_queue()
        return updated

    async def _own_active(self, handoff_id: int, advisor: Advisor) -> Handoff:
        handoff = await self._require(handoff_id)
        if handoff.status != Status.ACTIVE:
            raise HandoffError("Dieser Chat ist nicht (mehr) aktiv.")
        if handoff.advisor_id != advisor.id:
            raise HandoffError("Diesen Chat betreut jemand anderes.", status=403)
        return handoff
