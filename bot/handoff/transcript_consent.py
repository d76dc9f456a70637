""" "Verlauf per E-Mail senden" with the person's consent: the advisor offers, the
person answers with a button ("#transcript:yes:<id>" / "#transcript:no:<id>"), and
only a yes sends the transcript to the address they gave in the callback form."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.db.desk_models import TranscriptMail
from bot.db.models import Advisor, Handoff
from bot.db.store import StoredMessage
from bot.handoff.console_views import ConsoleViews
from bot.handoff.core import HandoffError
from bot.handoff.routing import advisor_title
from bot.handoff.serialize import message_json
from bot.handoff.states import Status
from bot.handoff.store import INTAKE
from bot.handoff.transcript_mail import TranscriptMailStore, mail_state, person_email

if TYPE_CHECKING:
    from bot.handoff.service import HandoffService

PREFIX = "#transcript:"
ANSWER = re.compile(r"^#transcript:(yes|no):(\d{1,12})$")
ASK = (
    "{advisor} möchte Ihnen den Verlauf dieses Gesprächs per E-Mail an {address} senden. "
    "Sind Sie einverstanden?"
)
YES = "Danke! Der Verlauf geht in den nächsten Minuten an {address}."
NO = "In Ordnung, wir senden Ihnen keinen Verlauf."
ANSWERED = "Diese Frage haben Sie schon beantwortet."
OUTDATED = "Diese Frage ist nicht mehr aktuell."
NO_ADDRESS = "Die Person hat keine E-Mail-Adresse angegeben."
NOT_YOURS = "Nur wer den Vorgang bearbeitet, kann den Verlauf senden."
NO_SMTP = "Der E-Mail-Versand ist nicht eingerichtet."
PENDING = "Die Person wurde schon gefragt und hat noch nicht geantwortet."
NOT_OPEN = "Für diesen Vorgang lässt sich kein Verlauf senden."


def ask_buttons(mail_id: int) -> list[dict[str, str]]:
    """The person's two answers."""
    return [
        {"title": "Ja, bitte senden", "payload": f"{PREFIX}yes:{mail_id}"},
        {"title": "Nein, danke", "payload": f"{PREFIX}no:{mail_id}"},
    ]


class TranscriptConsent(ConsoleViews):
    """The advisor's offer and the person's answer; the sending is the mailer's job."""

    _transcripts: TranscriptMailStore | None = None
    _mail_ready = False
    _send_transcript: Callable[[TranscriptMail], Awaitable[object]] | None = None

    def use_transcript_mail(
        self,
        store: TranscriptMailStore,
        ready: bool,
        send: Callable[[TranscriptMail], Awaitable[object]],
    ) -> None:
        """Wire the store, whether SMTP is configured, and how a consented mail is sent."""
        self._transcripts, self._mail_ready, self._send_transcript = store, ready, send

    async def transcript_status(self, handoff: Handoff, advisor: Advisor) -> dict[str, Any]:
        """For the detail view: the mail's state and why the button is disabled."""
        latest = await self._transcripts.latest(handoff.id) if self._transcripts else None
        state = mail_state(latest)
        return {"state": state, "blocked": self._blocked(handoff, advisor, state)}

    def _blocked(self, handoff: Handoff, advisor: Advisor, state: str | None) -> str | None:
        if self._transcripts is None or not self._mail_ready:
            return NO_SMTP
        if handoff.status == Status.CANCELLED or handoff.status in INTAKE:
            return NOT_OPEN
        if handoff.advisor_id != advisor.id:
            return NOT_YOURS
        if person_email(handoff) is None:
            return NO_ADDRESS
        return PENDING if state == "asked" else None

    async def offer_transcript(self, handoff_id: int, advisor: Advisor) -> Handoff:
        """Ask the person whether the transcript may be mailed to their address."""
        handoff = await self._require(handoff_id)
        if not await self.may_read(handoff, advisor):
            raise HandoffError("Diesen Vorgang gibt es nicht.", status=404)
        status = await self.transcript_status(handoff, advisor)
        if status["blocked"] or self._transcripts is None:
            raise HandoffError(status["blocked"] or NO_SMTP)
        mail = await self._transcripts.create(handoff.id, advisor.id)
        text = ASK.format(advisor=advisor_title(advisor), address=person_email(handoff))
        message = await self._messages.add(
            handoff.conversation_id,
            StoredMessage("system", text, ask_buttons(mail.id), {"ticket": handoff.ticket}),
        )
        await self._deliver(handoff, message)
        await self._mail_changed(handoff.id, "asked")
        return handoff

    async def answer_transcript(
        self, conversation_id: str, answer: StoredMessage, payload: str
    ) -> list[StoredMessage]:
        """The person's stored answer to the offer: record it once, send on yes."""
        match = ANSWER.match(payload)
        store = self._transcripts
        mail = await store.get(int(match.group(2))) if match and store else None
        handoff = await self.handoffs.get(mail.handoff_id) if mail else None
        if (
            match is None
            or store is None
            or mail is None
            or handoff is None
            or handoff.conversation_id != conversation_id
        ):
            reply = await self._messages.add(conversation_id, StoredMessage("system", OUTDATED))
            return [reply]
        consent = match.group(1) == "yes"
        await self._show_consoles(handoff, answer)
        recorded = await store.answer(mail.id, consent)
        text = NO if not consent else YES.format(address=person_email(handoff))
        reply = await self._messages.add(
            conversation_id, StoredMessage("system", text if recorded else ANSWERED)
        )
        await self._show_consoles(handoff, reply)
        if recorded:
            await self._mail_changed(handoff.id, "sending" if consent else "declined")
            if consent and self._send_transcript is not None:
                await self._send_transcript(mail)
        return [reply]

    async def mail_finished(self, mail: TranscriptMail, sent: bool) -> None:
        """Tell the consoles how a send ended."""
        await self._mail_changed(mail.handoff_id, "sent" if sent else "sending")

    async def _show_consoles(self, handoff: Handoff, message: StoredMessage) -> None:
        await self._consoles.broadcast(
            {"type": "message", "handoff_id": handoff.id, "message": message_json(message)}
        )

    async def _mail_changed(self, handoff_id: int, state: str) -> None:
        await self._consoles.broadcast(
            {"type": "transcript_mail", "handoff_id": handoff_id, "state": state}
        )


async def transcript_answer(
    handoffs: HandoffService, conversation_id: str, message: StoredMessage, payload: str | None
) -> list[StoredMessage] | None:
    """The gateway's hook: the reply to a "#transcript:" button, or None for any
    other message."""
    if not payload or not payload.startswith(PREFIX):
        return None
    return await handoffs.answer_transcript(conversation_id, message, payload)
