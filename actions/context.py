"""Conversation context: which turns are follow-ups and what they inherit.

The context lives in slots the actions set after each reply: `last_kind` (what the bot
last gave: an answer, events or best-practice cases), `last_question` (the question the
last answer answered, follow-ups included), `last_guide` and `last_topic`, and for
events `event_request` (the requests so far). A follow-up is answered by rewriting it
before the search: the last question and the follow-up are searched together, so that
"brauch ich dafür nen Führerschein?" after a question on drones finds the drone guide.
"""

from __future__ import annotations

import re

from bot.folding import fold

ANSWER = "answer"
EVENTS = "events"
BEST_PRACTICES = "best_practices"
# the pending request after the trade question: the last question
QUESTION = "question"

# A follow-up is short: a new, complete question is searched on its own.
MAX_FOLLOW_UP_WORDS = 12
MAX_CONTRAST_WORDS = 16
# A rewritten question keeps at most this many words (the latest ones).
MAX_CONTEXT_WORDS = 40
# "und …", "aber …", "auch …", "was ist mit …", "gilt das auch …" (folded text)
OPENERS = re.compile(
    r"^((schade|ok|okay|achso|aha|gut|danke|alles klar|hm+|ah|na|ja|nee|noe) )*"
    r"(und|un|aber|auch|och|ooch|was ist mit|wie ist es mit|wie siehts mit|wie sieht es mit|"
    r"gilt das|geht das|was ist bei|was gilt bei)\b"
    # "hab aber kein Laden", "ich hab aber …", "wir sind aber …": a contrast to the last answer
    r"|^(\w+ ){1,2}aber\b"
)
# words that point back at what was said ("dafür", "so ein Ding", "reicht da …")
ANAPHORA = re.compile(
    r"\b(dafuer|dazu|damit|davon|dabei|darueber|darauf|daran|darin|drin|drauf|dadurch|"
    # "so nen Cookie-Banner" is "such a", "so n Ding" points back
    r"hierfuer|hierzu|stattdessen|sowas|so was|so (ein|eine|nen|ne|n) (ding|teil|dings)|"
    r"das ding|die dinger|"
    r"dies|diese|dieses|diesen|da|dat|det)\b"
)
# words that surely point back at what was said, even with more said after them
POINTING_ADVERB = re.compile(
    r"\b(dafuer|dazu|damit|davon|dabei|darueber|darauf|daran|darin|hierfuer|hierzu)\b"
)
# pronouns that may point back or may be articles ("muss ich das melden?")
WEAK_ANAPHORA = re.compile(r"\b(das|des|es|der|die|den|dem|ihn|sie)\b")
STRONG, WEAK = 2, 1
# how a question starts (folded words): "wo muss ich da online hin", "bin Bäcker und …"
QUESTION_WORDS = (
    r"wie|was|wat|wo|wann|(bis|ab|seit) wann|warum|wieso|weshalb|welche\w*|wer|worauf|"
    r"wofuer|wieviel\w*|"
    r"gibt es|gibts|muss|muessen|brauch\w*|darf|duerf\w*|kann|koenn\w*|lohnt|lohnen|ist|is|"
    r"sind|reicht|geht|gilt|soll\w*|krieg\w*|bekomm\w*|zahlt|zahlen|foerdert|uebernimmt|"
    r"hilft|kostet|bringt|klappt|funktioniert|laeuft|passt|zaehlt|taugt|stimmt|betrifft|"
    r"deckt|hat|wird|werden"
)
OPENING_FILLER = r"((und|un|aber|also|ok|okay|achso) )?"
QUESTION_START = re.compile(
    rf"^{OPENING_FILLER}({QUESTION_WORDS}|bin|wir sind|ich bin|hab|habe|haben)\b"
)
# after a greeting or thanks, a later sentence or clause may ask ("moin moin, wie lang
# muss ich die Rechnungen aufheben?", "danke. andere frage: muss ich …")
CLAUSE_QUESTION = re.compile(rf"[,.;:!]\s*((und|aber|un|andere frage)\s+)?({QUESTION_WORDS})\b")
# a question of at least this many words is answered if the knowledge base knows it
MIN_QUESTION_WORDS = 5
# so is one that asks what something is ("was is dieser Cyberrisikocheck?"; folded)
ASKS_WHAT_IS = re.compile(r"^(was|wat) (ist|is|sind|bedeutet|heisst|meint man mit) \w+")
EVENT_WORDS = re.compile(
    r"\b(online|halle|magdeburg|dessau|webinar\w*|workshop\w*|sprechtag\w*|messe\w*|"
    r"termin\w*|veranstaltung\w*|woche|monat|januar|februar|maerz|april|mai|juni|juli|"
    r"august|september|oktober|november|dezember|fruehjahr|sommer|herbst|winter|ostern|"
    r"morgen|uebermorgen|spaeter|vormittags|abends|wochenende|praesenz|vor ort|"
    r"alle gewerke|alle branchen|allgemein)\b"
)
# words that surely ask for events (not "online" or a month, which a question may name)
EVENT_NOUNS = re.compile(
    r"\b(veranstaltung\w*|termin\w*|webinar\w*|workshop\w*|seminar\w*|sprechtag\w*|"
    r"messe\w*|infoabend\w*|vortra\w*|\w+messe|\w+(webinar|workshop|seminar|sprechtag)\w*)\b"
)
# "wann …", "wo …", "gibt es …": asks for a date or place, not for an explanation
ASKS_WHEN_OR_WHERE = re.compile(r"\b(wann|wo|gibt es|gibts|naechste\w*|demnaechst|bald)\b")
# words for events that a "muss ich …" question may use for an obligation ("müssen
# meine Leute ne Schulung machen?")
TRAINING_NOUNS = re.compile(r"\b(schulung\w*|kurs\w*|lehrgang\w*|fortbildung\w*)\b")
# "und für alle Gewerke?": events without the trade filter
ALL_TRADES = re.compile(r"\b(alle gewerke|alle branchen|egal welche\w* gewerk|jedes gewerk)\b")


