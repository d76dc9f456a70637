from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionOfferHandoff
from tests.unit.actions.helpers import EMPTY_DOMAIN, tracker


async def offer(events: list[dict[str, Any]], slots: dict[str, Any]) -> dict[str, Any]:
    dispatcher = CollectingDispatcher()
    state = tracker("Mit Berater sprechen", "request_human", slots=slots, events=events)
    await ActionOfferHandoff().run(dispatcher, state, EMPTY_DOMAIN)
    [message] = dispatcher.messages
    assert not message["text"]  # the gateway writes the consent text
    return dict(message["custom"]["handoff"])


async def test_request_carries_last_question_trade_and_answer_topic() -> None:
    answer = {"answer": {"guide_id": "tse-baeckerei", "topics": ["kasse_tse"]}}
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "Brauche ich eine TSE?"},
        {"event": "bot", "text": "Ja …", "data": {"custom": answer}},
        {"event": "user", "text": "Mit Berater sprechen"},
    ]
    slots = {"last_question": "Brauche ich eine TSE?", "trade": "baecker"}
    handoff = await offer(events, slots)
    assert handoff == {
        "reason": "request_human",
        "question": "Brauche ich eine TSE?",
        "trade": "baecker",
        "topic": "kasse_tse",
    }


async def test_after_no_good_answer_the_reason_says_so() -> None:
    events: list[dict[str, Any]] = [
        {"event": "user", "text": "Wie backe ich Brot?"},
        {"event": "bot", "text": "Dazu habe ich …", "data": {"custom": {"no_answer": {}}}},
        {"event": "user", "text": "Mit Berater sprechen"},
    ]
    handoff = await offer(events, {"last_question": "Wie backe ich Brot?"})
    assert handoff["reason"] == "no_answer"
    assert handoff["trade"] is None


async def test_an_older_no_answer_does_not_count_after_other_replies() -> None:
    answer = {"answer": {"guide_id": "tse-grundlagen", "topics": ["kasse_tse"]}}
    events: list[dict[str, Any]] = [
        {"event": "bot", "text": "Eine TSE …", "data": {"custom": answer}},
        {"event": "bot", "text": "Dazu habe ich …", "data": {"custom": {"no_answer": {}}}},
        {"event": "user", "text": "hallo"},
        {"event": "bot", "text": "Guten Tag!", "data": {}},
        {"event": "user", "text": "Mit Berater sprechen"},
    ]
    handoff = await offer(events, {})
    assert handoff["reason"] == "request_human"
    assert handoff["topic"] == "kasse_tse"  # from the last answer
