"""The trade form: asks for the trade once, with trade-group quick replies or free text."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.knowledge import latest_entity
from bot.kb.labels import TRADE_GROUP_LABELS, TRADE_LABELS
from bot.kb.taxonomy import load_taxonomy
from bot.kb.trades import match_trade

ASK_TRADE = (
    "Damit ich passend für Ihr Gewerk antworten kann: In welchem Bereich ist Ihr Betrieb "
    "tätig? Sie können Ihr Gewerk auch einfach schreiben."
)


def group_buttons() -> list[dict[str, str]]:
    """One quick reply per trade group of the taxonomy."""
    return [
        {"title": label, "payload": f'/inform_trade{{"trade_group": "{group}"}}'}
        for group, label in TRADE_GROUP_LABELS.items()
    ]


class ActionAskTrade(Action):
    """Asks for the trade with the trade groups as quick replies."""

    def name(self) -> str:
        return "action_ask_trade"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=ASK_TRADE, buttons=group_buttons())
        return []


class ValidateTradeForm(FormValidationAction):
    """Accepts a trade id, a trade named in free text, or a trade group."""

    def name(self) -> str:
        return "validate_trade_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """A chosen trade group is enough: the form asks only once."""
        if tracker.get_slot("trade_group") in TRADE_GROUP_LABELS:
            return []
        return domain_slots

    async def extract_trade(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Free text such as "wir sind eine Konditorei" when the NLU found no entity."""
        if tracker.get_slot("requested_slot") != "trade" or latest_entity(tracker, "trade"):
            return {}
        trade = match_trade(tracker.latest_message.get("text") or "")
        return {"trade": trade} if trade else {}

    def validate_trade(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        """Keep known trade ids (normalising synonyms); reject everything else."""
        if not slot_value:
            return {"trade": None}
        trade = slot_value if slot_value in TRADE_LABELS else match_trade(str(slot_value))
        if trade is None:
            dispatcher.utter_message(response="utter_trade_not_understood")
            return {"trade": None}
        return {"trade": trade, "trade_group": load_taxonomy().group_of(trade)}
