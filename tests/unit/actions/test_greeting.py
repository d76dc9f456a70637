from datetime import UTC, datetime

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.greeting import BERLIN, QUICK_REPLIES, ActionGreet, greets, salutation
from bot.config import ROOT
from tests.unit.actions.helpers import EMPTY_DOMAIN, tracker


@pytest.mark.parametrize(
    ("hour", "expected"),
    [
        (4, "Guten Morgen"),
        (10, "Guten Morgen"),
        (11, "Guten Tag"),
        (17, "Guten Tag"),
        (18, "Guten Abend"),
        (23, "Guten Abend"),
        (2, "Guten Abend"),
    ],
)
def test_salutation_follows_berlin_time(hour: int, expected: str) -> None:
    assert salutation(datetime(2026, 11, 24, hour, 30, tzinfo=BERLIN)) == expected


def test_salutation_converts_from_utc() -> None:
    # 09:30 UTC in summer is 11:30 in Berlin.
    assert salutation(datetime(2026, 7, 1, 9, 30, tzinfo=UTC)) == "Guten Tag"


async def test_greeting_introduces_the_assistant_with_quick_replies() -> None:
    action = ActionGreet()
    action.clock = lambda: datetime(2026, 11, 24, 5, 0, tzinfo=BERLIN)
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker("Hallo", "greet"), EMPTY_DOMAIN)
    assert events == []
    [message] = dispatcher.messages
    assert message["text"].startswith("Guten Morgen! Ich bin werkbot")
    assert message["buttons"] == QUICK_REPLIES
    assert action.name() == "action_greet"


async def test_a_greeting_with_a_question_is_greeted_and_answered() -> None:
    action = ActionGreet()
    action.clock = lambda: datetime(2026, 11, 24, 5, 0, tzinfo=BERLIN)
    dispatcher = CollectingDispatcher()
    text = "moin moin, wie lang musn ich die rechnugen aufhebn, mein steuerfuzzi sacht zehn jahr"
    await action.run(dispatcher, tracker(text, "greet"), EMPTY_DOMAIN)
    greeting, answer, *_ = dispatcher.messages
    assert greeting["text"] == "Guten Morgen!"
    assert "acht Jahre" in answer["text"]


def greeting_examples() -> list[str]:
    """The NLU's examples of the greet intent."""
    data = yaml.safe_load((ROOT / "data" / "nlu" / "smalltalk.yml").read_text(encoding="utf-8"))
    [examples] = [item["examples"] for item in data["nlu"] if item.get("intent") == "greet"]
    return [line.removeprefix("- ").strip() for line in examples.splitlines() if line.strip()]


def test_every_greeting_the_nlu_learned_greets() -> None:
    examples = greeting_examples()
    assert len(examples) > 50
    assert [text for text in examples if not greets(text)] == []


@pytest.mark.parametrize("text", ["na dings da mit dem zeug", "so ein ding halt, wisst ihr"])
def test_words_without_a_greeting_are_not_greeted(text: str) -> None:
    assert not greets(text)


async def test_an_unclear_message_taken_for_a_greeting_is_asked_again() -> None:
    action = ActionGreet()
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker("na dings da mit dem zeug", "greet"), EMPTY_DOMAIN)
    [message] = dispatcher.messages
    assert message["response"] == "utter_please_rephrase"
