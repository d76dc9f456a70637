from rasa_sdk.executor import CollectingDispatcher

from actions.trade_form import ActionAskTrade, ValidateTradeForm, group_buttons
from tests.unit.actions.helpers import EMPTY_DOMAIN, tracker


def test_groups_are_offered_as_quick_replies() -> None:
    buttons = group_buttons()
    assert len(buttons) == 6
    assert buttons[3] == {
        "title": "Lebensmittel",
        "payload": '/inform_trade{"trade_group": "lebensmittel"}',
    }


async def test_ask_trade_shows_the_groups() -> None:
    dispatcher = CollectingDispatcher()
    await ActionAskTrade().run(dispatcher, tracker("x"), EMPTY_DOMAIN)
    assert dispatcher.messages[0]["buttons"] == group_buttons()


def test_validate_normalises_synonyms_and_sets_the_group() -> None:
    form = ValidateTradeForm()
    dispatcher = CollectingDispatcher()
    assert form.validate_trade("Konditorei", dispatcher, tracker("x"), EMPTY_DOMAIN) == {
        "trade": "konditor",
        "trade_group": "lebensmittel",
    }
    assert (
        form.validate_trade("friseur", dispatcher, tracker("x"), EMPTY_DOMAIN)["trade"] == "friseur"
    )
    assert dispatcher.messages == []


def test_validate_ignores_an_empty_slot_silently() -> None:
    dispatcher = CollectingDispatcher()
    assert ValidateTradeForm().validate_trade(None, dispatcher, tracker("x"), EMPTY_DOMAIN) == {
        "trade": None
    }
    assert dispatcher.messages == []


def test_validate_rejects_unknown_trades_politely() -> None:
    dispatcher = CollectingDispatcher()
    result = ValidateTradeForm().validate_trade("Astronaut", dispatcher, tracker("x"), EMPTY_DOMAIN)
    assert result == {"trade": None}
    assert dispatcher.messages[0]["response"] == "utter_trade_not_understood"


async def test_free_text_is_extracted_when_the_nlu_found_no_entity() -> None:
    form = ValidateTradeForm()
    asked = tracker(
        "wir machen brot und brötchen, eine bäckerei halt",
        "inform_trade",
        slots={"requested_slot": "trade"},
    )
    assert await form.extract_trade(CollectingDispatcher(), asked, EMPTY_DOMAIN) == {
        "trade": "baecker"
    }
    not_asked = tracker("bäckerei", "inform_trade")
    assert await form.extract_trade(CollectingDispatcher(), not_asked, EMPTY_DOMAIN) == {}


async def test_a_chosen_group_completes_the_form() -> None:
    form = ValidateTradeForm()
    chosen = tracker("x", slots={"trade_group": "holz"})
    assert await form.required_slots(["trade"], CollectingDispatcher(), chosen, EMPTY_DOMAIN) == []
    none = tracker("x")
    assert await form.required_slots(["trade"], CollectingDispatcher(), none, EMPTY_DOMAIN) == [
        "trade"
    ]
