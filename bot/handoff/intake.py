"""The handoff from the person's side: consent, summary, live queue or callback
form, ending it, and the rating afterwards."""

from __future__ import annotations

from typing import Any

from bot.db.models import Handoff, utcnow
from bot.db.store import StoredMessage
from bot.handoff import texts
from bot.handoff.callback_form import CallbackForm
from bot.handoff.core import (
    CANCEL_BUTTON,
    MAX_CHARS_ANY,
    MAX_SUMMARY,
    RATING_WINDOW,
    RATINGS,
    REASONS,
    Outcome,
    _now,
)
from bot.handoff.serialize import message_json
from bot.handoff.states import Status, Step
from bot.handoff.store import INTAKE, LIVE
from bot.handoff.typed import cancels, confirmation, is_bare_confirmation
from bot.handoff.validation import parse_free_text
from bot.kb.labels import TOPIC_LABELS, TRADE_LABELS


class PersonIntake(CallbackForm):
    """What the person's messages do while a handoff runs."""

    async def start(
        self, conversation_id: str, channel: str, trigger: dict[str, Any]
    ) -> list[StoredMessage]:
        """Open a handoff from a trigger (reason, question, trade, topic); ask consent."""
        reason = str(trigger.get("reason") or "")
        reason = reason if reason in REASONS else "request_human"
        trade = trigger.get("trade")
        region = trigger.get("region") or await self._region_of(conversation_id)
        handoff = await self.handoffs.create(
            conversation_id,
            channel,
            reason=reason,
            summary=str(trigger.get("question") or "")[:MAX_SUMMARY],
            trade=TRADE_LABELS.get(trade, trade) if isinstance(trade, str) else None,
            topic=trigger.get("topic") if isinstance(trigger.get("topic"), str) else None,
            region=region,
        )
        text = texts.CONSENT.format(intro=texts.INTRO[reason], days=self._retention_days)
        return [await self._say(handoff, text, texts.CONSENT_BUTTONS, "consent")]

    async def on_person_message(
        self, handoff: Handoff, message: StoredMessage, text: str, payload: str | None
    ) -> Outcome:
        """Handle what the person wrote while a handoff runs (`message` is stored)."""
        command = payload if payload and payload.startswith("#handoff:") else None
        folded = " ".join(text.lower().split()).strip(" .!")
        if command == "#handoff:end" or any(p in folded for p in texts.EXIT_PHRASES):
            return Outcome(await self._person_ends(handoff))
        if handoff.status in LIVE:
            if command == "#handoff:callback" and handoff.status == Status.WAITING:
                return Outcome(await self._waiting_to_callback(handoff))
            await self._consoles.broadcast(
                {"type": "message", "handoff_id": handoff.id, "message": message_json(message)}
            )
            return Outcome()  # the bot stays silent; the advisor answers
        typed = confirmation(text) if command is None else None
        declined = handoff.status == Status.CONSENT and typed is False
        if command == "#handoff:cancel" or cancels(folded) or declined:
            return Outcome(await self._cancel(handoff))
        if handoff.status == Status.CONSENT:
            if command == "#handoff:consent" or typed:
                return Outcome(await self._after_consent(handoff))
            # the person moved on: drop the offer and let the bot answer
            await self.handoffs.transition(
                handoff.id, (Status.CONSENT,), status=Status.CANCELLED, closed_at=utcnow()
            )
            return Outcome(forward=True)
        if handoff.status == Status.SUMMARY:
            return Outcome(await self._summary_step(handoff, text, command, typed))
        return Outcome(await self._form_step(handoff, text, command, typed))

    async def rate(
        self, conversation_id: str, text: str, payload: str | None
    ) -> StoredMessage | None:
        """Store a 1–5 rating of the last advisor conversation (a rating button, or a
        digit typed soon after the rating question); None if the message is not one."""
        pressed = payload is not None and payload.startswith("#rating:")
        choice = payload.removeprefix("#rating:") if pressed and payload else text.strip()
        if choice not in RATINGS:
            return None
        latest = await self.handoffs.latest_for(conversation_id)
        if latest is None or not (
            latest.claimed_at is not None
            and latest.rating is None
            and latest.status in (Status.CLOSED, Status.HANDED_BACK)
            and (pressed or _now() - (latest.closed_at or latest.created_at) <= RATING_WINDOW)
        ):
            # a rating button pressed twice is thanked again; a typed digit is for the bot
            return await self._thank(conversation_id) if pressed else None
        await self.handoffs.transition(
            latest.id, (Status.CLOSED, Status.HANDED_BACK), rating=int(choice), rated_at=_now()
        )
        await self._consoles.broadcast_queue()
        return await self._thank(conversation_id)

    async def _after_consent(self, handoff: Handoff) -> list[StoredMessage]:
        step = "confirm" if handoff.summary else "write"
        updated = await self.handoffs.transition(
            handoff.id, (Status.CONSENT,), status=Status.SUMMARY, step=step
        )
        if updated is None:
            return []
        if step == Step.WRITE:
            return [await self._say(updated, texts.SUMMARY_WRITE, [CANCEL_BUTTON], "summary")]
        return [
            await self._say(updated, self._summary_text(updated), texts.SUMMARY_BUTTONS, "summary")
        ]

    def _summary_text(self, handoff: Handoff) -> str:
        details = []
        if handoff.trade:
            details.append(f"Gewerk: {handoff.trade}")
        if handoff.topic:
            details.append(f"Thema: {TOPIC_LABELS.get(handoff.topic, handoff.topic)}")
        suffix = f"\n({', '.join(details)})" if details else ""
        return texts.SUMMARY_CONFIRM.format(summary=handoff.summary, details=suffix)

    async def _summary_step(
        self, handoff: Handoff, text: str, command: str | None, typed: bool | None
    ) -> list[StoredMessage]:
        if handoff.step == Step.CONFIRM:
            if command == "#handoff:summary_ok" or typed:
                return await self._route(handoff)
            if command == "#handoff:summary_edit" or typed is False:
                updated = await self.handoffs.transition(
                    handoff.id, (Status.SUMMARY,), step=Step.WRITE
                )
                return [
                    await self._say(
                        updated or handoff, texts.SUMMARY_WRITE, [CANCEL_BUTTON], "summary"
                    )
                ]
        # a bare "ja, passt so" where the concern is asked for: the person has none to
        # add; a bare "nein, das stimmt so nicht" is none either (asked again)
        bare = command is None and is_bare_confirmation(text)
        if bare and typed and handoff.summary:
            return await self._route(handoff)  # the concern as it was
        if bare and typed:
            summary: str | None = texts.NO_CONCERN
        else:
            summary = None if command or bare else parse_free_text(text, MAX_CHARS_ANY)
        if summary and len(summary) > MAX_SUMMARY:
            # the advisor sees the whole message in the transcript anyway
            summary = summary[: MAX_SUMMARY - 1].rsplit(" ", 1)[0] + "…"
        if summary is None or len(summary) < 3:
            return [await self._say(handoff, texts.SUMMARY_TOO_SHORT, [CANCEL_BUTTON], "summary")]
        if not handoff.summary:  # written for the first time: on to the advisors
            updated = await self.handoffs.transition(handoff.id, (Status.SUMMARY,), summary=summary)
            return await self._route(updated or handoff)
        # a corrected concern is shown once more to confirm
        updated = await self.handoffs.transition(
            handoff.id, (Status.SUMMARY,), summary=summary, step=Step.CONFIRM
        )
        shown = updated or handoff
        return [await self._say(shown, self._summary_text(shown), texts.SUMMARY_BUTTONS, "summary")]

    async def _route(self, handoff: Handoff) -> list[StoredMessage]:
        if self.available():
            updated = await self.handoffs.transition(
                handoff.id, (Status.SUMMARY,), status=Status.WAITING, step=None, queued_at=utcnow()
            )
            if updated is None:
                return []
            position = await self.handoffs.position(updated)
            text = texts.QUEUED.format(position=position, ticket=updated.ticket)
            reply = await self._say(updated, text, texts.QUEUED_BUTTONS, "waiting")
            await self._consoles.broadcast_queue()
            return [reply]
        updated = await self.handoffs.transition(
            handoff.id, (Status.SUMMARY,), status=Status.CALLBACK, step=Step.NAME
        )
        if updated is None:
            return []
        intro = texts.NOBODY_AVAILABLE.format(hours=self._hours.describe())
        return [await self._ask(updated, "name", intro)]

    async def _waiting_to_callback(self, handoff: Handoff) -> list[StoredMessage]:
        updated = await self.handoffs.transition(
            handoff.id, (Status.WAITING,), status=Status.CALLBACK, step=Step.NAME, queued_at=None
        )
        if updated is None:
            return []
        await self._advance_queue(handoff)
        await self._consoles.broadcast_queue()
        return [await self._ask(updated, "name")]

    async def _cancel(self, handoff: Handoff) -> list[StoredMessage]:
        updated = await self.handoffs.transition(
            handoff.id, INTAKE, status=Status.CANCELLED, step=None, closed_at=utcnow()
        )
        return [await self._say(updated or handoff, texts.CANCELLED, [], "cancelled")]

    async def _person_ends(self, handoff: Handoff) -> list[StoredMessage]:
        if handoff.status == Status.ACTIVE:
            updated = await self.handoffs.transition(
                handoff.id, (Status.ACTIVE,), status=Status.CLOSED, closed_at=utcnow()
            )
            reply = await self._say(
                updated or handoff,
                f"{texts.ENDED_BY_PERSON}\n\n{texts.RATING_QUESTION}",
                texts.RATING_BUTTONS,
                "ended",
            )
        elif handoff.status == Status.WAITING:
            updated = await self.handoffs.transition(
                handoff.id, (Status.WAITING,), status=Status.CANCELLED, closed_at=utcnow()
            )
            reply = await self._say(updated or handoff, texts.BACK_TO_BOT, [], "cancelled")
            await self._advance_queue(handoff)
        else:
            return await self._cancel(handoff)
        await self._consoles.broadcast(
            {"type": "message", "handoff_id": handoff.id, "message": message_json(reply)}
        )
        await self._consoles.broadcast_queue()
        return [reply]
