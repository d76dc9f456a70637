"""Actions that answer from the knowledge base and remember the person's trade."""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.answering import (
    NO_ANSWER,
    answer_message,
    depends_on_trade,
    find_answer,
)
from bot.kb.labels import TRADE_LABELS
from bot.kb.taxonomy import load_taxonomy
from bot.kb.trades import match_trade
from bot.texts import ADVISOR_BUTTON

HELP_BUTTON = {"title": "Was können Sie?", "payload": "/help"}
FOLLOW_UP_MAX_WORDS = 4


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    """The last value of `entity` in the latest message."""
    values = list(tracker.get_latest_entity_values(entity))
    return str(values[-1]) if values else None


def known_trade(tracker: Tracker) -> str | None:
    """The trade of the latest message or the slot, if it is a trade id; else from text."""
    for candidate in (latest_entity(tracker, "trade"), tracker.get_slot("trade")):
        if candidate in TRADE_LABELS:
            return str(candidate)
    return match_trade(tracker.latest_message.get("text") or "")


def last_valid_trade(tracker: Tracker) -> str | None:
    """The latest trade id the slot held (an unknown word may have overwritten it)."""
    for event in reversed(tracker.events):
        is_trade = event.get("event") == "slot" and event.get("name") == "trade"
        if is_trade and event.get("value") in TRADE_LABELS:
            return str(event["value"])
    return None


def trade_events(trade: str | None) -> list[EventType]:
    """Slot events that store a recognised trade and its group (none if unknown)."""
    if trade is None:
        return []
    return [SlotSet("trade", trade), SlotSet("trade_group", load_taxonomy().group_of(trade))]


def is_follow_up(tracker: Tracker) -> bool:
    """A short message that names a trade but no topic ("und für Friseure?")."""
    text = tracker.latest_message.get("text") or ""
    return (
        latest_entity(tracker, "topic") is None
        and len(text.split()) <= FOLLOW_UP_MAX_WORDS
        and match_trade(text) is not None
    )


def answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, question: str, trade: str | None
) -> list[EventType]:
    """Answer `question` for `trade`, or ask for the trade once if the answer depends on it."""
    topic = latest_entity(tracker, "topic")
    trade_group = tracker.get_slot("trade_group")
    events: list[EventType] = [SlotSet("last_question", question)]
    unknown = trade is None and not trade_group and not tracker.get_slot("trade_asked")
    if unknown and depends_on_trade(question, topic):
        # the rules start the trade form on trade_needed; it asks only once
        return [
            *events,
            SlotSet("pending_request", "question"),
            SlotSet("trade_asked", True),
            SlotSet("trade_needed", True),
        ]
    events += [SlotSet("trade_needed", False), SlotSet("pending_request", None)]
    found = find_answer(question, trade, trade_group, topic)
    if found is None:
        dispatcher.utter_message(
            text=NO_ANSWER,
            buttons=[ADVISOR_BUTTON, HELP_BUTTON],
            json_message={"no_answer": {"question": question}},
        )
        return events
    message = answer_message(*found)
    # the gateway uses these if the person later asks for an advisor
    message["json_message"]["answer"].update(question=question, trade=trade)
    dispatcher.utter_message(**message)
    return events


def form_finished_this_turn(tracker: Tracker) -> bool:
    """True if a form was deactivated after the latest user message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "active_loop" and event.get("name") is None:
            return True
    return False


class ActionAnswerQuestion(Action):
    """Answers a digitalisation question, or the last one again after the trade is known."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = (tracker.latest_message.get("text") or "").strip()
        last_question = tracker.get_slot("last_question")
        if last_question and (form_finished_this_turn(tracker) or is_follow_up(tracker)):
            question = last_question
        elif text.startswith("/") or not text:
            dispatcher.utter_message(response="utter_ask_question")
            return [SlotSet("trade_needed", False)]
        else:
            question = text
        trade = known_trade(tracker)
        return [*trade_events(trade), *answer(dispatcher, tracker, question, trade)]


class ActionHandleTrade(Action):
    """Remembers the trade; repeats the last question for it ("und für Friseure?")."""

    def name(self) -> str:
        return "action_handle_trade"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        trade = known_trade(tracker)
        if trade is None:
            dispatcher.utter_message(response="utter_trade_not_understood")
            return [SlotSet("trade", last_valid_trade(tracker))]
        last_question = tracker.get_slot("last_question")
        if last_question:
            return [*trade_events(trade), *answer(dispatcher, tracker, last_question, trade)]
        dispatcher.utter_message(
            text=f"Danke, ich merke mir: {TRADE_LABELS[trade]}. Was möchten Sie wissen?",
            buttons=[
                {"title": "Frage zur Digitalisierung", "payload": "/ask_digitalisation"},
                {"title": "Praxisbeispiele", "payload": "/request_best_practices"},
                {"title": "Veranstaltungen", "payload": "/request_events"},
            ],
        )
        return trade_events(trade)
