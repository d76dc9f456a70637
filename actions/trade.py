"""The person names their trade or picks a trade group: remember it and continue."""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.answering import find_answer
from actions.context import BEST_PRACTICES, EVENTS, QUESTION
from actions.knowledge import (
    FOLLOW_UP_MAX_WORDS,
    Query,
    answer,
    answer_emergency,
    contextual_question,
    known_trade,
    last_remembered_trade,
    latest_entity,
    latest_text,
    named_trade,
    trade_events,
)
from actions.recommending import ActionRecommendBestPractices, ActionRecommendEvents
from actions.trade_question import group_buttons, typed_group
from bot.kb.labels import TRADE_GROUP_LABELS, TRADE_LABELS
from bot.kb.trades import match_trade

NEXT_STEPS = [
    {"title": "Frage zur Digitalisierung", "payload": "/ask_digitalisation"},
    {"title": "Praxisbeispiele", "payload": "/request_best_practices"},
    {"title": "Veranstaltungen", "payload": "/request_events"},
]


def asks_more_than_the_trade(text: str, trade: str | None) -> bool:
    """True for a message that names the trade and asks a question the knowledge base
    answers ("wir sind ne Zimmerei, müssen wir uns mit BIM beschäftigen?")."""
    if len(text.split()) <= FOLLOW_UP_MAX_WORDS or text.startswith("/"):
        return False
    return find_answer(text, trade, None, None) is not None


class ActionHandleTrade(Action):
    """Remembers the trade (or trade group) and continues what needed it: examples,
    the last question ("und für Friseure?") or the last event search."""

    def name(self) -> str:
        return "action_handle_trade"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = latest_text(tracker)
        group = latest_entity(tracker, "trade_group") or typed_group(text)
        trade = known_trade(tracker) if group is None else None
        names_one = group in TRADE_GROUP_LABELS or bool(named_trade(tracker) or match_trade(text))
        if not names_one:
            # "und Geschäftsbriefe?" or "seit wann gilt dat denn?" after an answer is a
            # follow-up, not a trade (the one known so far stays), also in an emergency
            kept = SlotSet("trade", last_remembered_trade(tracker))
            emergency = answer_emergency(dispatcher, tracker, text)
            if emergency is not None:
                return [kept, *emergency]
            query = contextual_question(tracker, text)
            if query is None and asks_more_than_the_trade(text, None):
                query = Query(text)  # "betrifft uns dieses nis2? wir sind 9 mann"
            if query is not None:
                return [kept, *answer(dispatcher, tracker, query, trade)]
            dispatcher.utter_message(response="utter_trade_not_understood", buttons=group_buttons())
            return [kept]
        remembered = trade_events(trade) if trade else [SlotSet("trade_group", group)]
        kind = tracker.get_slot("last_kind")
        pending = tracker.get_slot("pending_request")
        if asks_more_than_the_trade(text, trade):
            # "wir sind ne Zimmerei, müssen wir uns mit BIM beschäftigen?"
            continued = answer(dispatcher, tracker, Query(text), trade, group)
        elif pending == BEST_PRACTICES or (pending is None and kind == BEST_PRACTICES):
            continued = await ActionRecommendBestPractices().run(dispatcher, tracker, domain)
        elif kind == EVENTS:
            continued = await ActionRecommendEvents().run(dispatcher, tracker, domain)
        elif question := tracker.get_slot("last_question"):
            query = Query(question, trade_asked_for=pending == QUESTION)
            continued = answer(dispatcher, tracker, query, trade, group)
        else:
            label = TRADE_LABELS[trade] if trade else TRADE_GROUP_LABELS[str(group)]
            dispatcher.utter_message(
                text=f"Danke, ich merke mir: {label}. Was möchten Sie wissen?", buttons=NEXT_STEPS
            )
            continued = []
        return [*remembered, *continued]
