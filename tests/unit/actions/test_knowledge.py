from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action

from actions.handoff import ActionOfferHandoff
from actions.knowledge import answer_emergency
from actions.recommending import ActionRecommendEvents
from actions.routing import (
    ActionAnswerQuestion,
    ActionBotChallenge,
    ActionDeny,
    ActionGoodbye,
    ActionHelp,
    ActionNothingToCancel,
    ActionOutOfScope,
)
from actions.trade import ActionHandleTrade
from tests.unit.actions.helpers import EMPTY_DOMAIN, tracker


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {str(e["name"]): e["value"] for e in events if e.get("event") == "slot"}


async def test_question_is_answered_and_remembered() -> None:
    dispatcher = CollectingDispatcher()
    question = "Wie erkenne ich eine Phishing-Mail?"
    events = await ActionAnswerQuestion().run(dispatcher, tracker(question), EMPTY_DOMAIN)
    assert slots(events)["last_question"] == question
    assert slots(events)["last_kind"] == "answer"
    assert "Quelle:" in dispatcher.messages[0]["text"]
    assert len(dispatcher.messages) == 1  # the answer does not depend on the trade


async def test_trade_is_asked_once_after_the_general_answer() -> None:
    question = "brauch ich ne tse für meine kasse"
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerQuestion().run(dispatcher, tracker(question), EMPTY_DOMAIN)
    answer, ask = dispatcher.messages
    assert "Quelle:" in answer["text"]
    assert "Gewerk" in ask["text"]
    assert [b["title"] for b in ask["buttons"]][3] == "Lebensmittel"
    assert slots(events)["trade_asked"] is True
    assert slots(events)["pending_request"] == "question"
    dispatcher = CollectingDispatcher()
    asked = tracker(question, slots={"trade_asked": True})
    await ActionAnswerQuestion().run(dispatcher, asked, EMPTY_DOMAIN)
    assert len(dispatcher.messages) == 1


async def test_trade_group_button_answers_the_question_for_the_group() -> None:
    dispatcher = CollectingDispatcher()
    pressed = tracker(
        '/inform_trade{"trade_group": "lebensmittel"}',
        intent="inform_trade",
        entities=[{"entity": "trade_group", "value": "lebensmittel"}],
        slots={
            "last_question": "brauch ich ne tse für meine kasse",
            "last_kind": "answer",
            "trade_group": "lebensmittel",
            "pending_request": "question",
            "trade_asked": True,
        },
    )
    events = await ActionHandleTrade().run(dispatcher, pressed, EMPTY_DOMAIN)
    assert slots(events)["trade_group"] == "lebensmittel"
    assert "/wissen/kasse-baeckerei-fleischerei" in dispatcher.messages[0]["text"]


async def test_trade_in_the_question_is_remembered_with_its_group() -> None:
    events = await ActionAnswerQuestion().run(
        CollectingDispatcher(),
        tracker("Was muss ich als Friseurin bei der Kasse beachten?"),
        EMPTY_DOMAIN,
    )
    assert slots(events)["trade"] == "friseur"
    assert slots(events)["trade_group"] == "gesundheit_koerperpflege"


async def test_button_without_question_asks_for_the_question() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerQuestion().run(
        dispatcher, tracker("/ask_digitalisation"), EMPTY_DOMAIN
    )
    assert dispatcher.messages[0]["response"] == "utter_ask_question"
    assert events == []


async def test_follow_up_with_a_trade_repeats_the_last_question() -> None:
    dispatcher = CollectingDispatcher()
    follow_up = tracker(
        "und für Friseure?",
        intent="inform_trade",
        entities=[{"entity": "trade", "value": "friseur"}],
        slots={"last_question": "Was muss ich bei der Kasse beachten?", "trade": "tischler"},
    )
    events = await ActionHandleTrade().run(dispatcher, follow_up, EMPTY_DOMAIN)
    assert slots(events)["trade"] == "friseur"
    assert slots(events)["last_question"] == "Was muss ich bei der Kasse beachten?"
    assert "Quelle:" in dispatcher.messages[0]["text"]


