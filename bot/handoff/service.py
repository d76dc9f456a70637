"""The handoff from the person's side (consent, summary, live queue or callback form)
and the advisors' actions on it. State lives in the database; sockets only get pushes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.db.models import Advisor, Handoff, utcnow
from bot.db.store import MessageStore, StoredMessage
from bot.events.recommend import regions_in
from bot.handoff import texts
from bot.handoff.accounts import AdvisorStore
from bot.handoff.hub import ConsoleHub, PersonHub
from bot.handoff.office_hours import OfficeHours
from bot.handoff.routing import advisor_title, matches, offered_to
from bot.handoff.serialize import handoff_json, iso, message_json
from bot.handoff.store import INTAKE, LIVE, HandoffStore
from bot.handoff.typed import confirmation, field_named, is_no_name
from bot.handoff.validation import Contact, parse_contact, parse_free_text, parse_name
from bot.kb.labels import TOPIC_LABELS, TRADE_LABELS
from bot.kb.trades import match_trade

FORM = ("name", "business", "trade", "contact", "time")
COLUMNS = {
    "name": "contact_name",
    "business": "business",
    "trade": "trade",
    "contact": "contact",
    "time": "preferred_time",
}
REASONS = frozenset(texts.INTRO)
MAX_ADVISOR_TEXT = 2000
RATING_WINDOW = timedelta(minutes=30)
RATINGS = frozenset("12345")
MAX_SUMMARY = 500
MAX_CHARS_ANY = 10_000
CANCEL_BUTTON = {"title": "Abbrechen", "payload": "#handoff:cancel"}
# step prefix while the bot asks whether a number typed for another field is the contact
CONTACT_CHECK = "contact?"


class HandoffError(Exception):
    """An advisor action that does not fit the handoff's state (German message)."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Outcome:
    """What a person's message did: stored replies, or `forward` it to the bot."""

    replies: list[StoredMessage] = field(default_factory=list)
    forward: bool = False


def _now() -> datetime:
    return datetime.now(UTC)


