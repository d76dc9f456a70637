"""The states of a handoff and the steps of its intake, as stored in `handoffs.status`
and `handoffs.step` (StrEnum: equal to the stored strings)."""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    """Where a handoff is: the person's intake, live, a callback, or ended."""

    CONSENT = "consent"  # asked whether data may be passed on
    SUMMARY = "summary"  # the concern is confirmed or written
    CALLBACK = "callback"  # the callback form is being filled in
    WAITING = "waiting"  # in the live queue
    ACTIVE = "active"  # an advisor has the chat
    CALLBACK_OPEN = "callback_open"  # submitted, waits for an advisor
    CLOSED = "closed"  # live chat ended (by the advisor or the person)
    HANDED_BACK = "handed_back"  # given back to the bot by an advisor
    CANCELLED = "cancelled"  # the person declined or left the intake
    CALLBACK_DONE = "callback_done"  # the advisor called back


class Step(enum.StrEnum):
    """The question the intake asks next; a form field being corrected is "edit_" + field,
    a number typed for another field is checked as "contact?" + field."""

    CONFIRM = "confirm"  # the summary as understood: right?
    WRITE = "write"  # the person writes the concern
    NAME = "name"
    BUSINESS = "business"
    TRADE = "trade"
    CONTACT = "contact"
    TIME = "time"
    REVIEW = "review"  # the whole form to confirm
    CHANGE = "change"  # which field to correct
