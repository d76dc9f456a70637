"""Answering from the knowledge base with the conversation's context and trade (used by
the actions in routing.py, trade.py and recommending.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker

from actions.answering import (
    ASK_TRADE_SHARE,
    NO_ANSWER,
    answer_message,
    find_answer,
    trade_changes_answer,
)
from actions.context import (
    ANSWER,
    QUESTION,
    WEAK,
    asks_for_events,
    corrects,
    follow_up_strength,
    is_question_like,
    points_back,
    with_context,
    words,
)
from actions.emergency import EMERGENCY_GUIDE, WHOM_TO_TELL, incident_in
from actions.emergency_answer import emergency_message, emergency_section_for
from actions.prices import NO_PRICE, asks_price, names_price
from actions.ranking import TAILORED_SHARE, title_terms_named
from actions.sections import asks_in_own_words
from actions.trade_question import ask_trade
from bot.clock import current_time
from bot.kb.labels import TRADE_LABELS
from bot.kb.search import Hit
from bot.kb.taxonomy import load_taxonomy
from bot.kb.trades import match_trade
from bot.texts import ADVISOR_BUTTON

HELP_BUTTON = {"title": "Was können Sie?", "payload": "/help"}
FOLLOW_UP_MAX_WORDS = 4
MAX_IMPLICIT_FOLLOW_UP_WORDS = 10
# a follow-up during an emergency that asks whom to tell, or says that personal data
# are affected (the data protection authority within 72 hours; folded words)
WHOM = re.compile(
    r"\b(meld\w*|informier\w*|anruf\w*|anzeig\w*|zeig\w* (\w+ ){0,3}an|wen|polizei|"
    r"versicherung|bescheid|"
    r"kundendaten|patientendaten|mitarbeiterdaten|personenbezogen\w*|datenschutz\w*)\b"
)
# while an emergency is answered, short messages are about it
MAX_EMERGENCY_FOLLOW_UP_WORDS = 12
# topics an emergency's follow-up may name ("muss ich dat dem Datenschutz melden?")
EMERGENCY_TOPICS = frozenset({"it_sicherheit", "datenschutz"})


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    """The last value of `entity` in the latest message."""
    values = list(tracker.get_latest_entity_values(entity))
    return str(values[-1]) if values else None


def latest_topic(tracker: Tracker) -> str | None:
    """The topic id the latest message names (a span the NLU did not map to a topic
    of the taxonomy, such as "Zettel", is none)."""
    topic = latest_entity(tracker, "topic")
    return topic if topic in load_taxonomy().topics else None


def latest_text(tracker: Tracker) -> str:
    """The text of the latest user message, stripped."""
    return (tracker.latest_message.get("text") or "").strip()


NEGATION = re.compile(
    r"\b(nicht|nich|net|kein|keine|keiner|statt|anstatt)\W+(\w+\W+)?$", re.IGNORECASE
)


def named_trade(tracker: Tracker) -> str | None:
    """The trade the latest message names, skipping negated ones ("wir sind
    Stuckateure, nicht Maler"); of several in a correction, one other than the trade
    known so far ("ach quatsch, Zimmerer mein ich, Dachdecker is mein Kollege")."""
    text = latest_text(tracker)
    named = []
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") != "trade" or entity.get("value") not in TRADE_LABELS:
            continue
        start = entity.get("start")
        if isinstance(start, int) and NEGATION.search(text[:start]):
            continue
        named.append(str(entity["value"]))
    if len(set(named)) > 1 and corrects(text):
        named = [trade for trade in named if trade != tracker.get_slot("trade")] or named
    return named[-1] if named else None


def known_trade(tracker: Tracker) -> str | None:
    """The trade of the latest message or the slot, if it is a trade id; else from text."""
    if trade := named_trade(tracker):
        return trade
    if tracker.get_slot("trade") in TRADE_LABELS and not latest_entity(tracker, "trade"):
        return str(tracker.get_slot("trade"))
    return match_trade(latest_text(tracker)) or last_remembered_trade(tracker)


def last_remembered_trade(tracker: Tracker) -> str | None:
    """The latest trade id the slot held (a negated or unknown trade may have
    overwritten it)."""
    for event in reversed(tracker.events):
        is_trade = event.get("event") == "slot" and event.get("name") == "trade"
        if is_trade and event.get("value") in TRADE_LABELS:
            return str(event["value"])
    value = tracker.get_slot("trade")
    return str(value) if value in TRADE_LABELS else None


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


def core_answer_given(tracker: Tracker, hit: Hit) -> bool:
    """True if the last answer was the core answer of `hit`'s guide: a follow-up to it
    ("un muss ich jedem n Bon geben?" after the TSE) is not answered with it again."""
    core = hit.guide.meta.answer
    key = hit.guide.section_titled(core.section) if core else None
    return key is not None and last_answered_section(tracker, hit.guide.id) == key.number


def trade_events(trade: str | None) -> list[EventType]:
    """Slot events that store a recognised trade and its group (none if unknown)."""
    if trade is None:
        return []
    return [SlotSet("trade", trade), SlotSet("trade_group", load_taxonomy().group_of(trade))]


def is_follow_up(tracker: Tracker) -> bool:
    """A short message that names a trade but no topic ("und für Friseure?")."""
    text = latest_text(tracker)
    return (
        latest_topic(tracker) is None
        and len(text.split()) <= FOLLOW_UP_MAX_WORDS
        and match_trade(text) is not None
    )


@dataclass(frozen=True)
class Query:
    """What to search: the question, and for a follow-up its own words (`focus`, they
    choose the section and whether the core answer comes first), the topic of the
    conversation so far and the guide of the last answer (a follow-up stays there while
    it fits about as well as the best, and its section, `last_section`, is not given
    again when another guide fits better); `trade_asked_for`: the person just named the
    trade the bot asked for, so a guide for it answers if it fits nearly as well."""

    question: str
    focus: str | None = None
    topic: str | None = None
    last_guide: str | None = None
    trade_asked_for: bool = False
    last_section: int | None = None
    # the conversation so far, where a follow-up was searched on its own: the next
    # follow-up reads it ("auch für Minijobber?" then "reicht Excel?" is still on
    # working time), and it chooses the core answer's sentence
    remembered: str | None = None

    @property
    def own_words(self) -> str:
        """The person's own words of this turn."""
        return self.focus or self.question


def answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    query: Query,
    trade: str | None,
    trade_group: str | None = None,
) -> list[EventType]:
    """Answer `query` for `trade`; then, if the trade would change the answer and is
    unknown, ask for it once (the general answer comes first)."""
    topic = query.topic or latest_topic(tracker)
    trade_group = trade_group or tracker.get_slot("trade_group")
    question = query.question
    events: list[EventType] = [
        SlotSet("last_question", query.remembered or question),
        SlotSet("last_kind", ANSWER),
        SlotSet("pending_request", None),
    ]
    share = ASK_TRADE_SHARE if query.trade_asked_for else TAILORED_SHARE
    found = find_answer(
        question,
        trade,
        trade_group,
        topic,
        query.focus,
        query.last_guide,
        share,
        query.last_section,
    )
    if found is None:
        dispatcher.utter_message(
            text=NO_ANSWER,
            buttons=[ADVISOR_BUTTON, HELP_BUTTON],
            json_message={"no_answer": {"question": question}},
        )
        return [*events, SlotSet("last_guide", None)]
    guide = found[0].guide.meta
    # the person's own words ask the price (a correction naming another subject does not)
    if asks_price(latest_text(tracker)) and not names_price(found[0].section.text):
        # "was kostet ne Website?" and the section says nothing of money: said honestly
        dispatcher.utter_message(
            text=NO_PRICE,
            buttons=[ADVISOR_BUTTON, HELP_BUTTON],
            json_message={"no_answer": {"question": question}},
        )
        return [*events, SlotSet("last_guide", guide.id), SlotSet("last_topic", guide.topics[0])]
    fresh = query.focus is None and query.topic is None  # not a follow-up
    core = fresh or not core_answer_given(tracker, found[0])
    context = question if query.focus else (query.remembered or "")
    message = answer_message(
        *found, question=query.own_words, today=current_time().date(), core=core, context=context
    )
    # the gateway uses these if the person later asks for an advisor
    message["json_message"]["answer"].update(question=question, trade=trade)
    dispatcher.utter_message(**message)
    events += [SlotSet("last_guide", guide.id), SlotSet("last_topic", guide.topics[0])]
    unknown = trade is None and not trade_group and not tracker.get_slot("trade_asked")
    if fresh and unknown and trade_changes_answer(question, topic):
        events += ask_trade(dispatcher, QUESTION)
    return events


