import pytest

from bot.handoff.typed import (
    cancels,
    confirmation,
    field_named,
    is_bare_confirmation,
    is_no_name,
)
from bot.handoff.validation import find_contact


@pytest.mark.parametrize(
    "text",
    [
        "ja",
        "Ja, passt so",
        "jo",
        "stimmt",
        "passt",
        "Absenden bitte",
        "ok",
        "ja gerne",
        "jau, schick raus",
        "alles in ordnung",
    ],
)
def test_typed_yes(text: str) -> None:
    assert confirmation(text) is True


@pytest.mark.parametrize(
    "text",
    [
        "nein",
        "nee, ändern",
        "stimmt nicht",
        "ändern",
        "ja, aber ändern",
        "falsch",
        "ändere bitte die nummer",
        "stimmt nich",
        "nicht in ordnung",
    ],
)
def test_typed_no(text: str) -> None:
    assert confirmation(text) is False


def test_long_or_other_text_is_no_confirmation() -> None:
    assert confirmation("egal, hauptsache nich mittwochs") is None
    assert confirmation("nicht so") is False
    assert confirmation("Es geht um die Kasse in unserer Bäckerei und die TSE, ja") is None
    assert confirmation("Meier") is None


@pytest.mark.parametrize("text", ["ja", "nein", "hallo", "Moin", "guten Tag", "egal"])
def test_no_names(text: str) -> None:
    assert is_no_name(text)


@pytest.mark.parametrize("text", ["Anna Schulz", "Meier", "Jan"])
def test_names(text: str) -> None:
    assert not is_no_name(text)


def test_fields_are_named_in_words() -> None:
    assert field_named("die Telefonnummer") == "contact"
    assert field_named("den Namen bitte") == "name"
    assert field_named("weiß nicht") is None


@pytest.mark.parametrize(
    "text",
    ["abbrechen", "ach vergiss es, hab grad keine zeit", "lass mal gut sein", "dann doch nicht"],
)
def test_typedcancels(text: str) -> None:
    assert cancels(text)


@pytest.mark.parametrize(
    "text",
    ["peter lehmann", "egal, wann et passt", "vormittags", "ne, die nummer stimmt doch nicht"],
)
def test_answers_are_no_cancel(text: str) -> None:
    assert not cancels(text)


def test_a_contact_is_found_inside_a_sentence() -> None:
    assert find_contact("sorry, p.lehmann@web.de").value == "p.lehmann@web.de"  # type: ignore[union-attr]
    assert find_contact("meine nummer is 0345 1234567").value == "0345 1234567"  # type: ignore[union-attr]
    assert find_contact("p.lehmann@web") is None
    assert find_contact("Hauptstr. 10, 06108 Halle") is None
    assert find_contact("0171 2345678 oder a@b.de") is None  # two: ask again


def test_a_bare_yes_or_no_says_nothing_more() -> None:
    assert is_bare_confirmation("nein, das stimmt so nicht")
    assert is_bare_confirmation("ja passt alles")
    assert not is_bare_confirmation("ja, wegen der kasse")
    assert not is_bare_confirmation("Kassenumstellung")