# a correction of what was just said ("sorry, ich meinte Bäckerei", "hab mich vertan,
# warn 950.000"; folded words)
CORRECTION = re.compile(
    r"\b(ich meinte|meinte ich|ich meine|mein ich|ach quatsch|nee quatsch|hab mich vertan|"
    r"(ne|nee|nein) (moment|warte|falsch)|(moment|warte|halt|stopp) (mal )?(ne|nee|nein)|"
    # "letztes jahr warns doch 1,2 mio"
    r"(war|warn|waren|warns|wars) (es |das |dat )?doch|"
    r"habe mich vertan|mich verschrieben|"
    r"vertippt|verschrieben|korrektur|korrigiere|falsch gesagt|(nicht|nich|net) \w+ sondern)\b"
)
# "nich verschicken sondern empfangen": the word replaced and its replacement
REPLACED_WORD = re.compile(r"\b(?:nicht|nich|net) (\w+),? sondern (\w+)", re.IGNORECASE)


def words(text: str) -> list[str]:
    """The folded words of `text` (lowercase, umlauts and ß spelt out)."""
    return re.findall(r"[a-z0-9]+", fold(text))


def follow_up_strength(text: str) -> int:
    """How surely a short turn leans on the previous one: STRONG if it opens with
    "und", "aber", "was ist mit" … or points back with "dafür", "da", "so ein Ding";
    WEAK if it has a pronoun that may point back ("muss ich das melden?"); else 0."""
    folded = " ".join(words(text))
    opens = OPENERS.match(folded) is not None
    # one that opens with "und", "aber" or a contrast ("hab aber kein Laden, fahr nur zu
    # de Kunden raus, geht dat trotzdem?") may be longer
    if not folded:
        return 0
    if len(folded.split()) > (MAX_CONTRAST_WORDS if opens else MAX_FOLLOW_UP_WORDS):
        # "wie viele davon darf ich anlegen, hab 2 Transporter und 2 Standorte": a short
        # first clause that points back, then what the business is like
        first = re.split(r"[,.;:!?]", fold(text), maxsplit=1)[0]
        pointing = POINTING_ADVERB.search(first) and len(first.split()) <= MAX_FOLLOW_UP_WORDS
        return STRONG if pointing else 0
    if opens or ANAPHORA.search(folded):
        return STRONG
    return WEAK if WEAK_ANAPHORA.search(folded) else 0


def points_back(text: str) -> bool:
    """True if `text` has a word that surely points at what was said ("dafür", "da")."""
    return ANAPHORA.search(" ".join(words(text))) is not None


def is_elliptical(text: str) -> bool:
    """A short turn that surely leans on the previous one."""
    return follow_up_strength(text) == STRONG


def names_events(text: str) -> bool:
    """True if `text` names events, a place, a format or a time."""
    return bool(EVENT_WORDS.search(" ".join(words(text))))


def refines_events(text: str) -> bool:
    """A short turn that names a place, format or time ("und online?", "im April?")."""
    return 0 < len(words(text)) <= MAX_FOLLOW_UP_WORDS // 2 and names_events(text)


