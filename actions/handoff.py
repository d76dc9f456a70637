"""Signals a human handoff to the gateway, which asks consent and runs it."""

from __future__ import annotations

from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.context import is_elliptical, is_question_like
from actions.handoff_request import asks_for_callback, asks_for_people, concern, handoff_payload
from actions.knowledge import last_bot_custom, latest_text
from actions.routing import reroute
from bot.folding import fold
from bot.texts import ADVISOR_BUTTON
from bot.yes_words import YES_WORDS


class ActionOfferHandoff(Action):
    """The person asked for an advisor (also after "no good answer")."""

    def name(self) -> str:
        return "action_offer_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = latest_text(tracker)
        # "kann ich da jeden Berater nehmen?" asks about the grant, not for one
        asks = asks_for_callback(text) or (asks_for_people(text) and not is_question_like(text))
        if not text.startswith("/") and not asks:
            # "und die BAFA-Beratungsförderung, gibts die noch?" is a follow-up
            rerouted = await reroute(dispatcher, tracker, domain)
            if rerouted is not None:
                return rerouted
        # right after "no reliable answer" the person accepts the advisor offer
        reason = "no_answer" if "no_answer" in last_bot_custom(tracker) else "request_human"
        dispatcher.utter_message(
            json_message=handoff_payload(tracker, reason, concern(tracker, text))
        )
        return []


def offered_advisor(tracker: Tracker) -> bool:
    """True if the bot's latest message offered the advisor as its first choice
    ("Möchten Sie lieber mit einer Beraterin sprechen?")."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            return bool(buttons) and buttons[0].get("payload") == ADVISOR_BUTTON["payload"]
    return False


def asks_instead(text: str) -> bool:
    """True if `text`, taken for a yes, asks a question without a word of yes."""
    if text.startswith("/") or not is_question_like(text):
        return False
    return not any(word in YES_WORDS for word in fold(text).split())


class ActionAffirm(Action):
    """A "ja" to the offer of an advisor starts the handoff; a follow-up the NLU took
    for a yes ("auch die Handwerksordnung??") is answered; else: what is the question?"""

    def name(self) -> str:
        return "action_affirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = latest_text(tracker)
        offered = offered_advisor(tracker)
        if offered and asks_instead(text):
            # "und wo zeig ich dat an?" after the first steps of an emergency is a question
            rerouted = await reroute(dispatcher, tracker, domain)
            if rerouted is not None:
                return rerouted
        if offered:
            question = tracker.get_slot("last_question")
            dispatcher.utter_message(
                json_message=handoff_payload(tracker, "request_human", question)
            )
            return []
        if is_elliptical(text) and not text.startswith("/"):
            # "auch die Handwerksordnung??" is a follow-up, not a yes
            rerouted = await reroute(dispatcher, tracker, domain)
            if rerouted is not None:
                return rerouted
        dispatcher.utter_message(response="utter_affirm")
        return []
