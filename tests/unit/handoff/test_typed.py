import pytest

from bot.handoff.typed import confirmation, field_named, is_no_name


@pytest.mark.parametrize(
    "text", ["ja", "Ja, passt so", "jo", "stimmt", "passt", "Absenden bitte", "ok", "ja gerne"]
)
def test_typed_yes(text: str) -> None:
    assert confirmation(text) is True


@pytest.mark.parametrize(
    "text", ["nein", "nee, ändern", "stimmt nicht", "ändern", "ja, aber ändern", "falsch"]
)
def test_typed_no(text: str) -> None:
    assert confirmation(text) is False


def test_long_or_other_text_is_no_confirmation() -> None:
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
