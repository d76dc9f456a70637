import pytest

from bot.folding import fold
from bot.kb.analysis import GermanAnalyzer

VOCABULARY = {
    "kasse",
    "system",
    "daten",
    "sicherung",
    "tischler",
    "dachdecker",
    "meister",
    "elektro",
    "installation",
    "betrieb",
    "rechnung",
    "friseur",
    "pdf",
    "schicken",
}


@pytest.fixture(scope="module")
def analyzer() -> GermanAnalyzer:
    return GermanAnalyzer(VOCABULARY)


def test_fold_writes_out_umlauts_and_sharp_s() -> None:
    assert fold("Bäckerei Straße ÖL Tür") == "baeckerei strasse oel tuer"


def test_umlaut_and_ascii_spellings_meet(analyzer: GermanAnalyzer) -> None:
    assert analyzer.terms("Bäckereien") == analyzer.terms("baeckerei")


def test_lemmas_from_the_lookup_table(analyzer: GermanAnalyzer) -> None:
    assert analyzer.words("Städte Betrieben Rechnungen") == ["stadt", "betrieb", "rechnung"]


def test_lower_case_input_is_lemmatised_too(analyzer: GermanAnalyzer) -> None:
    assert analyzer.words("rechnungen") == analyzer.words("Rechnungen")


@pytest.mark.parametrize(
    ("text", "base"),
    [("Tischlerin", "tischler"), ("Friseur:innen", "friseur"), ("TischlerInnen", "tischler")],
)
def test_gendered_forms_reduce_to_the_trade(analyzer: GermanAnalyzer, text: str, base: str) -> None:
    assert analyzer.words(text) == [base]


@pytest.mark.parametrize(
    ("text", "base"),
    [("PDFs", "pdf"), ("rausschicken", "schicken"), ("Reinigung", "reinigung")],
)
def test_plurals_in_s_and_spoken_particles_reduce_to_the_known_word(
    analyzer: GermanAnalyzer, text: str, base: str
) -> None:
    assert analyzer.words(text) == [base]


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("kassensystem", ("kasse", "system")),
        ("datensicherungen", ("daten", "sicherung")),
        ("dachdeckermeister", ("dachdecker", "meister")),
        ("elektroinstallationsbetrieb", ("elektro", "installation", "betrieb")),
        ("registrierkasse", ("kasse",)),
        ("rechnung", ()),
    ],
)
def test_compounds_split_into_known_parts(
    analyzer: GermanAnalyzer, word: str, parts: tuple[str, ...]
) -> None:
    assert analyzer.split_compound(word) == parts


def test_kassensystem_yields_the_term_of_kasse(analyzer: GermanAnalyzer) -> None:
    assert set(analyzer.terms("Kasse")) <= set(analyzer.terms("Kassensystem"))


def test_hyphenated_words_keep_parts_and_the_joined_form(analyzer: GermanAnalyzer) -> None:
    assert analyzer.words("E-Rechnung") == ["rechnung", "erechnung"]


def test_stopwords_and_punctuation_are_dropped(analyzer: GermanAnalyzer) -> None:
    assert analyzer.words("Was ist das denn?") == []


def test_spoken_articles_are_stopwords_too(analyzer: GermanAnalyzer) -> None:
    assert analyzer.words("wat is dat mit nem ne nen ner n") == []


def test_spoken_contractions_are_stopwords_and_richtig_is_not(analyzer: GermanAnalyzer) -> None:
    spoken = "fürs büro aufm pc übern shop fürn auto"
    assert analyzer.words(spoken) == ["buero", "pc", "shop", "auto"]
    assert "richtig" in analyzer.words("wie mach ich das richtig")


def test_a_word_counts_once_with_its_parts_and_synonyms() -> None:
    analyzer = GermanAnalyzer(["software"])  # its own: the module's keeps no synonyms
    analyzer.synonyms = {frozenset({"handwerkersoftwar"}): ("programm",)}
    [forms] = analyzer.word_forms("Handwerkersoftware")  # one word, one set of forms
    assert {"handwerkersoftwar", "programm"} <= forms


def test_programme_names_of_stop_words_are_one_word(analyzer: GermanAnalyzer) -> None:
    assert analyzer.words("gibts Digital Jetzt noch?") == ["gibts", "digitaljetzt"]


def test_places_in_saxony_anhalt_are_no_search_terms(analyzer: GermanAnalyzer) -> None:
    whole, parts = analyzer.query_terms("Zimmerei in Magdeburg, Filiale in Halle")
    assert "magdeburg" not in whole + parts
    assert "hall" not in whole + parts
    assert "zimmerei" in whole