def contextual_question(tracker: Tracker, text: str) -> Query | None:
    """`text` as a follow-up to the last answer ("dafür", "und was ist mit …", "muss
    ich das melden?"), else None. Unless it points back ("dafür", "da"), first on its
    own, favouring the topic so far ("und wie melde ich die an?" finds the registration
    guide); if that finds nothing on the topic, together with the last question. One
    that only may point back (a pronoun), a short one without such a word, or one that
    names another topic counts only if the last question keeps it at the same guide
    ("und was ist mit Datenschutz?" after drones: the drone guide's privacy section);
    otherwise it starts a new subject. One that another guide's section heading asks
    comes back as a question of its own (no focus, no topic)."""
    previous = tracker.get_slot("last_question")
    strength = follow_up_strength(text)
    # a short turn without a word that leans back ("reicht n Zettel oder brauch ich ne
    # App?") is a follow-up only if the last question keeps it at the same guide
    implicit = (
        not strength and len(words(text)) <= MAX_IMPLICIT_FOLLOW_UP_WORDS and is_question_like(text)
    )
    strength = WEAK if implicit else strength
    if tracker.get_slot("last_kind") != ANSWER or not previous or not strength:
        return None
    topic = latest_topic(tracker)
    last_topic = tracker.get_slot("last_topic")
    new_topic = topic is not None and topic != last_topic
    trade, group = known_trade(tracker), tracker.get_slot("trade_group")
    last_guide = tracker.get_slot("last_guide")
    if not points_back(text) and asks_elsewhere(text, trade, group, last_guide):
        return Query(text)  # a question of its own ("und die BAFA-Beratungsförderung?")
    if last_guide == EMERGENCY_GUIDE and names_another_topic(tracker):
        return Query(text)  # "was kostet ne Website?" after the first steps
    # one that points back ("bis wann muss dat passiert sein?") needs the last question
    searched_alone = not new_topic and not points_back(text) and not implicit
    alone = find_answer(text, trade, group, last_topic) if searched_alone else None
    question = with_context(previous, text)
    last_section = last_answered_section(tracker, last_guide)
    found = find_answer(
        question,
        trade,
        group,
        last_topic,
        focus=text,
        last_guide=last_guide,
        last_section=last_section,
    )
    if alone is not None and last_topic in alone[0].guide.meta.topics:
        # "aber empfangen muss ich die schon?" after sending e-invoices: the guide on
        # receiving them; but one that the context keeps at the last guide stays there
        # unless it names the other guide's subject ("und normale Geschäftsbriefe?"
        # after the retention periods)
        stays = found is not None and found[0].guide.id == last_guide
        if not stays or alone[0].guide.id == last_guide or names_subject(alone[0], text):
            return Query(text, topic=last_topic, last_guide=last_guide, remembered=question)
    if found is None:
        return None
    # a pronoun that may be an article moves on to another guide only on the same topic
    # ("brauch ich extra software um die zu empfangen?" after sending e-invoices)
    same_topic = not new_topic and last_topic in found[0].guide.meta.topics
    if (strength == WEAK or new_topic) and found[0].guide.id != last_guide and not same_topic:
        return None
    return Query(
        question, focus=text, topic=last_topic, last_guide=last_guide, last_section=last_section
    )


