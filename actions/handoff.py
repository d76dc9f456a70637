"""Signals a human handoff to the gateway, which asks consent and runs it."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.knowledge import known_trade, latest_entity


def last_bot_custom(tracker: Tracker, with_key: str | None = None) -> dict[str, Any]:
    """The custom payload of the bot's latest message, or of the latest one that
    carries `with_key` (empty if there is none)."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            custom = (event.get("data") or {}).get("custom")
            custom = custom if isinstance(custom, dict) else {}
            if with_key is None or with_key in custom:
                return custom
    return {}


def handoff_payload(tracker: Tracker, reason: str, question: str | None) -> dict[str, Any]:
    """What the gateway needs to prefill the summary: reason, question, trade, topic."""
    answer = last_bot_custom(tracker, "answer").get("answer") or {}
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
        # right after "no reliable answer" the person accepts the advisor offer
        reason = "no_answer" if "no_answer" in last_bot_custom(tracker) else "request_human"
        dispatcher.utter_message(
            json_message=handoff_payload(tracker, reason, tracker.get_slot("last_question"))
        )
        return []
