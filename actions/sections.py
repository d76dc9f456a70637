"""Which section of a guide answers a question, and what its first sentence is: the
core answer for "muss ich …" questions, the section whose heading or words fit best."""

from __future__ import annotations

import re
from dataclasses import replace

from actions.cues import ASKS_DEADLINE, facts_asked, with_cues
from actions.kb_index import knowledge_index
from bot.folding import fold
from bot.kb.guides import Section
from bot.kb.search import Hit
from bot.kb.trades import match_trade

# A "muss ich …" question is answered from the guide's core answer and its section while
# that section scores at least this share of the best-matching one.
KEY_SECTION_SHARE = 0.6
# a section whose heading has this share (and number) of the question's terms answers
# it, not the core answer
OWN_HEADING_SHARE = 0.5
OWN_HEADING_TERMS = 2
# how much a heading that has all of the question's terms raises its section's score
HEADING_BONUS = 1.0
TITLE_WORD_WEIGHT = 0.5
# a sentence ends at . ! ? before a capital, but not after an ordinal ("1. Januar"),
# a single letter ("z. B.") or a common abbreviation
SENTENCE_BREAK = re.compile(
    r"(?<=[.!?])(?<!\d\.)(?<!\b\w\.)(?<!bzw\.)(?<!Abs\.)(?<!Art\.)(?<!Nr\.)(?<!ca\.)"
    r"(?<!ggf\.)(?<!usw\.)(?<!inkl\.)(?<!vgl\.)\s+(?=[A-ZÄÖÜ„\"(])"
)
# questions whose first sentence must say yes/no/when/who ("muss ich …", "ab wann …")
CORE_QUESTION = re.compile(
    r"\b(muss|musst|muessen|mus|brauch\w*|benoetig\w*|ab wann|bis wann|seit wann|wann muss|"
    r"gilt|gelten|betrifft|pflicht\w*|verpflichtet|vorgeschrieben|erlaubt|darf ich|"
    r"gib(t es|ts) (noch|weiterhin|immer noch)|gib(t es|ts) (\S+ ){1,6}(?<!ueberhaupt )noch)\b"
)
# "reicht n Zettel oder brauch ich ne App?" asks which of two, not whether (folded)
CHOICE = re.compile(r"\boder (brauch\w*|muss\w*|mus|reicht|genuegt|soll\w*|nehm\w*)\b")
# a clause that asks where or what goes in (folded), not whether ("wat muss alles ins
# impressum")
OPEN_CLAUSE = re.compile(
    r"^((und|aber|un) )?((wo|wohin|bei wem)\b|(was|wat|welche\w*( \w+)?) (muss|muessen|mus) "
    r"((alles|denn|da|eigentlich|so|ich|man) )*(in|ins|rein\w*|drauf\w*|auf|drin\w*|hinein|mit)\b)"
)
FACT_BONUS = 1.0
# a sentence that leans on the one before it
REFERS_BACK = re.compile(r"\b(gilt das|gilt dies|das gilt|dies gilt|dafür|davon)\b")
# what "gilt das auch für Kleinunternehmer?" says besides its case: nothing that
# chooses a section ("Welche Fristen gelten?" is no answer to it)
NEUTRAL_WORDS = re.compile(r"\b(gilt|gelten|betrifft|betreffen)\b", re.IGNORECASE)
# what "bis wann muss das passiert sein?" says besides the deadline: nothing
DONE_WORDS = re.compile(r"\b(passiert|erledigt|gemacht|geschehen|fertig)\b", re.IGNORECASE)


def is_core_question(question: str) -> bool:
    """True for "muss ich …", "ab wann …", "brauche ich …", "gilt … für mich"; not for
    one whose last clause asks where ("und wenn man betroffen is, wo muss man sich
    anmelden?": the registration, not whether one is affected)."""
    folded = fold(question)
    clauses = re.split(r"[,.;:!?]", folded)
    last = next((c for c in reversed(clauses) if c.strip()), "")
    if CHOICE.search(folded):
        return False
    return CORE_QUESTION.search(folded) is not None and not OPEN_CLAUSE.match(last.strip())


def without_own_trade(hit: Hit, text: str) -> str:
    """`text` without the words naming a trade `hit`'s guide is written for: they do
    not choose its section ("bin Dachdecker, muss ich die Drohne anmelden?" is no
    question for "Wofür setzen Dachdecker Drohnen ein?")."""
    trades = set(hit.guide.meta.trades)
    if not trades:
        return text
    return " ".join(word for word in text.split() if match_trade(word) not in trades)


