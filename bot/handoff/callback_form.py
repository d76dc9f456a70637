"""The callback form: name, business, trade, contact, preferred time, review; typed
answers are understood as well as buttons."""

from __future__ import annotations

import re
from typing import Any

from bot.db.models import Handoff, utcnow
from bot.db.store import StoredMessage
from bot.events.recommend import regions_in
from bot.handoff import texts
from bot.handoff.core import (
    CANCEL_BUTTON,
    COLUMNS,
    CONTACT_CHECK,
    FORM,
    HandoffCore,
)
from bot.handoff.states import Status, Step
from bot.handoff.typed import confirmation, field_named, is_no_name, words
from bot.handoff.validation import (
    Contact,
    find_contact,
    looks_like_email,
    parse_contact,
    parse_free_text,
    parse_name,
)
from bot.kb.labels import TRADE_LABELS
from bot.kb.trades import match_trade

# form fields whose answer the widget helps to type (keyboard, autofill)
INPUT_HINTS = frozenset({"name", "business", "contact"})
# at "Ist 0345 … Ihre Telefonnummer?", this many words that are no yes/no answer the field
MIN_ANSWER_WORDS = 2
# "ne sorry, der Betrieb is …": the words before the answer
CORRECTION_OPENING = re.compile(
    r"^\W*((ne|nee|nein|sorry|sorri|oh|oops|upps|moment|entschuldigung)\b\W*)+"
    r"((der |mein |unser )?(betrieb|firma|name)\W+(is|ist|heisst|heißt|lautet)\b\W*)?",
    re.IGNORECASE,
)


# a preferred time that is none ("egal", "ganztags")
ANY_TIME = re.compile(r"^\W*(egal|ganztags|jederzeit|immer|wann (sie|ihr) wollt)\W*$", re.I)


