"""Turns the NLU may take for something else: emergencies, other languages, short
follow-ups to an answer ("was muss da noch rein?" is no goodbye) and refinements after
a list of events ("und online?")."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.amounts import restates_amount
from actions.answering import find_answer
from actions.context import (
    ANSWER,
    EVENTS,
    MIN_QUESTION_WORDS,
    asks_for_events,
    asks_what_is,
    asks_when_or_where,
    corrected_question,
    corrects,
    is_substantial_question,
    refines_events,
    words,
)
from actions.emergency import incident_in
from actions.handoff_request import asks_for_callback, concern, handoff_payload
from actions.kb_index import knowledge_index
from actions.knowledge import (
    Query,
    answer,
    answer_emergency,
    contextual_question,
    known_trade,
    latest_text,
    named_trade,
    trade_events,
)
from actions.recommending import ActionRecommendEvents, answer_listed
from actions.trade import ActionHandleTrade
from actions.trade_question import typed_group
from bot.clock import current_time
from bot.kb.trades import match_trade
from bot.nlu.language import is_foreign_language
from bot.texts import ADVISOR_BUTTON

OTHER_LANGUAGE = (
    "Ich bin der digitale Assistent der Handwerkskammer und spreche nur Deutsch. "
    "Gern verbinde ich Sie mit unserer Beratung.\n\n"
    "I'm sorry, I only speak German – but I can connect you with one of our advisors."
)
FAREWELL = re.compile(
    r"\b(tschuess|tschoe|tschau|ciao|bye|wiedersehen|wiederhoeren|bis dann|bis bald|servus)\b"
)
THANKS = re.compile(r"\b(dank\w*|merci|thx|thanks?|thank you)\b")
# the NLU's confidence from which it is sure a message is out of scope
SURE_CONFIDENCE = 0.8
# "nein", "nein danke", "nee passt" stay a no
MIN_DENY_REROUTE_WORDS = 4


async def reroute(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    questions: bool = True,
) -> list[EventType] | None:
    """Start the handoff for a request to be called back; answer an emergency, another
    language, an event refinement or a question when or where events are, a follow-up
    to the last answer or (if `questions`) a substantial question the knowledge base
    answers; None if the message is none of these."""
    text = latest_text(tracker)
    if asks_for_callback(text) and incident_in(text) is None:
        # the gateway asks for consent and runs the handoff, whatever the NLU took it for
        # ("doch, na gut, dann ruft mich halt an" for a goodbye); an emergency gets its
        # first steps first, with the advisor offered at once
        payload = handoff_payload(tracker, "request_human", concern(tracker, text))
        dispatcher.utter_message(json_message=payload)
        return []
    emergency = answer_emergency(dispatcher, tracker, text)
    if emergency is not None:
        return emergency
    if is_foreign_language(text):
        dispatcher.utter_message(
            text=OTHER_LANGUAGE, buttons=[{**ADVISOR_BUTTON, "title": "Beratung / Advisor"}]
        )
        return []
    previous = tracker.get_slot("last_question")
    after_answer = tracker.get_slot("last_kind") == ANSWER
    if previous and after_answer and (corrects(text) or restates(tracker, text)):
        return await answer_corrected(dispatcher, tracker, domain, previous)
    if tracker.get_slot("pending_request") and typed_group(text):
        # the trade group typed after the trade question ("Lebensmittel")
        return await ActionHandleTrade().run(dispatcher, tracker, domain)
    if tracker.get_slot("last_kind") == EVENTS and refines_events(text):
        return await ActionRecommendEvents().run(dispatcher, tracker, domain)
    if (listed := await answer_listed(dispatcher, tracker, text, current_time())) is not None:
        return listed  # "was kostet dat?" after a list of events
    if asks_for_events(text, False) and asks_when_or_where(text):
        # "wann is eigentlich die Mitteldeutsche Handwerksmesse?": the events know, even
        # if a guide names the fair's city
        return await ActionRecommendEvents().run(dispatcher, tracker, domain)
    query = contextual_question(tracker, text)
    if query is not None:
        return answer(dispatcher, tracker, query, known_trade(tracker))
    trade = known_trade(tracker)
    group = tracker.get_slot("trade_group")
    # "was is dieser Cyberrisikocheck von dem alle reden?" even if taken for out of scope
    answerable = (questions and is_substantial_question(text)) or asks_what_is(text)
    if answerable and find_answer(text, trade, group, None) is not None:
        return [*trade_events(trade), *answer(dispatcher, tracker, Query(text), trade)]
    return None


def restates(tracker: Tracker, text: str) -> bool:
    """True if `text` states the amount the last answer's core answer depends on."""
    guide = knowledge_index().guides.get(tracker.get_slot("last_guide") or "")
    return guide is not None and restates_amount(guide.meta.answer, text)