async def test_trade_without_a_question_is_acknowledged() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionHandleTrade().run(
        dispatcher, tracker("Ich bin Konditorin", intent="inform_trade"), EMPTY_DOMAIN
    )
    assert slots(events) == {"trade": "konditor", "trade_group": "lebensmittel"}
    assert "Konditor" in dispatcher.messages[0]["text"]


async def test_unknown_trade_gets_a_polite_answer() -> None:
    dispatcher = CollectingDispatcher()
    await ActionHandleTrade().run(
        dispatcher, tracker("Ich bin Astronaut", "inform_trade"), EMPTY_DOMAIN
    )
    assert dispatcher.messages[0]["response"] == "utter_trade_not_understood"


async def test_a_question_taken_for_a_trade_that_names_none_is_answered() -> None:
    """ "9 mann" is no trade; the question is answered, not the trade asked again."""
    dispatcher = CollectingDispatcher()
    text = "betrifft uns dieses nis2 eigentlich? wir sind 9 mann"
    await ActionHandleTrade().run(dispatcher, tracker(text, "inform_trade"), EMPTY_DOMAIN)
    assert "indirekt" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(
    "action",
    [ActionGoodbye(), ActionHelp(), ActionNothingToCancel()],
)
async def test_a_real_question_the_nlu_took_for_small_talk_is_answered(action: Action) -> None:
    dispatcher = CollectingDispatcher()
    text = "bin bäckermeister und find keine azubis mehr. wo muss ich da online hin"
    await action.run(dispatcher, tracker(text, intent="goodbye"), EMPTY_DOMAIN)
    assert "Quelle:" in dispatcher.messages[0]["text"]


async def test_out_of_scope_and_short_goodbyes_keep_their_answer() -> None:
    for action, text, response in (
        (ActionOutOfScope(), "Wie wird das Wetter morgen in Halle?", "utter_out_of_scope"),
        (ActionGoodbye(), "ok das wars", "utter_goodbye"),
    ):
        dispatcher = CollectingDispatcher()
        await action.run(dispatcher, tracker(text, intent="goodbye"), EMPTY_DOMAIN)
        assert [m["response"] for m in dispatcher.messages] == [response]


async def test_a_question_the_nlu_is_unsure_is_out_of_scope_is_answered() -> None:
    text = "moin moin, wie lang musn ich die rechnugen aufhebn, mein steuerfuzzi sacht zehn jahr"
    for question, answered in ((text, True), ("Wie wird das Wetter morgen in Halle?", False)):
        dispatcher = CollectingDispatcher()
        unsure = tracker(question, intent="out_of_scope", confidence=0.57)
        await ActionOutOfScope().run(dispatcher, unsure, EMPTY_DOMAIN)
        assert ("Quelle:" in (dispatcher.messages[0].get("text") or "")) is answered


async def test_a_long_question_about_ki_is_no_bot_challenge_and_a_no_stays_a_no() -> None:
    slots = {"last_kind": "answer", "last_question": "Darf ich ChatGPT im Büro nutzen?"}
    dispatcher = CollectingDispatcher()
    text = "muss ich da dranschreiben dass dat ne ki is"
    await ActionBotChallenge().run(dispatcher, tracker(text, slots=slots), EMPTY_DOMAIN)
    assert "Quelle:" in dispatcher.messages[0]["text"]
    for action, short, response in (
        (ActionBotChallenge(), "bist du ein bot?", "utter_bot_challenge"),
        (ActionDeny(), "nein danke", "utter_deny"),
    ):
        dispatcher = CollectingDispatcher()
        await action.run(dispatcher, tracker(short, slots=slots), EMPTY_DOMAIN)
        assert [m["response"] for m in dispatcher.messages] == [response]


async def test_a_trade_group_typed_instead_of_tapped_continues_the_question() -> None:
    state = {
        "pending_request": "question",
        "trade_asked": True,
        "last_kind": "answer",
        "last_question": "brauch ich ne tse für meine kasse",
    }
    dispatcher = CollectingDispatcher()
    typed = tracker("Lebensmittel", intent="out_of_scope", slots=state)
    events = await ActionOutOfScope().run(dispatcher, typed, EMPTY_DOMAIN)
    assert "Quelle:" in dispatcher.messages[0]["text"]
    assert "Waage" in dispatcher.messages[0]["text"]  # the guide for food trades
    assert slots(events)["trade_group"] == "lebensmittel"


