"""Signals a human handoff to the gateway, which asks consent and runs it."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.knowledge import known_trade, latest_entity


def last_bot_custom(tracker: Tracker) -> dict[str, Any]:
    """The custom payload of the bot's latest message that had one."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            custom = (event.get("data") or {}).get("custom")
            if isinstance(custom, dict):
                return custom
    return {}


def handoff_payload(tracker: Tracker, reason: str, question: str | None) -> dict[str, Any]:
    """What the gateway needs to prefill the summary: reason, question, trade, topic."""
    answer = last_bot_custom(tracker).get("answer") or {}
    topics = answer.get("topics") or []
    return {
        "handoff": {
            "reason": reason,
            "question": question or "",
            "trade": known_trade(tracker),
            "topic": latest_entity(tracker, "topic") or (topics[0] if topics else None),
        }
    }


class ActionOfferHandoff(Action):
    """The person asked for an advisor (also after "no good answer")."""

    def name(self) -> str:
        return "action_offer_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        custom = last_bot_custom(tracker)
        reason = "no_answer" if "no_answer" in custom else "request_human"
        dispatcher.utter_message(
            json_message=handoff_payload(tracker, reason, tracker.get_slot("last_question"))
        )
        return []
