import pytest

from actions.context import (
    STRONG,
    WEAK,
    asks_for_events,
    asks_like_before,
    corrects,
    follow_up_strength,
    for_all_trades,
    is_elliptical,
    is_question_like,
    is_substantial_question,
    points_back,
    refines_events,
    search_query,
    with_context,
)
from actions.emergency import HACKED, LOST_DEVICE, PHISHING, RANSOMWARE, incident_in


@pytest.mark.parametrize(
    "text",
    [
        "brauch ich dafür nen führerschein?",
        "und online?",
        "und was ist mit datenschutz",
        "reicht da nen zettel",
        "och wenn die nur gemietet is?",  # "och": "auch" in Saxony-Anhalt
    ],
)
def test_follow_ups_are_elliptical(text: str) -> None:
    assert is_elliptical(text)
    assert follow_up_strength(text) == STRONG


def test_pronouns_only_may_point_back() -> None:
    assert follow_up_strength("was kostet das?") == WEAK
    assert follow_up_strength("muss ich das der Datenschutzbehörde melden?") == WEAK


def test_pointing_back_needs_a_word_that_surely_refers() -> None:
    assert points_back("bis wann muss dat passiert sein")
    assert points_back("brauch ich dafür nen führerschein?")
    assert not points_back("und wie meld ich die beim amt an")


@pytest.mark.parametrize(
    "text",
    [
        "Wie melde ich meine Kasse beim Finanzamt?",
        "Welche Förderprogramme gibt es für die Digitalisierung in Sachsen-Anhalt?",
    ],
)
def test_complete_questions_are_not(text: str) -> None:
    assert not is_elliptical(text)


def test_event_refinements_name_a_place_format_or_time() -> None:
    assert refines_events("und online?")
    assert refines_events("im April?")
    assert not refines_events("und für Zimmerer?")
    assert not refines_events("Welche Webinare zur E-Rechnung gibt es im Januar in Halle?")


def test_a_new_condition_replaces_the_last_one() -> None:
    previous = "brauch ich e rechnungen wenn ich nur an privatleute verkauf"
    assert with_context(previous, "und wenn der kunde ne firma is?") == (
        "brauch ich e rechnungen und wenn der kunde ne firma is?"
    )
    assert with_context(previous, "und dafür?") == f"{previous} und dafür?"


def test_context_keeps_the_latest_words() -> None:
    assert with_context("lohnt sich eine Drohne?", "dafür Führerschein?") == (
        "lohnt sich eine Drohne? dafür Führerschein?"
    )
    assert len(with_context("wort " * 100, "und das?").split()) == 40
    assert with_context(None, "und das?") == "und das?"
    assert (
        search_query("drohne? dafür schein?", "dafür schein?")
        == "drohne? dafür schein? dafür schein?"
    )


@pytest.mark.parametrize(
    ("text", "incident"),
    [
        ("Hilfe, Mail mit Rechnung.zip geöffnet und alle Dateien verschlüsselt!", RANSOMWARE),
        ("die wollen lösegeld in bitcoin", RANSOMWARE),
        ("mein email konto wurde gehackt", HACKED),
        ("hab auf nen link in ner mail geklickt und mein passwort eingegeben", PHISHING),
        ("in ner mail von der bank auf n link gedrückt und mein passwort eingetippt", PHISHING),
        ("diensthandy verloren mit allen kundendaten", LOST_DEVICE),
        ("handy is weg, da sind alle kundendaten drauf", LOST_DEVICE),
        ("diensthandy weg, wohl aufer baustelle liegen lassen", LOST_DEVICE),
        ("irgendwer is in unserm email postfach drin und verschickt rechnungen", HACKED),
        ("unsre kunden kriegen rechnungen mit ner falschen iban", HACKED),
        ("da verschickt einer mails in unserem namen", HACKED),
    ],
)
def test_emergencies_are_recognised(text: str, incident: str) -> None:
    assert incident_in(text) == incident


@pytest.mark.parametrize(
    "text",
    [
        "Wie schütze ich mich vor Ransomware?",
        "wie verschlüssele ich mein Handy",
        "Phishing erkennen",
        "wie krieg ich die daten vom handy weg",
        "kann jemand von euch in unser system schauen",
        "wie schütze ich mein email postfach",
    ],
)
def test_prevention_questions_are_no_emergency(text: str) -> None:
    assert incident_in(text) is None


def test_event_nouns_ask_for_events_training_only_outside_obligations() -> None:
    assert asks_for_events("gibt es Webinare zur E-Rechnung?", core_question=False)
    assert asks_for_events("gibt es Schulungen zu KI?", core_question=False)
    assert not asks_for_events("müssen meine Leute ne Schulung machen?", core_question=True)
    assert not asks_for_events("buchen Kunden sowas heute online?", core_question=False)
    assert asks_for_events("wann is die mitteldeutsche handwerksmesse", core_question=False)
    assert not asks_for_events("kann ich das dach mit der drohne vermessen", core_question=False)


def test_all_trades_drops_the_trade_filter() -> None:
    assert for_all_trades("und für alle gewerke?")
    assert refines_events("und für alle gewerke?")
    assert not for_all_trades("und für Zimmerer?")


def test_question_like_turns_ask_something() -> None:
    assert is_question_like("reicht n zettel oder brauch ich ne app")
    assert is_question_like("wat gibts denn dann überhaupt noch")
    assert not is_question_like("top danke, tschö")
    assert not is_question_like("ok danke")
    # a later clause asks, a verb opens the question
    assert is_question_like("danke. andere frage: muss ich e-rechnungen schon empfangen können")
    assert is_question_like("moin moin, wie lang musn ich die rechnugen aufhebn")
    assert is_question_like("zahlt die bafa noch wat dazu wenn ich mir n berater hol")
    assert not is_question_like("Kowalski und Sohn GmbH")
    assert not is_question_like("am liebsten nachmittags, so ab 14 uhr")


def test_asking_what_something_is_is_a_question_of_its_own() -> None:
    assert is_substantial_question("was is dieser cyberrisikocheck")
    assert not is_substantial_question("was kannst du")


def test_corrections_are_recognised() -> None:
    assert corrects("ne moment, letztes jahr warens doch 950.000")
    assert corrects("nee warte, ich meinte tischler")
    assert not corrects("moment mal, was ist eine TSE?")
    assert corrects("moment nee, letztes jahr warns doch 1,2 mio")
    assert not corrects("moment, was war das nochmal mit der tse?")


def test_so_nen_before_a_noun_is_no_pointer_but_so_n_ding_is() -> None:
    assert not points_back("hallo. brauchen wir für unseren webshop so nen cookie banner")
    assert points_back("brauch ich so n ding wirklich")


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("und empfangen?", True),
        ("und Geschäftsbriefe?", True),
        ("aber für Minijobber?", True),
        ("und wo?", False),
        ("und was kostet das?", False),
        ("und wenn der kunde ne firma is?", False),
        ("brauch ich dafür nen führerschein?", False),
    ],
)
def test_a_bare_follow_up_asks_what_the_last_question_asked(text: str, bare: bool) -> None:
    assert asks_like_before(text) is bare
