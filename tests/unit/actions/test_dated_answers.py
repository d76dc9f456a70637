"""The same question before and after 1 January 2027 (WERKBOT_NOW): the right tense
and the right facts for the e-invoice sending duty and the BAFA consulting grant."""

import pytest

from actions.answering import answer_message, find_answer
from bot.clock import today

BEFORE = "2026-12-20T10:00:00+01:00"
AFTER = "2027-01-05T10:00:00+01:00"


def answer(question: str) -> str:
    found = find_answer(question, None, None, None)
    assert found is not None, question
    return str(answer_message(*found, question=question, today=today())["text"])


@pytest.mark.parametrize(
    ("now", "said", "not_said"),
    [
        (BEFORE, "Ab dem 1. Januar 2027", "Seit dem 1. Januar 2027"),
        (AFTER, "Seit dem 1. Januar 2027", "Ab dem 1. Januar 2027"),
    ],
)
def test_the_e_invoice_sending_duty_in_the_right_tense(
    monkeypatch: pytest.MonkeyPatch, now: str, said: str, not_said: str
) -> None:
    monkeypatch.setenv("WERKBOT_NOW", now)
    text = answer("Ab wann muss ich E-Rechnungen verschicken?")
    assert said in text
    assert not_said not in text
    assert "800.000 Euro" in text
    assert "{{" not in text


def test_the_bafa_grant_is_open_in_december_and_ended_in_january(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    question = "Gibt es noch die BAFA Förderung für eine Unternehmensberatung?"
    monkeypatch.setenv("WERKBOT_NOW", BEFORE)
    december = answer(question)
    monkeypatch.setenv("WERKBOT_NOW", AFTER)
    january = answer(question)
    assert "31. Dezember 2026" in december
    assert "ausgelaufen" not in december
    assert "ausgelaufen" in january or "beendet" in january
    assert "Handwerkskammer" in january
    for text in (december, january):
        assert "{{" not in text


@pytest.mark.parametrize(
    ("now", "question", "first"),
    [
        (BEFORE, "wir machen so 1,2 mio umsatz, ab wann müssen wir e rechnungen schreiben", "2027"),
        (BEFORE, "umsatz war 650.000, ab wann muss ich e-rechnungen verschicken?", "2028"),
        (AFTER, "wir hatten 2026 einen umsatz von 1,2 mio, ab wann e-rechnung?", "seit dem 1"),
        ("2028-02-01T10:00:00+01:00", "umsatz 650.000, ab wann e-rechnungen?", "galt nur"),
        (BEFORE, "wir sind 25 leute, brauchen wir nen datenschutzbeauftragten?", "brauchen Sie"),
        (BEFORE, "bäckerei mit 8 mitarbeitern, brauch ich nen datenschutzbeauftragten", "keinen"),
    ],
)
def test_the_first_sentence_answers_for_the_amount_named(
    monkeypatch: pytest.MonkeyPatch, question: str, now: str, first: str
) -> None:
    monkeypatch.setenv("WERKBOT_NOW", now)
    opening = answer(question).split("\n")[0]  # the threshold's sentence, then the rule
    assert opening.startswith(("Bei ", "Mit ", "Arbeiten ", "Die Grenze"))
    assert first.lower() in opening.lower()
