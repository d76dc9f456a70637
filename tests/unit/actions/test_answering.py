import pytest

from actions.answering import MAX_ANSWER_CHARS, answer_message, find_answer, shorten, trades_for


def test_short_text_is_kept() -> None:
    assert shorten("Ein Satz.") == "Ein Satz."


def test_long_text_is_cut_after_a_whole_sentence() -> None:
    text = " ".join(f"Satz Nummer {n} ist hier." for n in range(60))
    short = shorten(text)
    assert len(short) <= MAX_ANSWER_CHARS
    assert short.endswith("ist hier.")
    assert text.startswith(short)


def test_one_endless_sentence_is_cut_at_a_word() -> None:
    short = shorten("wort " * 300)
    assert len(short) <= MAX_ANSWER_CHARS
    assert short.endswith("…")


def test_trades_for_group_and_trade() -> None:
    assert trades_for("baecker", "lebensmittel") == ["baecker"]
    assert trades_for(None, "lebensmittel") == ["baecker", "konditor", "fleischer"]
    assert trades_for(None, None) == []


def test_answer_has_source_link_feedback_related_and_advisor() -> None:
    found = find_answer("Muss ich E-Rechnungen empfangen können?", None, None, None)
    assert found is not None
    hit, related = found
    message = answer_message(hit, related)
    body, footer = message["text"].split("\n\nQuelle: ")
    assert len(body) <= MAX_ANSWER_CHARS
    assert "Stand " in footer
    assert f"Mehr lesen: http://127.0.0.1:8080/wissen/{hit.guide.id}#abschnitt-" in footer
    titles = [button["title"] for button in message["buttons"]]
    assert titles[:2] == ["Hat geholfen", "Hat nicht geholfen"]
    assert titles[-1] == "Mit Berater sprechen"
    assert len(titles) == 3 + len(related) <= 5
    assert message["json_message"]["answer"]["guide_id"] == hit.guide.id


def test_no_answer_below_the_threshold() -> None:
    assert find_answer("Wer gewinnt die Bundesliga?", None, None, None) is None


@pytest.mark.parametrize(
    ("trade", "group", "guide"),
    [
        ("friseur", None, "kasse-friseur-kosmetik"),
        ("konditor", None, "kasse-baeckerei-fleischerei"),
        (None, "lebensmittel", "kasse-baeckerei-fleischerei"),
    ],
)
def test_guide_for_the_trade_is_preferred(trade: str | None, group: str | None, guide: str) -> None:
    found = find_answer("brauch ich ne tse für meine kasse", trade, group, None)
    assert found is not None
    assert found[0].guide.id == guide


def test_general_guide_without_a_trade() -> None:
    found = find_answer("brauch ich ne tse für meine kasse", None, None, None)
    assert found is not None
    assert found[0].guide.meta.trades == []


def test_a_guide_for_the_trade_on_another_topic_is_not_preferred() -> None:
    found = find_answer(
        "Wir haben 25 Mitarbeiter, brauchen wir einen Datenschutzbeauftragten?",
        "dachdecker",
        "bau_ausbau",
        None,
    )
    assert found is not None
    assert "datenschutz" in found[0].guide.meta.topics