def key_section_for(question: str, hit: Hit) -> Section | None:
    """The section of the guide's core answer if it fits `question` about as well as
    the best-matching section and that one's heading does not ask the question better
    ("muss ich meine Kasse beim Finanzamt melden?" is not answered with the TSE); None
    if the guide has no core answer."""
    core = hit.guide.meta.answer
    key = hit.guide.section_titled(core.section) if core else None
    if key is None or key == hit.section:
        return key
    if states_only_there(hit, key, core.text if core else "", question):
        return None
    question = without_own_trade(hit, question)
    best_share = heading_match(hit.section.heading, question)[1]
    # a heading that shares only the guide's subject asks nothing of its own ("ab wann
    # muss ich E-Rechnungen empfangen können?" is no question on storing them), nor one
    # that has a word only as part of its own ("und wenn der Kunde ne Firma is?" is no
    # question on "Privatkunden")
    own = asks_by_heading(hit.section.heading, question, whole_words=True)
    own = own and beyond_title(hit, question)
    own = own or asks_own_core_question(hit, key.heading, question)
    # more of the question than the key's heading, or something beyond the guide's
    # subject where the key's heading has nothing ("muss ich da n Vertrag machen wegen
    # Datenschutz?": the processing contract, not the data protection officer)
    key_beyond = share_beyond_title(hit, key.heading, question)
    best_beyond = share_beyond_title(hit, hit.section.heading, question)
    asks_more = (
        best_share > heading_match(key.heading, question)[1] or key_beyond == 0 < best_beyond
    )
    if own and asks_more:
        return None  # the best section's heading asks the question itself
    scores = knowledge_index().section_scores(question, hit.guide.id)
    best = scores.get(hit.section.heading, 0.0)
    return key if scores.get(key.heading, 0.0) >= KEY_SECTION_SHARE * best else None


def share_beyond_title(hit: Hit, heading: str, question: str) -> float:
    """The share of the question's terms that `heading` has beyond the guide's subject
    (its title and their synonyms: "Datenschutz" in a guide on the DSGVO)."""
    analyzer = knowledge_index().analyzer
    title = set(analyzer.terms(hit.guide.meta.title))
    asked = set(analyzer.terms(question))
    own = [
        term
        for term in terms_in_heading(question, heading)
        if not {term, *analyzer.synonym_terms([term])} & title
    ]
    return len(own) / len(asked) if asked else 0.0


def states_only_there(hit: Hit, key: Section, core: str, question: str) -> bool:
    """True if `question` asks for a date, deadline or amount that `hit`'s section
    states and neither the core answer nor its section does ("seit wann is dat so?"
    after the salon's till: the section on 2020, not the core answer again)."""
    return any(
        found.search(hit.section.text) and not found.search(f"{core} {key.text}")
        for found in facts_asked(fold(question))
    )


def beyond_title(hit: Hit, question: str) -> bool:
    """True if the heading of `hit`'s section shares a term of `question` (or one of
    its synonyms) that the guide's title lacks."""
    analyzer = knowledge_index().analyzer
    title = set(analyzer.terms(hit.guide.meta.title))
    shared = terms_in_heading(question, hit.section.heading)
    return any(not {term, *analyzer.synonym_terms([term])} & title for term in shared)


def asks_own_core_question(hit: Hit, key_heading: str, question: str) -> bool:
    """True if the heading of `hit`'s section is a "muss ich …" question of its own that
    shares a term with `question` that neither the key section's heading nor the
    guide's title has ("Muss ich meine Kasse beim Finanzamt melden?" answers "neue
    Registrierkasse, muss ich die irgendwo melden?", not the TSE)."""
    analyzer = knowledge_index().analyzer
    terms, synonyms = analyzer.terms, analyzer.synonym_terms
    heading = hit.section.heading
    general = set(terms(key_heading)) | set(terms(hit.guide.meta.title))
    # a word of the heading itself, not a part of one ("Kunden" asks nothing of
    # "Privatkunden": "meine Kunden sind meist Bauträger")
    whole = set(analyzer.query_terms(heading)[0])
    shared = [
        t
        for t in terms_in_heading(question, heading)
        if not {t, *synonyms([t])} & general and {t, *synonyms([t])} & whole
    ]
    return is_core_question(heading) and bool(shared)