def last_answered_section(tracker: Tracker, last_guide: str | None) -> int | None:
    """The number of the section the last answer gave from `last_guide`, if known."""
    last = last_bot_custom(tracker, "answer").get("answer") or {}
    section = last.get("section")
    return section if last.get("guide_id") == last_guide and isinstance(section, int) else None


def names_subject(hit: Hit, text: str) -> bool:
    """True if `text` names a term of the title of `hit`'s guide, or a synonym of one
    ("schreiben" for "versenden")."""
    return title_terms_named(hit, text) > 0


def asks_elsewhere(text: str, trade: str | None, group: str | None, last_guide: str | None) -> bool:
    """True if a complete question on its own finds another guide whose section heading
    asks it ("muss ich Kunden sagen, dass die mit nem Chatbot schreiben?" after KI in
    the business: the chatbot guide)."""
    found = find_answer(text, trade, group, None)
    if found is None or found[0].guide.id == last_guide:
        return False
    return asks_in_own_words(found[0].section.heading, text)


def names_another_topic(tracker: Tracker) -> bool:
    """True if the latest message names a topic other than an emergency's ("muss ich
    die Arbeitszeit erfassen?", "was kostet ne Website?")."""
    topic = latest_entity(tracker, "topic")
    return topic is not None and topic not in EMERGENCY_TOPICS


def leaves_emergency(tracker: Tracker, text: str) -> bool:
    """True if a message during an emergency is a question of its own: it names another
    topic, or another guide's section heading asks it ("wie lange muss ich Rechnungen
    aufheben?")."""
    if names_another_topic(tracker):
        return True
    trade, group = known_trade(tracker), tracker.get_slot("trade_group")
    return not points_back(text) and asks_elsewhere(text, trade, group, EMERGENCY_GUIDE)


def answer_emergency(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str
) -> list[EventType] | None:
    """First steps for an IT emergency the message reports, or for a follow-up while one
    is being answered ("sollen wir den PC ausmachen?"); None otherwise."""
    incident = incident_in(text)
    previous = tracker.get_slot("last_question") or ""
    # the emergency is what the bot answered last (not a list of events since)
    last_kind = tracker.get_slot("last_kind")
    during = tracker.get_slot("last_guide") == EMERGENCY_GUIDE and last_kind == ANSWER
    # "wann is die Handwerksmesse?" after the first steps asks for events
    short = len(text.split()) <= MAX_EMERGENCY_FOLLOW_UP_WORDS and not asks_for_events(text, False)
    asks_whom = WHOM.search(" ".join(words(text))) is not None
    if incident is None and during and short and (asks_whom or not leaves_emergency(tracker, text)):
        fitting = emergency_section_for(text)
        current = incident_in(previous)
        if asks_whom:
            fitting = WHOM_TO_TELL
        elif fitting is not None and current:
            # "wie kriegen wir die Daten wieder?" after ransomware: still the ransomware
            fitting = current
        if fitting or follow_up_strength(text):
            incident = fitting or current
    follow_up = "" if incident_in(text) else text
    message = emergency_message(incident, current_time().date(), follow_up) if incident else None
    if message is None:
        return None
    dispatcher.utter_message(**message)
    return [
        SlotSet("last_question", text if incident_in(text) else with_context(previous, text)),
        SlotSet("last_kind", ANSWER),
        SlotSet("last_guide", EMERGENCY_GUIDE),
        SlotSet("last_topic", "it_sicherheit"),
    ]