class CallbackForm(HandoffCore):
    """Asks the callback form's fields one at a time and submits it."""

    async def _ask(self, handoff: Handoff, step: str, intro: str = "") -> StoredMessage:
        """Ask for one field of the callback form (or show the review)."""
        field_name = step.removeprefix("edit_")
        buttons: list[dict[str, str]] = [CANCEL_BUTTON]
        if step == Step.REVIEW:
            lines = "\n".join(
                f"{texts.FIELD_LABELS[f]}: {getattr(handoff, COLUMNS[f]) or '–'}" for f in FORM
            )
            text = texts.REVIEW.format(lines=f"{lines}\nAnliegen: {handoff.summary}")
            buttons = texts.REVIEW_BUTTONS
        elif step == Step.CHANGE:
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
        hint = field_name if field_name in INPUT_HINTS else None
        return await self._say(
            handoff, f"{intro}\n\n{text}" if intro else text, buttons, "callback", input_hint=hint
        )

    async def _form_step(
        self, handoff: Handoff, text: str, command: str | None, typed: bool | None
    ) -> list[StoredMessage]:
        step = handoff.step or "name"
        if step == Step.REVIEW:
            if command == "#handoff:submit" or typed:
                return await self._submit(handoff)
            named = field_named(text)  # "nein, die Telefonnummer"
            if command == "#handoff:change" or typed is False or (typed is None and named):
                return await self._goto(handoff, f"edit_{named}" if named else "change")
            return [await self._ask(handoff, "review")]
        if step == Step.CHANGE:
            field_name = (command or "").removeprefix("#handoff:edit:")
            if field_name in FORM or (field_name := field_named(text) or "") in FORM:
                return await self._goto(handoff, f"edit_{field_name}")
            return [await self._ask(handoff, "change")]
        if step.startswith(CONTACT_CHECK):
            return await self._contact_checked(handoff, step, text, command, typed)
        field_name = step.removeprefix("edit_")
        if field_name == "trade" and handoff.trade and typed is False:
            updated = await self.handoffs.transition(handoff.id, (Status.CALLBACK,), trade=None)
            return [await self._ask(updated or handoff, step)]  # asks for the trade afresh
        keep = command == "#handoff:keep" or (command is None and typed is True)
        if keep and field_name == "trade" and handoff.trade:
            value: str | None = handoff.trade
        elif command:
            return [await self._ask(handoff, step)]
        elif field_name != "contact" and (contact := parse_contact(text)):
            # "0345 1234567" typed when asked for the business: probably the phone number
            updated = await self.handoffs.transition(
                handoff.id, (Status.CALLBACK,), step=f"{CONTACT_CHECK}{step}", contact=contact.value
            )
            return [await self._ask_contact_check(updated or handoff, contact, field_name)]
        elif field_name != "contact" and looks_like_email(text):
            # "heinz.becker@web" when asked for the business: an address with a typo
            return [await self._ask(handoff, step, texts.INVALID["email"])]
        else:
            value = self._parse_field(field_name, text)
        if value is None:
            invalid = "email" if field_name == "contact" and looks_like_email(text) else field_name
            return [await self._ask(handoff, step, texts.INVALID[invalid])]
        following = "review" if step.startswith("edit_") else self._next_open(handoff, field_name)
        values: dict[str, Any] = {"step": following, COLUMNS[field_name]: value}
        if field_name == "business" and regions_in(value) in ("halle", "magdeburg"):
            values["region"] = regions_in(value)  # where the business is routes the callback
        if field_name == "business" and not handoff.trade and (trade := match_trade(value)):
            values["trade"] = TRADE_LABELS.get(trade, trade)  # "Malerbetrieb …": confirmed next
        updated = await self.handoffs.transition(handoff.id, (Status.CALLBACK,), **values)
        skipped = _next_field(field_name) == "trade" and following not in ("trade", "review")
        intro = texts.TRADE_NOTED.format(trade=handoff.trade) if skipped else ""
        return [await self._ask(updated or handoff, following, intro)]

    async def _ask_contact_check(
        self, handoff: Handoff, contact: Contact, asked: str
    ) -> StoredMessage:
        kind = "Telefonnummer" if contact.kind == "phone" else "E-Mail-Adresse"
        missing = texts.STILL_MISSING.get(asked, texts.FIELD_LABELS.get(asked, asked))
        text = texts.CONTACT_CHECK.format(value=contact.value, kind=kind, missing=missing)
        return await self._say(handoff, text, texts.CONTACT_CHECK_BUTTONS, "callback")

    async def _contact_checked(
        self, handoff: Handoff, step: str, text: str, command: str | None, typed: bool | None
    ) -> list[StoredMessage]:
        """After "Ist 0345 … Ihre Telefonnummer?": keep it (yes) or drop it (no), then
        ask again for the field that was asked; an answer that is neither answers it."""
        asked = step.removeprefix(CONTACT_CHECK)
        answer = {"#handoff:contact_yes": True, "#handoff:contact_no": False}.get(
            command or "", typed
        )
        if answer is None and len(words(text)) >= MIN_ANSWER_WORDS:
            # neither yes nor no: the person went on and answers what was asked ("ne
            # sorry, der Betrieb is Elektro Krüger GmbH"); the number stays
            back = await self.handoffs.transition(handoff.id, (Status.CALLBACK,), step=asked)
            answer_text = CORRECTION_OPENING.sub("", text)
            return await self._form_step(back or handoff, answer_text, None, None)
        if answer is None:
            value = handoff.contact or ""
            contact = Contact("email" if "@" in value else "phone", value)
            return [await self._ask_contact_check(handoff, contact, asked.removeprefix("edit_"))]
        values: dict[str, Any] = {"step": asked}
        if answer is False:
            values["contact"] = None
        updated = await self.handoffs.transition(handoff.id, (Status.CALLBACK,), **values)
        intro = texts.CONTACT_KEPT if answer else ""
        return [await self._ask(updated or handoff, asked, intro)]

    @staticmethod
    def _next_open(handoff: Handoff, field_name: str) -> str:
        """The field after `field_name`, skipping what is known: the trade the person
        confirmed with the summary (the review shows it, to change) and a contact typed
        earlier. A trade taken from the business name is asked to confirm."""
        following = _next_field(field_name)
        if following == "trade" and handoff.trade:
            following = _next_field(following)
        if following == "contact" and handoff.contact:
            following = _next_field(following)
        return following

    @staticmethod
    def _parse_field(field_name: str, text: str) -> str | None:
        if is_no_name(text) and not (field_name == "time" and confirmation(text) is None):
            return None  # "ja", "nein" or "hallo" is no name, business or trade
        if field_name == "name":
            return parse_name(text)
        if field_name == "contact":
            contact = find_contact(text)
            return contact.value if contact else None
        if field_name == "trade":
            trade = match_trade(text)
            return TRADE_LABELS.get(trade, trade) if trade else parse_free_text(text, 100)
        return parse_free_text(text, 150 if field_name == "business" else 100)

    async def _goto(self, handoff: Handoff, step: str) -> list[StoredMessage]:
        updated = await self.handoffs.transition(handoff.id, (Status.CALLBACK,), step=step)
        return [await self._ask(updated or handoff, step)]

    async def _submit(self, handoff: Handoff) -> list[StoredMessage]:
        updated = await self.handoffs.transition(
            handoff.id,
            (Status.CALLBACK,),
            status=Status.CALLBACK_OPEN,
            step=None,
            queued_at=utcnow(),
        )
        if updated is None:
            return []
        time = updated.preferred_time or ""
        when = (
            texts.CALLBACK_SOON
            if not time or ANY_TIME.match(time)
            else texts.CALLBACK_WHEN.format(time=time)
        )
        text = texts.CALLBACK_DONE.format(ticket=updated.ticket, when=when)
        reply = await self._say(updated, text, [], "callback")
        await self._consoles.broadcast_queue()
        for listener in self.on_callback:
            await listener(updated)
        return [reply]


def _next_field(field_name: str) -> str:
    index = FORM.index(field_name)
    return FORM[index + 1] if index + 1 < len(FORM) else "review"