def asks_by_heading(heading: str, question: str, whole_words: bool = False) -> bool:
    """True if `heading` has enough of the question's terms to ask it itself (as its
    own words, not parts of them, if `whole_words`)."""
    shared, share = heading_match(heading, question, whole_words)
    return shared >= OWN_HEADING_TERMS and share >= OWN_HEADING_SHARE


def heading_match(heading: str, question: str, whole_words: bool = False) -> tuple[int, float]:
    """How many of the question's terms a heading has, and which share of them (of its
    words' own terms only, if `whole_words`)."""
    analyzer = knowledge_index().analyzer
    asked = set(analyzer.query_terms(question)[0] if whole_words else analyzer.terms(question))
    shared = len(terms_in_heading(question, heading, whole_words))
    return shared, shared / len(asked) if asked else 0.0


def asks_in_own_words(heading: str, question: str) -> bool:
    """True if `heading` has enough of the question's own words, not counting their
    compound parts, to ask it itself ("wie lang muss ich die Kassendaten aufheben?":
    "Wie lange muss ich Rechnungen aufbewahren?")."""
    whole = set(knowledge_index().analyzer.query_terms(question)[0])
    shared = terms_in_heading(question, heading) & whole
    return len(shared) >= OWN_HEADING_TERMS and len(shared) >= OWN_HEADING_SHARE * len(whole)


def terms_in_heading(question: str, heading: str, whole_words: bool = False) -> set[str]:
    """The question's terms that `heading` has, itself or as a synonym ("anmelden":
    "Muss ich meine Kasse beim Finanzamt melden?"); with `whole_words` only the terms
    of whole words on both sides ("Kunde" is not "Privatkunden")."""
    analyzer = knowledge_index().analyzer
    if whole_words:
        has, asked = set(analyzer.query_terms(heading)[0]), set(analyzer.query_terms(question)[0])
    else:
        has, asked = set(analyzer.terms(heading)), set(analyzer.terms(question))
    return {term for term in asked if term in has or has & set(analyzer.synonym_terms([term]))}


def noun_terms(sentence: str) -> set[str]:
    """The search terms of a sentence's nouns: its capitalised words (the first one too,
    "Privatkunden sind ausgenommen"; the analyzer drops "Ab", "Für", "Seit")."""
    nouns = re.findall(r"(?<![\w-])[A-ZÄÖÜ][\w-]*", sentence)
    return set(knowledge_index().analyzer.terms(" ".join(nouns)))


def fitting_first(core: str, question: str) -> str:
    """The core answer with the sentence whose nouns add most of the question's terms
    to those of the first sentence moved first ("hab nur Privatkundschaft": the
    sentence on private customers), if one alone does. A core that opens with a bare
    "Ja." or "Nein." already answers first and stays as it is; a sentence that refers
    back ("Für eine offene Ladenkasse gilt das nicht.") cannot open."""
    sentences = SENTENCE_BREAK.split(core)
    if len(sentences[0].split()) < 3:
        return core
    asked = set(knowledge_index().analyzer.terms(question)) - noun_terms(sentences[0])
    added = [
        0 if REFERS_BACK.search(sentence) else len(noun_terms(sentence) & asked)
        for sentence in sentences
    ]
    best = max(range(len(sentences)), key=lambda i: added[i])
    if best == 0 or added[best] == 0 or added.count(added[best]) > 1:
        return core  # none, or no single sentence, fits better than the first
    return " ".join([sentences[best], *(s for i, s in enumerate(sentences) if i != best)])


def fitting_in_context(core: str, question: str, context: str) -> str:
    """`fitting_first` for a follow-up: its own words first ("wie lange muss ich
    Rechnungen aufheben?" after offers: the sentence on invoices stays first), the
    conversation before it only where they name nothing the core says."""
    own = fitting_first(core, question)
    first = SENTENCE_BREAK.split(core)[0]
    if (
        own != core
        or not context
        or noun_terms(first) & set(knowledge_index().analyzer.terms(question))
    ):
        return own
    return fitting_first(core, f"{context} {question}")