# a follow-up of a word or two after "und" asks what the last question asked ("und
# empfangen?" after "muss ich E-Rechnungen verschicken?"; folded)
BARE_FOLLOW_UP = re.compile(r"^(und|un|aber|auch|och|ooch) (fuer |bei |mit )?(\w+ )?\w+$")
ASKING_WORD = re.compile(rf"\b({QUESTION_WORDS}|wenn|falls)\b")


def asks_like_before(text: str) -> bool:
    """True for "und empfangen?", "und Geschäftsbriefe?": no question of its own."""
    bare = fold(text).strip(" ?!.")
    return BARE_FOLLOW_UP.match(bare) is not None and ASKING_WORD.search(bare) is None


# a follow-up that sets a new condition, and the condition clause of a question
NEW_CONDITION = re.compile(r"\W*((und|aber|un) )?(wenn|falls|und was (ist|is),? wenn)\b", re.I)
# "un wenn ich dat nich mach, wat droht da?" asks what follows, not the last question again
OWN_CLAUSE = re.compile(r"[,;:]\s*\w|\b(nicht|nich|net|kein\w*)\b", re.IGNORECASE)


def renews_condition(text: str) -> bool:
    """True if `text` asks the last question again for a new condition ("und wenn der
    Kunde ne Firma is?")."""
    return NEW_CONDITION.match(text) is not None and OWN_CLAUSE.search(text) is None


CONDITION_CLAUSE = re.compile(r"\b(wenn|falls)\b[^,.;:!?]*", re.IGNORECASE)


def with_context(previous: str | None, text: str) -> str:
    """The follow-up `text` rewritten as one question with what came before."""
    if not previous:
        return text
    if renews_condition(text):
        # "und wenn der Kunde ne Firma is?" replaces "wenn ich nur an Privatleute verkauf"
        previous = CONDITION_CLAUSE.sub(" ", previous).strip() or previous
    combined = f"{previous} {text}".split()
    return " ".join(combined[-MAX_CONTEXT_WORDS:])


def search_query(question: str, focus: str | None) -> str:
    """What to search for a question rewritten with its context: the follow-up's own
    words count twice, so that they, not the earlier question, choose among guides
    the context leaves open ("aber empfangen muss ich die schon?")."""
    return f"{question} {focus}" if focus else question


def is_substantial_question(text: str) -> bool:
    """A question long enough to be one in its own right, whatever the NLU says
    ("bin Bäckermeister und find keine Azubis. Wo muss ich da online hin?"), or one
    that asks what something is."""
    if asks_what_is(text):
        return True
    return len(words(text)) >= MIN_QUESTION_WORDS and is_question_like(text)


def asks_what_is(text: str) -> bool:
    """True for "was is dieser Cyberrisikocheck?"."""
    return ASKS_WHAT_IS.match(" ".join(words(text))) is not None


def asks_for_events(text: str, core_question: bool) -> bool:
    """True if `text` surely asks for events ("gibt es Webinare zur E-Rechnung?",
    "gibt es Schulungen zu KI?", but not "muss ich eine Schulung machen?")."""
    folded = " ".join(words(text))
    training = not core_question and TRAINING_NOUNS.search(folded) is not None
    return training or EVENT_NOUNS.search(folded) is not None


def asks_when_or_where(text: str) -> bool:
    """True if `text` asks when, where or whether there is something ("wann is die
    Handwerksmesse?", "gibt es Webinare zur E-Rechnung?")."""
    return ASKS_WHEN_OR_WHERE.search(" ".join(words(text))) is not None


def for_all_trades(text: str) -> bool:
    """True if `text` asks for events of every trade ("und für alle Gewerke?")."""
    return ALL_TRADES.search(" ".join(words(text))) is not None


def is_question_like(text: str) -> bool:
    """True if `text` asks something: it ends with "?", starts like a question or has a
    clause after a comma or full stop that does."""
    if text.rstrip().endswith("?") or QUESTION_START.match(" ".join(words(text))):
        return True
    return CLAUSE_QUESTION.search(fold(text)) is not None


def corrects(text: str) -> bool:
    """True if `text` corrects what the person just said."""
    return CORRECTION.search(" ".join(words(text))) is not None


def corrected_question(previous: str, text: str) -> str:
    """The last question with the correction `text` applied: "nich verschicken sondern
    empfangen" replaces the word in it; else both together."""
    replaced = REPLACED_WORD.search(text)
    if replaced:
        word, replacement = replaced.groups()
        pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
        if pattern.search(previous):
            return pattern.sub(replacement, previous)
    return with_context(previous, text)