class HandoffService:
    """Runs every handoff of the gateway; one instance per gateway process."""

    def __init__(
        self,
        handoffs: HandoffStore,
        messages: MessageStore,
        advisors: AdvisorStore,
        people: PersonHub,
        consoles: ConsoleHub,
        office_hours: OfficeHours,
        retention_days: int,
        exclusive_seconds: float,
        public_url: str,
    ) -> None:
        self.handoffs = handoffs
        self._messages = messages
        self._advisors = advisors
        self._people = people
        self._consoles = consoles
        self._hours = office_hours
        self._retention_days = retention_days
        self._exclusive = timedelta(seconds=exclusive_seconds)
        self._public_url = public_url
        # called with each new callback request once it is stored (the mailer)
        self.on_callback: list[Callable[[Handoff], Awaitable[object]]] = []
        consoles.use_snapshots(self.snapshot)

    # ----- the person's side -------------------------------------------------------

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
            if command == "#handoff:callback" and handoff.status == "waiting":
                return Outcome(await self._waiting_to_callback(handoff))
            await self._consoles.broadcast(
                {"type": "message", "handoff_id": handoff.id, "message": message_json(message)}
            )
            return Outcome()  # the bot stays silent; the advisor answers
        typed = confirmation(text) if command is None else None
        declined = handoff.status == "consent" and typed is False
        if command == "#handoff:cancel" or folded in texts.CANCEL_WORDS or declined:
            return Outcome(await self._cancel(handoff))
        if handoff.status == "consent":
            if command == "#handoff:consent" or typed:
                return Outcome(await self._after_consent(handoff))
            # the person moved on: drop the offer and let the bot answer
            await self.handoffs.transition(
                handoff.id, ("consent",), status="cancelled", closed_at=utcnow()
            )
            return Outcome(forward=True)
        if handoff.status == "summary":
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
            and latest.status in ("closed", "handed_back")
            and (pressed or _now() - (latest.closed_at or latest.created_at) <= RATING_WINDOW)
        ):
            # a rating button pressed twice is thanked again; a typed digit is for the bot
            return await self._thank(conversation_id) if pressed else None
        await self.handoffs.transition(latest.id, ("closed", "handed_back"), rating=int(choice))
        await self._consoles.broadcast_queue()
        return await self._thank(conversation_id)

    async def _thank(self, conversation_id: str) -> StoredMessage:
        return await self._messages.add(
            conversation_id, StoredMessage("system", texts.RATING_THANKS)
        )

    async def _after_consent(self, handoff: Handoff) -> list[StoredMessage]:
        step = "confirm" if handoff.summary else "write"
        updated = await self.handoffs.transition(
            handoff.id, ("consent",), status="summary", step=step
        )
        if updated is None:
            return []
        if step == "write":
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
        if handoff.step == "confirm":
            if command == "#handoff:summary_ok" or typed:
                return await self._route(handoff)
            if command == "#handoff:summary_edit" or typed is False:
                updated = await self.handoffs.transition(handoff.id, ("summary",), step="write")
                return [
                    await self._say(
                        updated or handoff, texts.SUMMARY_WRITE, [CANCEL_BUTTON], "summary"
                    )
                ]
        summary = None if command else parse_free_text(text, MAX_CHARS_ANY)
        if summary and len(summary) > MAX_SUMMARY:
            # the advisor sees the whole message in the transcript anyway
            summary = summary[: MAX_SUMMARY - 1].rsplit(" ", 1)[0] + "…"
        if summary is None or len(summary) < 3:
            return [await self._say(handoff, texts.SUMMARY_TOO_SHORT, [CANCEL_BUTTON], "summary")]
        if not handoff.summary:  # written for the first time: on to the advisors
            updated = await self.handoffs.transition(handoff.id, ("summary",), summary=summary)
            return await self._route(updated or handoff)
        # a corrected concern is shown once more to confirm
        updated = await self.handoffs.transition(
            handoff.id, ("summary",), summary=summary, step="confirm"
        )
        shown = updated or handoff
        return [await self._say(shown, self._summary_text(shown), texts.SUMMARY_BUTTONS, "summary")]

    def available(self) -> bool:
        """True within office hours while at least one advisor has the console open."""
        return self._hours.is_open(_now()) and bool(self._consoles.online())

    async def _route(self, handoff: Handoff) -> list[StoredMessage]:
        if self.available():
            updated = await self.handoffs.transition(
                handoff.id, ("summary",), status="waiting", step=None, queued_at=utcnow()
            )
            if updated is None:
                return []
            position = await self.handoffs.position(updated)
            text = texts.QUEUED.format(position=position, ticket=updated.ticket)
            reply = await self._say(updated, text, texts.QUEUED_BUTTONS, "waiting")
            await self._consoles.broadcast_queue()
            return [reply]
        updated = await self.handoffs.transition(
            handoff.id, ("summary",), status="callback", step="name"
        )
        if updated is None:
            return []
        intro = texts.NOBODY_AVAILABLE.format(hours=self._hours.describe())
        return [await self._ask(updated, "name", intro)]

    async def _waiting_to_callback(self, handoff: Handoff) -> list[StoredMessage]:
        updated = await self.handoffs.transition(
            handoff.id, ("waiting",), status="callback", step="name", queued_at=None
        )
        if updated is None:
            return []
        await self._advance_queue(handoff)
        await self._consoles.broadcast_queue()
        return [await self._ask(updated, "name")]

    async def _ask(self, handoff: Handoff, step: str, intro: str = "") -> StoredMessage:
        """Ask for one field of the callback form (or show the review)."""
        field_name = step.removeprefix("edit_")
        buttons: list[dict[str, str]] = [CANCEL_BUTTON]
        if step == "review":
            lines = "\n".join(
                f"{texts.FIELD_LABELS[f]}: {getattr(handoff, COLUMNS[f]) or '–'}" for f in FORM
            )
            text = texts.REVIEW.format(lines=f"{lines}\nAnliegen: {handoff.summary}")
            buttons = texts.REVIEW_BUTTONS
        elif step == "change":
            text = texts.CHANGE
            buttons = [
                {"title": texts.FIELD_LABELS[f], "payload": f"#handoff:edit:{f}"} for f in FORM
            ]
        elif field_name == "trade" and handoff.trade:
            text = texts.ASK["trade_confirm"].format(trade=handoff.trade)
            buttons = [{"title": "Ja, stimmt", "payload": "#handoff:keep"}, CANCEL_BUTTON]
        else:
            text = texts.ASK[field_name]
            if field_name == "time":
                buttons = [*texts.TIME_BUTTONS, CANCEL_BUTTON]
        return await self._say(
            handoff, f"{intro}\n\n{text}" if intro else text, buttons, "callback"
        )

    async def _form_step(
        self, handoff: Handoff, text: str, command: str | None, typed: bool | None
    ) -> list[StoredMessage]:
        step = handoff.step or "name"
        if step == "review":
            if command == "#handoff:submit" or typed:
                return await self._submit(handoff)
            if command == "#handoff:change" or typed is False:
                named = field_named(text)  # "nein, die Telefonnummer"
                return await self._goto(handoff, f"edit_{named}" if named else "change")
            return [await self._ask(handoff, "review")]
        if step == "change":
            field_name = (command or "").removeprefix("#handoff:edit:")
            if field_name in FORM or (field_name := field_named(text) or "") in FORM:
                return await self._goto(handoff, f"edit_{field_name}")
            return [await self._ask(handoff, "change")]
        if step.startswith(CONTACT_CHECK):
            return await self._contact_checked(handoff, step, command, typed)
        field_name = step.removeprefix("edit_")
        if field_name == "trade" and handoff.trade and typed is False:
            updated = await self.handoffs.transition(handoff.id, ("callback",), trade=None)
            return [await self._ask(updated or handoff, step)]  # asks for the trade afresh
        keep = command == "#handoff:keep" or (command is None and typed is True)
        if keep and field_name == "trade" and handoff.trade:
            value: str | None = handoff.trade
        elif command:
            return [await self._ask(handoff, step)]
        elif field_name != "contact" and (contact := parse_contact(text)):
            # "0345 1234567" typed when asked for the business: probably the phone number
            updated = await self.handoffs.transition(
                handoff.id, ("callback",), step=f"{CONTACT_CHECK}{step}", contact=contact.value
            )
            return [await self._ask_contact_check(updated or handoff, contact)]
        else:
            value = self._parse_field(field_name, text)
        if value is None:
            return [await self._ask(handoff, step, texts.INVALID[field_name])]
        following = "review" if step.startswith("edit_") else self._next_open(handoff, field_name)
        values: dict[str, Any] = {"step": following, COLUMNS[field_name]: value}
        if field_name == "business" and regions_in(value) in ("halle", "magdeburg"):
            values["region"] = regions_in(value)  # where the business is routes the callback
        if field_name == "business" and not handoff.trade and (trade := match_trade(value)):
            values["trade"] = TRADE_LABELS.get(trade, trade)  # "Malerbetrieb …": confirmed next
        updated = await self.handoffs.transition(handoff.id, ("callback",), **values)
        return [await self._ask(updated or handoff, following)]

    async def _ask_contact_check(self, handoff: Handoff, contact: Contact) -> StoredMessage:
        kind = "Telefonnummer" if contact.kind == "phone" else "E-Mail-Adresse"
        text = texts.CONTACT_CHECK.format(value=contact.value, kind=kind)
        return await self._say(handoff, text, texts.CONTACT_CHECK_BUTTONS, "callback")

    async def _contact_checked(
        self, handoff: Handoff, step: str, command: str | None, typed: bool | None
    ) -> list[StoredMessage]:
        """After "Ist 0345 … Ihre Telefonnummer?": keep it (yes) or drop it (no), then
        ask again for the field that was asked."""
        asked = step.removeprefix(CONTACT_CHECK)
        answer = {"#handoff:contact_yes": True, "#handoff:contact_no": False}.get(
            command or "", typed
        )
        if answer is None:
            return [await self._ask_contact_check(handoff, Contact("phone", handoff.contact or ""))]
        values: dict[str, Any] = {"step": asked}
        if answer is False:
            values["contact"] = None
        updated = await self.handoffs.transition(handoff.id, ("callback",), **values)
        intro = texts.CONTACT_KEPT if answer else ""
        return [await self._ask(updated or handoff, asked, intro)]

    @staticmethod
    def _next_open(handoff: Handoff, field_name: str) -> str:
        """The field after `field_name`, skipping the contact if it is already known."""
        following = _next_field(field_name)
        if following == "contact" and handoff.contact:
            return _next_field(following)
        return following

    @staticmethod
    def _parse_field(field_name: str, text: str) -> str | None:
        if is_no_name(text) and not (field_name == "time" and confirmation(text) is None):
            return None  # "ja", "nein" or "hallo" is no name, business or trade
        if field_name == "name":
            return parse_name(text)
        if field_name == "contact":
            contact = parse_contact(text)
            return contact.value if contact else None
        if field_name == "trade":
            trade = match_trade(text)
            return TRADE_LABELS.get(trade, trade) if trade else parse_free_text(text, 100)
        return parse_free_text(text, 150 if field_name == "business" else 100)

    async def _goto(self, handoff: Handoff, step: str) -> list[StoredMessage]:
        updated = await self.handoffs.transition(handoff.id, ("callback",), step=step)
        return [await self._ask(updated or handoff, step)]

    async def _submit(self, handoff: Handoff) -> list[StoredMessage]:
        updated = await self.handoffs.transition(
            handoff.id, ("callback",), status="callback_open", step=None, queued_at=utcnow()
        )
        if updated is None:
            return []
        text = texts.CALLBACK_DONE.format(
            ticket=updated.ticket, time=(updated.preferred_time or "Egal").lower()
        )
        reply = await self._say(updated, text, [], "callback")
        await self._consoles.broadcast_queue()
        for listener in self.on_callback:
            await listener(updated)
        return [reply]

    async def _cancel(self, handoff: Handoff) -> list[StoredMessage]:
        updated = await self.handoffs.transition(
            handoff.id, INTAKE, status="cancelled", step=None, closed_at=utcnow()
        )
        return [await self._say(updated or handoff, texts.CANCELLED, [], "cancelled")]

    async def _person_ends(self, handoff: Handoff) -> list[StoredMessage]:
        if handoff.status == "active":
            updated = await self.handoffs.transition(
                handoff.id, ("active",), status="closed", closed_at=utcnow()
            )
            reply = await self._say(
                updated or handoff,
                f"{texts.ENDED_BY_PERSON}\n\n{texts.RATING_QUESTION}",
                texts.RATING_BUTTONS,
                "ended",
            )
        elif handoff.status == "waiting":
            updated = await self.handoffs.transition(
                handoff.id, ("waiting",), status="cancelled", closed_at=utcnow()
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

    async def _say(
        self,
        handoff: Handoff,
        text: str,
        buttons: list[dict[str, str]],
        state: str,
        advisor: str | None = None,
    ) -> StoredMessage:
        """Store a gateway message of the handoff (delivery is the caller's job)."""
        custom = {"handoff_state": state, "ticket": handoff.ticket}
        if advisor:
            custom["advisor"] = advisor
        return await self._messages.add(
            handoff.conversation_id, StoredMessage("system", text, list(buttons), custom)
        )

    async def _region_of(self, conversation_id: str) -> str | None:
        for message in reversed(await self._messages.history(conversation_id, limit=50)):
            region = regions_in(message.text) if message.sender == "user" else None
            if region in ("halle", "magdeburg"):
                return region
        return None

    # ----- the advisors' side ------------------------------------------------------

    async def claim(self, handoff_id: int, advisor: Advisor) -> Handoff:
        """Take over a waiting chat (the person is told who answers) or a callback."""
        handoff = await self._require(handoff_id)
        if handoff.status == "waiting":
            updated = await self.handoffs.transition(
                handoff_id,
                ("waiting",),
                claimant=advisor.id,
                status="active",
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
        elif handoff.status == "callback_open":
            updated = await self.handoffs.transition(
                handoff_id, ("callback_open",), claimant=advisor.id, advisor_id=advisor.id
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
        await self._people.deliver(handoff.conversation_id, [message])
        await self._consoles.broadcast(
            {"type": "message", "handoff_id": handoff.id, "message": message_json(message)}
        )
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
            handoff_id, ("active",), claimant=advisor.id, status="closed", closed_at=utcnow()
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
        if handoff.status == "active" and handoff.advisor_id != advisor.id:
            raise HandoffError("Diesen Chat betreut jemand anderes.", status=403)
        updated = await self.handoffs.transition(
            handoff_id,
            ("waiting", "active"),
            claimant=advisor.id,
            advisor_id=advisor.id,
            status="handed_back",
            closed_at=utcnow(),
        )
        if updated is None:
            raise HandoffError("Dieser Chat ist nicht mehr offen.")
        if handoff.status == "active":
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
            ("callback_open",),
            claimant=advisor.id,
            advisor_id=advisor.id,
            status="callback_done",
            closed_at=utcnow(),
        )
        if updated is None:
            raise HandoffError("Diese Rückrufbitte ist nicht mehr offen oder nicht Ihre.")
        await self._consoles.broadcast_queue()
        return updated

    async def _advance_queue(self, left: Handoff) -> None:
        """Tell everyone queued behind a chat that left the queue their new place."""
        if left.queued_at is None:
            return
        behind = await self.handoffs.waiting_after(left.queued_at)
        for handoff in behind:
            position = await self.handoffs.position(handoff)
            await self._tell_person(
                handoff, texts.MOVED_UP.format(position=position), texts.QUEUED_BUTTONS, "waiting"
            )

    async def _require(self, handoff_id: int) -> Handoff:
        handoff = await self.handoffs.get(handoff_id)
        if handoff is None:
            raise HandoffError("Diesen Vorgang gibt es nicht.", status=404)
        return handoff

    async def _own_active(self, handoff_id: int, advisor: Advisor) -> Handoff:
        handoff = await self._require(handoff_id)
        if handoff.status != "active":
            raise HandoffError("Dieser Chat ist nicht (mehr) aktiv.")
        if handoff.advisor_id != advisor.id:
            raise HandoffError("Diesen Chat betreut jemand anderes.", status=403)
        return handoff

    async def _tell_person(
        self,
        handoff: Handoff,
        text: str,
        buttons: list[dict[str, str]],
        state: str,
        advisor: str | None = None,
    ) -> None:
        message = await self._say(handoff, text, buttons, state, advisor)
        await self._people.deliver(handoff.conversation_id, [message])
        await self._consoles.broadcast(
            {"type": "message", "handoff_id": handoff.id, "message": message_json(message)}
        )

    # ----- what the console shows --------------------------------------------------

    async def snapshot(self, advisor_id: int) -> dict[str, Any]:
        """The queue frame for one advisor (routing decides what they see first)."""
        everyone = {a.id: a for a in await self._advisors.all_active()}
        me = everyone.get(advisor_id)
        online = [everyone[i] for i in self._consoles.online() if i in everyone]
        now = _now()
        lists = await self.handoffs.queue()

        def visible(handoff: Handoff) -> bool:
            return me is not None and offered_to(me, handoff, online, now, self._exclusive)

        def as_json(handoff: Handoff) -> dict[str, Any]:
            return handoff_json(handoff, advisor_id, me is not None and matches(me, handoff))

        frame: dict[str, Any] = {
            "type": "queue",
            "advisor": {"id": advisor_id, "name": advisor_title(me) if me else ""},
            "online": len(online),
            "now": now.isoformat(),
        }
        for name, rows in lists.items():
            # waiting chats and open callbacks as routed; the rest only one's own
            chosen = [
                h
                for h in rows
                if (visible(h) if name in ("waiting", "callbacks") else h.advisor_id == advisor_id)
                and h.status != "cancelled"
            ]
            if name in ("waiting", "callbacks"):
                chosen.sort(
                    key=lambda h: (not (me and matches(me, h)), h.queued_at or h.created_at)
                )
            frame[name] = [as_json(h) for h in chosen]
        return frame

    async def may_read(self, handoff: Handoff, advisor: Advisor) -> bool:
        """Whether `advisor` may see a handoff with the person's data: a waiting chat or
        an open callback if it is routed to them, a claimed or ended one only if it is
        theirs (or they are an admin); one the person declined, cancelled or has not
        finished, nobody."""
        if handoff.status in ("waiting", "callback_open"):
            everyone = {a.id: a for a in await self._advisors.all_active()}
            online = [everyone[i] for i in self._consoles.online() if i in everyone]
            return offered_to(advisor, handoff, online, _now(), self._exclusive)
        if handoff.status == "cancelled" or handoff.status in INTAKE:
            return False
        return handoff.advisor_id == advisor.id or advisor.admin

    async def detail(self, handoff_id: int, advisor_id: int) -> dict[str, Any]:
        """Everything about one handoff: transcript, notes, guides shown, feedback (404
        for a handoff this advisor may not read)."""
        handoff = await self._require(handoff_id)
        me = await self._advisors.get(advisor_id)
        if me is None or not await self.may_read(handoff, me):
            raise HandoffError("Diesen Vorgang gibt es nicht.", status=404)
        rows = await self.handoffs.messages(handoff.conversation_id)
        guide_ids = list(
            dict.fromkeys(
                str((row.custom or {})["answer"]["guide_id"])
                for row in rows
                if isinstance((row.custom or {}).get("answer"), dict)
                and (row.custom or {})["answer"].get("guide_id")
            )
        )
        titles = await self._messages.guide_titles(guide_ids)
        return {
            "handoff": handoff_json(handoff, advisor_id, bool(me and matches(me, handoff))),
            "messages": [message_json(row) for row in rows],
            "notes": [
                {"text": note.text, "advisor": name, "created_at": iso(note.created_at)}
                for note, name in await self.handoffs.notes(handoff.id)
            ],
            "guides": [
                {
                    "id": gid,
                    "title": titles.get(gid, gid),
                    "url": f"{self._public_url}/wissen/{gid}",
                }
                for gid in guide_ids
            ],
            "feedback": [
                {"message_id": f.message_id, "helpful": f.helpful, "created_at": iso(f.created_at)}
                for f in await self.handoffs.feedback(handoff.conversation_id)
            ],
        }


def _next_field(field_name: str) -> str:
    index = FORM.index(field_name)
    return FORM[index + 1] if index + 1 < len(FORM) else "review"
