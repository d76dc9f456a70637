"""Asking for the trade: once, after answering what does not depend on it.

No form: the question comes with trade-group quick replies, and whatever the person
answers is handled by its intent (a trade or group continues what needed it).
"""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.folding import fold
from bot.kb.labels import TRADE_GROUP_LABELS

# a trade group typed instead of tapped ("Lebensmittel", "bau und ausbau"): folded
# label or its first word → group id
TYPED_GROUPS = {
    **{fold(label): group for group, label in TRADE_GROUP_LABELS.items()},
    **{fold(label).split()[0]: group for group, label in TRADE_GROUP_LABELS.items()},
}

ASK_TRADE = {
    "question": (
        "Für manche Gewerke gibt es dazu Besonderheiten. In welchem Bereich ist Ihr "
        "Betrieb tätig? Sie können Ihr Gewerk auch einfach schreiben."
    ),
    "best_practices": (
        "Gern zeige ich Ihnen Beispiele aus Ihrem Gewerk. In welchem Bereich ist Ihr "
        "Betrieb tätig? Sie können Ihr Gewerk auch einfach schreiben."
    ),
}


def group_buttons() -> list[dict[str, str]]:
    """One quick reply per trade group of the taxonomy."""
    return [
        {"title": label, "payload": f'/inform_trade{{"trade_group": "{group}"}}'}
        for group, label in TRADE_GROUP_LABELS.items()
    ]


def typed_group(text: str) -> str | None:
    """The trade group a typed answer names ("Lebensmittel"), else None."""
    return TYPED_GROUPS.get(" ".join(fold(text).strip(" .!?").split()))


def ask_trade(dispatcher: CollectingDispatcher, pending: str) -> list[EventType]:
    """Ask for the trade once; `pending` ("question" or "best_practices") is what the
    answer continues."""
    dispatcher.utter_message(text=ASK_TRADE[pending], buttons=group_buttons())
    return [SlotSet("pending_request", pending), SlotSet("trade_asked", True)]
