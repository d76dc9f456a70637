from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionHandleFallback
from tests.unit.actions.helpers import EMPTY_DOMAIN, tracker


async def run(events: list[dict[str, Any]]) -> str:
    return str((await messages(events))[0]["response"])


async def messages(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    await ActionHandleFallback().run(
        dispatcher, tracker("blubb", "nlu_fallback", events=events), EMPTY_DOMAIN
    )
    return dispatcher.messages


async def test_first_fallback_asks_to_rephrase() -> None:
    events = [{"event": "action", "name": "action_greet"}, {"event": "user"}]
    assert await run(events) == "utter_please_rephrase"


async def test_second_fallback_in_a_row_hands_over_to_an_advisor() -> None:
    events = [
        {"event": "user"},
        {"event": "action", "name": "action_handle_fallback"},
        {"event": "action", "name": "action_listen"},
        {"event": "user"},
    ]
    [message] = await messages(events)
    handoff = message["custom"]["handoff"]
    assert handoff["reason"] == "fallback"
    assert handoff["question"] == "blubb"


async def test_fallback_after_an_answer_starts_again() -> None:
    events = [
        {"event": "action", "name": "action_handle_fallback"},
        {"event": "user"},
        {"event": "action", "name": "action_answer_question"},
        {"event": "user"},
    ]
    assert await run(events) == "utter_please_rephrase"


async def test_unsure_follow_up_with_a_trade_answers_the_last_question() -> None:
    dispatcher = CollectingDispatcher()
    unsure = tracker(
        "und für friseure?",
        "nlu_fallback",
        slots={"last_question": "Was muss ich bei der Kasse beachten?"},
    )
    await ActionHandleFallback().run(dispatcher, unsure, EMPTY_DOMAIN)
    assert "Quelle:" in dispatcher.messages[0]["text"]
