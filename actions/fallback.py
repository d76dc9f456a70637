"""Low NLU confidence: ask to rephrase; the second time in a row, hand over to an advisor."""

from __future__ import annotations

from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.handoff_request import handoff_payload
from actions.knowledge import is_follow_up
from actions.routing import reroute
from actions.trade import ActionHandleTrade

IGNORED_ACTIONS = {"action_listen", "action_session_start", "action_unlikely_intent"}


def previous_bot_action(tracker: Tracker) -> str | None:
    """The last action before the latest user message (listening aside)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                continue
            seen_user = True
        elif seen_user and event.get("event") == "action":
            name = event.get("name")
            if name not in IGNORED_ACTIONS:
                return str(name)
    return None


class ActionHandleFallback(Action):
    """Rephrase first; offer the human advisor after the second fallback in a row.

    Emergencies, other languages and event refinements are answered first.

    An unsure short message that names a trade after a question ("und für Friseure?")
    is the follow-up it most likely is: the last question is answered for that trade.
    """

    def name(self) -> str:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("last_question") and is_follow_up(tracker):
            return await ActionHandleTrade().run(dispatcher, tracker, domain)
        rerouted = await reroute(dispatcher, tracker, domain)
        if rerouted is not None:
            return rerouted
        if previous_bot_action(tracker) == self.name():
            # the gateway asks for consent to hand over to an advisor
            question = tracker.latest_message.get("text")
            dispatcher.utter_message(json_message=handoff_payload(tracker, "fallback", question))
        else:
            dispatcher.utter_message(response="utter_please_rephrase")
        return []
