"""Price questions the knowledge base cannot answer are said to be so."""

from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge import HELP_BUTTON
from actions.prices import NO_PRICE, asks_price, names_price
from actions.routing import ActionAnswerQuestion
from bot.texts import ADVISOR_BUTTON
from tests.unit.actions.helpers import EMPTY_DOMAIN, tracker


def test_price_questions() -> None:
    assert asks_price("was kostet ne website?")
    assert asks_price("wie teuer is so n 3d scanner")
    assert not asks_price("gibt es kostenlose beratung?")
    assert not asks_price("kann der chatbot dem kunden gleich nen preis sagen")
    assert names_price("Rechnen Sie nach, was Sie jeder Auftrag gekostet hat.")
    assert names_price("ab 50 € im Monat")
    assert not names_price("Prüfen Sie vierteljährlich, ob alles stimmt.")


async def ask(text: str) -> dict[str, object]:
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(dispatcher, tracker(text), EMPTY_DOMAIN)
    return dispatcher.messages[0]


async def test_a_price_the_knowledge_base_does_not_know_is_not_answered_with_something_else() -> (
    None
):
    reply = await ask("was kostet ne website?")
    assert reply["text"] == NO_PRICE
    assert reply["custom"] == {"no_answer": {"question": "was kostet ne website?"}}
    assert reply["buttons"] == [ADVISOR_BUTTON, HELP_BUTTON]


async def test_a_price_it_knows_is_answered() -> None:
    reply = await ask("was kostet ne handwerkersoftware")
    assert "Euro" in str(reply["text"])
