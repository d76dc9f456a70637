from dataclasses import replace
from datetime import date

import pytest

from actions import answering, sections
from actions.answering import (
    MAX_ANSWER_CHARS,
    answer_message,
    answer_text,
    find_answer,
    shorten,
    trades_for,
)
from actions.cues import with_cues
from actions.sections import fitting_first
from bot.kb.guides import load_guides
from bot.kb.search import KnowledgeIndex


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


def test_core_sentence_on_the_askers_case_comes_first() -> None:
    core = (
        "Ab dem 1. Januar 2027 müssen große Betriebe E-Rechnungen an Unternehmen schicken. "
        "Rechnungen an Privatkunden sind ausgenommen."
    )
    asked = fitting_first(core, "muss ich e-rechnungen schreiben? hab nur privatkundschaft")
    assert asked.startswith("Rechnungen an Privatkunden sind ausgenommen.")
    assert fitting_first(core, "ab wann muss ich e-rechnungen schicken?") == core


def test_cues_name_what_a_question_asks_for() -> None:
    assert with_cues("bis wann muss dat passiert sein").endswith("Frist")
    assert "Bußgeld" in with_cues("wie teuer wirds wenn ich dat nich mach")
    assert with_cues("wie sichere ich meine Daten?") == "wie sichere ich meine Daten?"


def test_deadline_follow_up_stays_at_the_till_registration_guide() -> None:
    question = "wie melde ich meine neue Kasse beim Amt an? bis wann muss dat passiert sein"
    found = find_answer(
        question,
        None,
        None,
        "kasse_tse",
        focus="bis wann muss dat passiert sein",
        last_guide="kasse-meldung-elster",
    )
    assert found is not None
    assert found[0].guide.meta.id == "kasse-meldung-elster"
    assert "Frist" in found[0].section.heading


def test_fines_for_a_missing_cookie_banner() -> None:
    found = find_answer(
        "brauche ich einen cookie banner? wie teuer wirds wenn ich dat nich mach",
        None,
        None,
        "website",
        focus="wie teuer wirds wenn ich dat nich mach",
    )
    assert found is not None
    assert "Bußgeld" in found[0].section.text


def test_a_sentence_that_refers_back_does_not_open() -> None:
    core = "Ja, jede elektronische Kasse braucht eine TSE. Für eine Ladenkasse gilt das nicht."
    assert fitting_first(core, "brauch ich für meine ladenkasse so ne tse") == core


def test_a_bare_yes_stays_first() -> None:
    core = "Ja. Betriebe müssen Kassen melden. Kleinunternehmer auch."
    assert fitting_first(core, "muss ich als kleinunternehmer die kasse melden?") == core


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("muss ich meine registrierkasse beim finanzamt melden?", "ELSTER"),
        ("ab wann muss ich e-rechnung schicken?", "1. Januar 2027"),
        ("gibt es die bafa-förderung für unternehmensberatung noch?", "31. Dezember 2026"),
        ("gibts die bafa förderung für unternehmensberatung noch?", "31. Dezember 2026"),
        ("gibts digital jetzt noch?", "„Digital Jetzt“ ist beendet"),
        ("hab ne neue registrierkasse gekauft, muss ich die irgendwo melden", "ELSTER"),
        ("ab wann müssen meine leute ne ki schulung haben wenn wir chatgpt nutzen", "Februar 2025"),
        ("brauchen wir nen datenschutzbeauftragten? wir sind 15 leute", "in der Regel keinen"),
        ("im november ne neue registrierkasse geholt, muss ich die anmelden?", "ELSTER"),
        ("bin dachdecker, will ne drohne mit kamera, muss ich die anmelden", "Ja, sobald"),
        # a word of the guide's title counts half when the question asks more
        ("wie krieg ich aus meiner handwerkersoftware ne xrechnung raus", "XRechnung"),
        ("welche handwerkersoftware is gut", "Abläufe"),
        ("wat muss so ne handwerkersoftware eigentlich alles können", "Auftragsbestätigung"),
        ("Wie melde ich meine Kasse beim Finanzamt?", "nur elektronisch"),
        # a heading that shares only the guide's subject does not beat the core answer
        ("ab wann muss ich e-rechnungen empfangen können", "Seit dem 1. Januar 2025"),
        # no "Ja, wenn …" for a question that is no yes-or-no question
        ("brauch ne neue kasse für meinen laden, worauf muss ich achten", "Wenn Sie elektronisch"),
        ("was ist mit privatkunden bei der e-rechnung", "Privatkunden sind ausgenommen"),
    ],
)
def test_the_first_sentence_answers_what_was_asked(question: str, expected: str) -> None:
    found = find_answer(question, None, None, None)
    assert found is not None
    _, text = answer_text(found[0], question, date(2026, 12, 7))
    assert expected in text[:160]


