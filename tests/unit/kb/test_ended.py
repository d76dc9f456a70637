from datetime import date

from bot.kb.ended import ended_notices


def test_the_ended_programme_the_question_names_comes_first() -> None:
    answer = "Digital Jetzt ist seit Dezember 2023 zu. go-digital auch."
    notices = ended_notices("gibts go-digital noch?", answer, date(2026, 12, 7))
    assert len(notices) == 2
    assert notices[0].startswith("„go-digital“")
