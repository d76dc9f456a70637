import pytest

from bot.kb.trades import match_trade


@pytest.mark.parametrize(
    ("text", "trade"),
    [
        ("Ich bin Dachdeckermeisterin", "dachdecker"),
        ("wir sind ne baeckerei", "baecker"),
        ("Friseur:in", "friseur"),
        ("Elektriker*innen in Halle", "elektrotechniker"),
        ("KFZ-Werkstatt", "kfz_techniker"),
        ("Sanitärbetrieb", "installateur_heizungsbauer"),
        ("Schreinerei", "tischler"),
        ("Maler/-innen", "maler_lackierer"),
    ],
)
def test_trades_in_free_text(text: str, trade: str) -> None:
    assert match_trade(text) == trade


@pytest.mark.parametrize("text", ["Wie wird das Wetter?", "", "!!!"])
def test_no_trade(text: str) -> None:
    assert match_trade(text) is None