def best_section(hit: Hit, text: str, last: int | None = None) -> tuple[str | None, float]:
    """The heading of the section of `hit`'s guide that fits `text` best, and how well:
    its BM25 score, raised by the share of the question's terms its heading has ("Wie
    melde ich meine Kasse beim Finanzamt?" is the heading of the section that answers
    it) and, for "bis wann …" or "wie viel …", if it states a deadline or an amount;
    None if no section has a term of `text`. Of sections that fit equally well, the
    `last` one answered wins: a follow-up whose words do not choose among them goes on
    where the last answer was ("und wie lang kann ich dat abstottern?" after the loan)."""
    index = knowledge_index()
    text = without_own_trade(hit, text)
    folded = fold(text)
    states = facts_asked(folded)
    deadline = ASKS_DEADLINE.search(folded) is not None
    text = with_cues(NEUTRAL_WORDS.sub(" ", DONE_WORDS.sub(" ", text) if deadline else text))
    scores = index.section_scores(text, hit.guide.id)
    asked = set(index.analyzer.terms(text))
    if not asked or max(scores.values(), default=0.0) <= 0:
        # "ab wann gilt dat?" has no term the guide has: the section that states a date,
        # the last one answered if it does
        stating = [s for s in hit.guide.sections if any(f.search(s.text) for f in states)]
        stating.sort(key=lambda section: section.number != last)
        heading = next((s.heading for s in stating), None)
        return (heading, FACT_BONUS) if heading else (None, 0.0)
    # a heading that has a word, a part of it or a synonym has the word, once ("Leute
    # schulen": "Muss ich meine Beschäftigten zu KI schulen?"; "Handwerkersoftware" is
    # one word, not also "Software")
    meant = words_with_forms(text)

    # a word of the guide's title, in many of its headings, counts half if the question
    # also asks something beyond the title ("XRechnung aus der Handwerkersoftware")
    title = set(index.analyzer.terms(hit.guide.meta.title))
    beyond = any(not forms & title for forms, _ in meant)
    title_weight = TITLE_WORD_WEIGHT if beyond else 1.0

    def fit(heading: str) -> float:
        matched = words_matched(meant, words_with_forms(heading))
        shared = sum(title_weight if forms & title else 1.0 for forms in matched)
        section = hit.guide.section_titled(heading)
        stated = section is not None and any(fact.search(section.text) for fact in states)
        bonus = FACT_BONUS if stated else 0.0
        return scores[heading] * (1 + HEADING_BONUS * shared / max(len(meant), 1) + bonus)

    def was_last(heading: str) -> bool:
        section = hit.guide.section_titled(heading)
        return section is not None and section.number == last

    heading = max(scores, key=lambda heading: (fit(heading), was_last(heading)))
    return (heading, fit(heading)) if scores[heading] > 0 else (None, 0.0)


# a word as `word_forms` (its terms, those of its parts, their synonyms) and
# `whole_forms` (its own term and synonyms)
Word = tuple[frozenset[str], frozenset[str]]


def words_with_forms(text: str) -> list[Word]:
    """The words of `text`, each with all its forms and with those of itself."""
    analyzer = knowledge_index().analyzer
    return list(zip(analyzer.word_forms(text), analyzer.whole_forms(text), strict=True))


def words_matched(asked: list[Word], heading: list[Word]) -> list[frozenset[str]]:
    """The words of a question (their forms) that a word of a heading has, each heading
    word for one of them: "Ladenkasse" is not both "Laden" and "Kasse" ("hab fürn
    Laden ne Kasse geleast" asks no question on the open till). A word must be the
    other one or a part of it: "Gewerbekunden" and "Privatkunden" share only a part.
    The words with fewer fitting heading words choose first."""

    def fits(word: Word, other: Word) -> bool:
        return bool(word[1] & other[0] or word[0] & other[1])

    fitting = [[i for i, other in enumerate(heading) if fits(word, other)] for word in asked]
    taken: set[int] = set()
    matched = []
    for position in sorted(range(len(asked)), key=lambda k: len(fitting[k])):
        free = [i for i in fitting[position] if i not in taken]
        if free:
            taken.add(free[0])
            matched.append(asked[position][0])
    return matched


def with_best_section(hit: Hit, text: str, last: int | None = None) -> Hit:
    """`hit` with the section of its guide that fits `text` best (see best_section)."""
    heading, _ = best_section(hit, text, last)
    if heading is None:
        return hit
    return replace(hit, section=hit.guide.section_titled(heading) or hit.section)