async def answer_corrected(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, previous: str
) -> list[EventType]:
    """The last question answered again with the correction: for the trade it names
    ("nee, ich meinte Bäckerei, nicht Fleischerei"), else with its words ("hab mich
    vertan, warn 950.000")."""
    trade = named_trade(tracker) or match_trade(latest_text(tracker))
    if trade is not None and trade != tracker.get_slot("trade"):
        return await ActionHandleTrade().run(dispatcher, tracker, domain)
    text = latest_text(tracker)
    question = corrected_question(previous, text)
    return answer(dispatcher, tracker, Query(question), known_trade(tracker))


class ActionAnswerQuestion(Action):
    """Answers a digitalisation question: emergencies first, follow-ups in context; a
    request to be called back starts the handoff."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = latest_text(tracker)
        if text.startswith("/") or not text:
            dispatcher.utter_message(response="utter_ask_question")
            return []
        trade = known_trade(tracker)
        rerouted = await reroute(dispatcher, tracker, domain)
        group = tracker.get_slot("trade_group")
        if (
            rerouted is None
            and asks_for_events(text, False)
            and not find_answer(text, trade, group, None)
        ):
            # "sprechtage zur digitalisierung": events, as no guide answers
            return await ActionRecommendEvents().run(dispatcher, tracker, domain)
        if rerouted is None:
            rerouted = answer(dispatcher, tracker, Query(text), trade)
        return [*trade_events(trade), *rerouted]


class RespondUnlessRerouted(Action):
    """Say `response`, unless the message is rerouted (see `reroute`)."""

    action_name = ""
    response = ""

    def name(self) -> str:
        return self.action_name

    def answers_questions(self, tracker: Tracker) -> bool:
        """Whether a substantial question the knowledge base answers is answered instead."""
        return True

    def may_reroute(self, text: str) -> bool:
        """False where the message surely means what the NLU says."""
        return True

    def marker(self, text: str) -> dict[str, Any] | None:
        """The custom payload of the response (the gateway reads it), if any."""
        return None

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = latest_text(tracker)
        if self.may_reroute(text):
            rerouted = await reroute(dispatcher, tracker, domain, self.answers_questions(tracker))
            if rerouted is not None:
                return rerouted
        dispatcher.utter_message(response=self.response, json_message=self.marker(text))
        return []


class ActionOutOfScope(RespondUnlessRerouted):
    """Outside the assistant's remit."""

    action_name = "action_out_of_scope"
    response = "utter_out_of_scope"

    def answers_questions(self, tracker: Tracker) -> bool:
        """A question the NLU is sure is none of our business is not searched for
        ("wie wird das Wetter morgen?"); one it is unsure about is ("moin moin, wie
        lang musn ich die Rechnungen aufhebn …")."""
        intent = tracker.latest_message.get("intent") or {}
        return float(intent.get("confidence") or 0.0) < SURE_CONFIDENCE

    def marker(self, text: str) -> dict[str, Any] | None:
        """The gateway counts frequent out-of-scope requests for the editors."""
        return {"out_of_scope": {"question": text}} if text and not text.startswith("/") else None


class ActionGoodbye(RespondUnlessRerouted):
    """Goodbye ("tschüss" always is one)."""

    action_name = "action_goodbye"
    response = "utter_goodbye"

    def may_reroute(self, text: str) -> bool:
        return not FAREWELL.search(" ".join(words(text)))


class ActionThank(RespondUnlessRerouted):
    """ "Danke" – unless a follow-up without a word of thanks was taken for one ("für
    wen is der gedacht?")."""

    action_name = "action_thank"
    response = "utter_thank"

    def may_reroute(self, text: str) -> bool:
        return not THANKS.search(" ".join(words(text)))


class ActionHelp(RespondUnlessRerouted):
    """What the assistant can do."""

    action_name = "action_help"
    response = "utter_help"


class ActionNothingToCancel(RespondUnlessRerouted):
    """ "Abbrechen": drops the open trade question, else says that nothing runs."""

    action_name = "action_nothing_to_cancel"
    response = "utter_nothing_to_cancel"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("pending_request"):
            dispatcher.utter_message(response="utter_cancelled")
            return [SlotSet("pending_request", None)]
        return await super().run(dispatcher, tracker, domain)


class ActionBotChallenge(RespondUnlessRerouted):
    """ "Bist du ein Bot?" – unless a longer question only mentions KI or the Kammer
    ("muss ich da dranschreiben, dass das eine KI ist?")."""

    action_name = "action_bot_challenge"
    response = "utter_bot_challenge"

    def may_reroute(self, text: str) -> bool:
        return len(words(text)) >= MIN_QUESTION_WORDS


class ActionDeny(RespondUnlessRerouted):
    """ "Nein" – unless it is a follow-up that starts with a no-like word ("kann dat
    nich jeder selber eintragen?")."""

    action_name = "action_deny"
    response = "utter_deny"

    def may_reroute(self, text: str) -> bool:
        return len(words(text)) >= MIN_DENY_REROUTE_WORDS