def test_a_known_question_keeps_the_section_its_guide_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    question = "Was mache ich, wenn ein Kunde seine Daten sehen will?"
    heading = "Ein Kunde fragt, welche Daten wir über ihn speichern: was tun?"
    guides = {g.id: g for g in load_guides()}
    privacy = guides["datenschutz-kundenanfragen-fotos"]
    questions = [*privacy.meta.questions, question]
    listed = {"questions": questions}
    named = {"questions": questions, "question_sections": {question: heading}}
    for update, expected in ((listed, False), (named, True)):
        meta = privacy.meta.model_copy(update=update)
        others = [g for g in guides.values() if g.id != privacy.id]
        index = KnowledgeIndex([*others, replace(privacy, meta=meta)], [])
        for module in (answering, sections):
            monkeypatch.setattr(module, "knowledge_index", lambda index=index: index)
        found = find_answer(question, None, None, None)
        assert found is not None
        assert found[0].guide.id == privacy.id
        assert (found[0].section.heading == heading) is expected


def test_a_follow_up_moves_to_the_guide_whose_section_answers_its_own_words() -> None:
    found = find_answer(
        "was brauch ich datenschutzmäßig auf meiner website und mit meinem webhoster, "
        "brauch ich da n vertrag",
        None,
        None,
        "website",
        focus="und mit meinem webhoster, brauch ich da n vertrag",
    )
    assert found is not None
    assert "Auftragsverarbeitung" in found[0].section.heading


def test_a_follow_up_that_fits_the_first_guide_stays_there() -> None:
    found = find_answer(
        "lohnt sich ne drohne fürs aufmaß? brauch ich dafür nen führerschein?",
        None,
        None,
        None,
        focus="brauch ich dafür nen führerschein?",
    )
    assert found is not None
    assert found[0].guide.meta.id == "drohne-dach-aufmass"


def test_the_core_answer_can_be_left_out_for_a_follow_up() -> None:
    found = find_answer("brauch ich für meine ladenkasse so ne tse", None, None, "kasse_tse")
    assert found is not None
    hit = found[0]
    core = hit.guide.meta.answer
    assert core is not None
    question = "un muss ich jedem n bon geben?"
    _, with_core = answer_text(hit, question, date(2026, 12, 7))
    _, without = answer_text(hit, question, date(2026, 12, 7), core=False)
    assert with_core.startswith(core.text[:40])
    assert not without.startswith(core.text[:40])


@pytest.mark.parametrize(
    ("question", "topic", "focus", "last_guide", "expected"),
    [
        (  # a deadline asked: the section that states one
            "neue registrierkasse gekauft, muss ich die melden?",
            "kasse_tse",
            "bis wann muss dat passiert sein",
            "kasse-tse-grundlagen",
            "innerhalb eines Monats",
        ),
        (  # small invoices: the section on exceptions
            "ab wann muss ich e-rechnungen rausschicken",
            "e_rechnung",
            "und so kleine rechnungen unter 200 euro?",
            "e-rechnung-versenden",
            "250 Euro",
        ),
        (  # "stattdessen" asks for the alternatives
            "gibts go-digital noch?",
            "foerderung",
            "was kann ich stattdessen nehmen",
            "go-digital-digital-jetzt-beendet",
            "BAFA",
        ),
    ],
)
def test_a_follow_up_finds_the_section_with_what_it_asks_for(
    question: str, topic: str, focus: str, last_guide: str, expected: str
) -> None:
    found = find_answer(f"{question} {focus}", None, None, topic, focus, last_guide)
    assert found is not None
    assert expected in found[0].section.text
