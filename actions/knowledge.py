"""Answers from the knowledge base, with the conversation's context and trade."""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.answering import (
    NO_ANSWER,
    answer_message,
    emergency_message,
    find_answer,
    trade_changes_answer,
)
from actions.clock import current_time
from actions.context import ANSWER, WEAK, follow_up_strength, with_context
from actions.emergency import incident_in
from actions.trade_question import ask_trade
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


def latest_text(tracker: Tracker) -> str:
    """The text of the latest user message, stripped."""
    return (tracker.latest_message.get("text") or "").strip()


def known_trade(tracker: Tracker) -> str | None:
    """The trade of the latest message or the slot, if it is a trade id; else from text."""
    for candidate in (latest_entity(tracker, "trade"), tracker.get_slot("trade")):
        if candidate in TRADE_LABELS:
            return str(candidate)
    return match_trade(latest_text(tracker))


def trade_events(trade: str | None) -> list[EventType]:
    """Slot events that store a recognised trade and its group (none if unknown)."""
    if trade is None:
        return []
    return [SlotSet("trade", trade), SlotSet("trade_group", load_taxonomy().group_of(trade))]


def is_follow_up(tracker: Tracker) -> bool:
    """A short message that names a trade but no topic ("und für Friseure?")."""
    text = latest_text(tracker)
    return (
        latest_entity(tracker, "topic") is None
        and len(text.split()) <= FOLLOW_UP_MAX_WORDS
        and match_trade(text) is not None
    )


def answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    question: str,
    trade: str | None,
    trade_group: str | None = None,
    focus: str | None = None,
) -> list[EventType]:
    """Answer `question` for `trade`; then, if the trade would change the answer and is
    unknown, ask for it once (the general answer comes first). `focus`: the follow-up's
    own words when `question` carries its context."""
    topic = latest_entity(tracker, "topic")
    trade_group = trade_group or tracker.get_slot("trade_group")
    events: list[EventType] = [
        SlotSet("last_question", question),
        SlotSet("last_kind", ANSWER),
        SlotSet("pending_request", None),
    ]
    found = find_answer(question, trade, trade_group, topic, focus)
    if found is None:
        dispatcher.utter_message(
            text=NO_ANSWER,
            buttons=[ADVISOR_BUTTON, HELP_BUTTON],
            json_message={"no_answer": {"question": question}},
        )
        return [*events, SlotSet("last_guide", None)]
    message = answer_message(*found, question=question, today=current_time().date())
    # the gateway uses these if the person later asks for an advisor
    message["json_message"]["answer"].update(question=question, trade=trade)
    dispatcher.utter_message(**message)
    guide = found[0].guide.meta
    events += [SlotSet("last_guide", guide.id), SlotSet("last_topic", guide.topics[0])]
    unknown = trade is None and not trade_group and not tracker.get_slot("trade_asked")
    if unknown and trade_changes_answer(question, topic):
        events += ask_trade(dispatcher, "question")
    return events


def contextual_question(tracker: Tracker, text: str) -> str | None:
    """`text` rewritten with the last question if it is a follow-up to the last answer
    ("dafür", "und was ist mit …", "muss ich das melden?"), else None. A follow-up that
    names another topic starts a new subject; one that only may point back (a pronoun)
    counts only if the context keeps it at the same guide."""
    previous = tracker.get_slot("last_question")
    strength = follow_up_strength(text)
    if tracker.get_slot("last_kind") != ANSWER or not previous or not strength:
        return None
    topic = latest_entity(tracker, "topic")
    if topic and topic != tracker.get_slot("last_topic"):
        return None
    question = with_context(previous, text)
    group = tracker.get_slot("trade_group")
    found = find_answer(question, known_trade(tracker), group, topic, focus=text)
    if found is None or (strength == WEAK and found[0].guide.id != tracker.get_slot("last_guide")):
        return None
    return question


def answer_emergency(dispatcher: CollectingDispatcher, text: str) -> list[EventType] | None:
    """First steps for an IT emergency the message reports (None if it reports none)."""
    incident = incident_in(text)
    message = emergency_message(incident, current_time().date()) if incident else None
    if message is None:
        return None
    dispatcher.utter_message(**message)
    return [
        SlotSet("last_question", text),
        SlotSet("last_kind", ANSWER),
        SlotSet("last_guide", message["json_message"]["answer"]["guide_id"]),
        SlotSet("last_topic", "it_sicherheit"),
    ]


class ActionAnswerQuestion(Action):
    """Answers a digitalisation question: emergencies first, follow-ups in context."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = latest_text(tracker)
        if text.startswith("/") or not text:
            dispatcher.utter_message(response="utter_ask_question")
            return []
        emergency = answer_emergency(dispatcher, text)
        if emergency is not None:
            return emergency
        trade = known_trade(tracker)
        question = contextual_question(tracker, text)
        if question is None:
            return [*trade_events(trade), *answer(dispatcher, tracker, text, trade)]
        return [*trade_events(trade), *answer(dispatcher, tracker, question, trade, focus=text)]
