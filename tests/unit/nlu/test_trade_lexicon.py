import pytest

from bot.nlu.trade_lexicon import TradeLexicon, TradeMention, phrase_key

LEXICON = TradeLexicon(
    {
        "Maler und Lackierer": "maler_lackierer",
        "maler": "maler_lackierer",
        "lackierer": "maler_lackierer",
        "Bäckerei": "baecker",
        "Friseur": "friseur",
        "KFZ-Werkstatt": "kfz_techniker",
        "Elektriker": "elektrotechniker",
    }
)


def spans(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.trade) for m in LEXICON.mentions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ich bin Maler und Lackierer", [("Maler und Lackierer", "maler_lackierer")]),
        ("Maler- und Lackierermeisterin", [("Maler- und Lackierermeisterin", "maler_lackierer")]),
        ("wir sind zwei Bäckereien", [("Bäckereien", "baecker")]),
        ("baeckerei", [("baeckerei", "baecker")]),
        (
            "Friseur:innen und Friseurinnen",
            [("Friseur:innen", "friseur"), ("Friseurinnen", "friseur")],
        ),
        ("ElektrikerInnen", [("ElektrikerInnen", "elektrotechniker")]),
        ("Maler/in", [("Maler/in", "maler_lackierer")]),
        ("Friseursalons in Halle", [("Friseursalons", "friseur")]),
        ("Dachdecker und Elektrikermeister", [("Elektrikermeister", "elektrotechniker")]),
        ("Fahrzeuglackierer", [("Fahrzeuglackierer", "maler_lackierer")]),
        ("unsere kfz-werkstatt", [("kfz-werkstatt", "kfz_techniker")]),
    ],
)
def test_mentions_with_spans(text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "!!!",
        "Kassensystem für den Laden",
        "Malware auf dem Rechner",
        "Bäckerhefe",
        "Maltechnik",
    ],
)
def test_no_mention(text: str) -> None:
    assert LEXICON.mentions(text) == []


def test_first_and_trades() -> None:
    assert LEXICON.first("Bäckerei oder Friseur") == "baecker"
    assert LEXICON.first("nichts") is None
    assert LEXICON.trades == {
        "maler_lackierer",
        "baecker",
        "friseur",
        "kfz_techniker",
        "elektrotechniker",
    }


def test_phrase_key_folds_and_drops_gender_marks() -> None:
    assert phrase_key("Maler*innen-Betrieb") == ("maler", "betrieb")
    assert phrase_key("Bäckerei") == ("baeckerei",)
    assert TradeMention(0, 5, "maler_lackierer").trade == "maler_lackierer"