async def test_a_short_turn_without_a_word_that_leans_back_continues_the_guide() -> None:
    dispatcher = CollectingDispatcher()
    follow_up = tracker(
        "reicht n zettel oder brauch ich ne app",
        slots={
            "last_question": "muss ich die arbeitszeit von meinen gesellen aufschreiben?",
            "last_kind": "answer",
            "last_guide": "arbeitszeiterfassung-pflicht",
            "last_topic": "zeiterfassung",
        },
    )
    events = await ActionAnswerQuestion().run(dispatcher, follow_up, EMPTY_DOMAIN)
    assert slots(events)["last_guide"] == "arbeitszeiterfassung-pflicht"
    # a choice between two means asks which will do, not whether: the section on the form
    assert "die Form frei" in dispatcher.messages[0]["text"]


async def test_a_negated_dialect_trade_is_not_taken() -> None:
    dispatcher = CollectingDispatcher()
    correction = tracker(
        "sorry, konditorei natürlich, nich bäckerei",
        intent="inform_trade",
        entities=[
            {"entity": "trade", "value": "konditor", "start": 7},
            {"entity": "trade", "value": "baecker", "start": 34},
        ],
    )
    events = await ActionHandleTrade().run(dispatcher, correction, EMPTY_DOMAIN)
    assert slots(events)["trade"] == "konditor"


async def test_an_obligation_the_nlu_took_for_an_event_request_is_answered() -> None:
    dispatcher = CollectingDispatcher()
    question = tracker(
        "müssen meine leute ne schulung machen wenn wir chatgpt benutzen?",
        intent="request_events",
    )
    events = await ActionRecommendEvents().run(dispatcher, question, EMPTY_DOMAIN)
    assert slots(events)["last_kind"] == "answer"
    assert "Quelle:" in dispatcher.messages[0]["text"]


async def test_a_refinement_after_events_is_no_emergency_follow_up() -> None:
    dispatcher = CollectingDispatcher()
    refinement = tracker(
        "und für alle gewerke?",
        intent="request_events",
        slots={
            "last_question": "hilfe alle dateien verschlüsselt, die wollen bitcoin",
            "last_kind": "events",
            "last_guide": "it-notfall-sofortmassnahmen",
            "last_topic": "it_sicherheit",
        },
    )
    assert answer_emergency(dispatcher, refinement, "und für alle gewerke?") is None
    assert dispatcher.messages == []


async def test_a_grant_question_that_mentions_an_advisor_is_answered_not_handed_off() -> None:
    dispatcher = CollectingDispatcher()
    text = "zahlt die bafa noch wat dazu wenn ich mir n berater für die digitalisierung hol"
    await ActionOfferHandoff().run(dispatcher, tracker(text, intent="request_human"), EMPTY_DOMAIN)
    assert "Quelle:" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["custom"]["answer"]["guide_id"] == "bafa-beratungsfoerderung-kmu"


async def test_a_follow_up_taken_for_a_trade_is_answered_not_the_last_question_again() -> None:
    """The NLU took "seit wann gilt dat denn" for a trade; the trade known from before
    must not make it the last question again."""
    state = {
        "trade": "tischler",
        "trade_group": "holz",
        "last_question": "betrifft mich dieses nis2 zeug, hab ne kleine tischlerei",
        "last_kind": "answer",
        "last_guide": "nis2-lieferanten-handwerk",
        "last_topic": "it_sicherheit",
    }
    dispatcher = CollectingDispatcher()
    text = "seit wann gilt dat denn"
    typed = tracker(text, intent="inform_trade", slots=state)
    events = await ActionHandleTrade().run(dispatcher, typed, EMPTY_DOMAIN)
    assert "6. Dezember 2025" in dispatcher.messages[0]["text"]
    assert {"event": "slot", "name": "trade", "value": "tischler"} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]
