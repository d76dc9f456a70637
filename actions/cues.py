"""What a question asks for, in words that sections use: a deadline, a start date, an
amount, a head count ("bis wann …" → "Frist"), and the facts a section states."""

from __future__ import annotations

import re

from bot.folding import fold

# "bis wann …" asks for a deadline, "wie viel kann man kriegen?" for an amount (folded
# text); a section that states one ("innerhalb eines Monats", "bis zum 31. Juli",
# "1,5 Millionen Euro") fits it better (FACT_BONUS in actions/sections.py)
ASKS_DEADLINE = re.compile(r"\b(bis wann|bis zu welchem|stichtag|deadline|spaetestens)\b")
STATES_DEADLINE = re.compile(
    r"\b(innerhalb (eines|einer|von)|bis (zum|spätestens)|spätestens (am|bis|zum|\d))",
    re.IGNORECASE,
)
ASKS_AMOUNT = re.compile(
    r"\b(wie ?viel (geld |zuschuss |foerderung )?(kann|krieg|bekomm|gibt|gibts|zahl)\w*|"
    r"wie hoch|hoehe|maximal|hoechstens|"
    # "zahlt die BAFA noch wat dazu?", "schießt das Land was zu?"
    r"(zahl|schiess|leg)\w* (\w+ ){0,4}(dazu|drauf)|(zahl|schiess|gib)\w* (\w+ ){0,4}"
    r"(was|wat|etwas) (dazu|zu))\b"
)
STATES_AMOUNT = re.compile(r"\d[\d.,]* (Euro|Millionen|Prozent)|Millionen Euro")
# "ab wieviel Leuten?", "ab welcher Größe?" ask for a head count
ASKS_HEADCOUNT = re.compile(
    r"\b((ab|bis) wie ?viel\w*|wie ?viele|ab \d+|ab welche\w* (groesse|betriebsgroesse))"
    r"( (leut|mitarbeit|beschaeftigt|angestellt|person)\w*)?\b"
)
STATES_HEADCOUNT = re.compile(
    r"\b(ab|unter|mindestens|bis zu|mehr als|weniger als) \d+ (Personen|Beschäftigt|Mitarbeit)",
    re.IGNORECASE,
)
# "ab wann gilt dat?", "seit wann …?" ask for a start date
ASKS_START = re.compile(r"\b(ab wann|seit wann)\b")
STATES_START = re.compile(
    r"\b([Ss]eit|[Aa]b) (dem )?(\d{1,2}\. ([A-ZÄÖÜ]\w+|\d{1,2}\.) ?\d{4}|[A-ZÄÖÜ]\w+ \d{4}|\d{4})"
)
ASKED_FACTS = (
    (ASKS_DEADLINE, STATES_DEADLINE),
    (ASKS_START, STATES_START),
    (ASKS_AMOUNT, STATES_AMOUNT),
    (ASKS_HEADCOUNT, STATES_HEADCOUNT),
)
# what a question asks for, in words a heading or section uses: "bis wann …" asks for a
# deadline, "wie teuer wird's, wenn ich das nicht mache" for the fines (folded text)
SECTION_CUES = (
    (ASKS_DEADLINE, "Frist"),
    (ASKS_AMOUNT, "Euro Höhe"),
    (ASKS_START, "in Kraft"),
    # "wozu dann der Aufwand?" asks why it pays off, "was bringt …?" what it brings
    (re.compile(r"\b(wozu|wofuer|warum (dann|denn|ueberhaupt))\b"), "lohnt Nutzen"),
    (re.compile(r"\b(was bringt|was bringen|bringt (das|dat|des) was)\b"), "bringt Nutzen"),
    (re.compile(r"\b(wie lange? (laeuft|lauft|dauert|geht)|laufzeit)\b"), "Laufzeit Dauer"),
    # "gibt es die BAFA-Förderung noch?" asks until when one can apply
    (
        re.compile(
            r"\bgib(t es|ts) (\S+ ){0,6}(?<!ueberhaupt )noch\b|\bnoch (moeglich|beantragen)"
        ),
        "beantragen Frist",
    ),
    # "wie oft kann ich dat nutzen?" asks for a limit
    (
        re.compile(r"\b(wie oft|wie viele male?|wie ?viele beratung\w*|mehrmals|mehrfach)\b"),
        "höchstens",
    ),
    # "was kann ich stattdessen nehmen?" asks for the alternatives
    (
        re.compile(
            r"\b(stattdessen|statt dessen|alternativ\w*|ersatz|nachfolge\w*|"
            r"ueberhaupt noch|sonst noch)\b"
        ),
        "Alternative nutzen",
    ),
    (
        re.compile(
            r"\b(was droht|strafe\w*|teuer\w* wenn|kostet (es|das|dat|mich) wenn|"
            r"wenn ich (das|dat|des|es) nich)"
        ),
        "Bußgeld droht Verstoß",
    ),
    (re.compile(r"\b(wie teuer|was kostet|kosten|preis\w*)\b"), "Kosten"),
    # "wat muss alles ins Impressum?" asks what belongs there
    (
        re.compile(
            r"\b(was|wat) (muss|muessen|mus) ((alles|denn|da|so|ich|man) )*"
            r"(in|ins|rein\w*|drauf\w*|auf|drin\w*|hinein)\b"
        ),
        "gehört Angaben erfasst Teile",
    ),
    # "ab wieviel Leuten?" asks for a head count
    (
        re.compile(
            r"\b(ab wie ?viel\w*|wie ?viele|ab \d+) (leut|mitarbeit|beschaeftigt|angestellt|person)"
        ),
        "Personen Beschäftigte",
    ),
    (re.compile(r"\bwo (lager|bewahr|heb|speicher)\w*"), "Ort aufbewahren"),
    # "wat muss so ne Software alles können?" asks what it does ("können" is a stop word)
    (
        re.compile(
            r"\b(alles (koennen|kann|machen)|(was|wat) kann (die|der|das|dat|so)|"
            r"koennen (muss|soll)|(was|wat) (\w+ ){0,4}(kann|koennen) (\w+ ){0,3}alles)"
        ),
        "Aufgaben übernimmt",
    ),
    # "welche Software is gut?" asks how to choose one
    (
        re.compile(
            r"\b(welche\w* \S+ (ist|is|sind) (gut|gute|am besten)|empfiehlst|empfehl\w*|"
            # "wir suchen ne neue Werkstattsoftware"
            r"(such|aussuch|auswaehl)\w* (\w+ ){0,2}neue\w*)\b"
        ),
        "Auswahl achte",
    ),
    # "darf ich Fotos von Kunden posten?" asks what the law allows
    (
        re.compile(r"\b(darf ich|duerfen wir|darf man|(ist|is) (das|dat|des) erlaubt)\b"),
        "rechtlich",
    ),
    # "und so kleine Rechnungen unter 200 Euro?" asks for small-amount invoices
    (
        re.compile(r"\bklein\w* (rechnung|betr)\w*|\brechnung\w* (unter|bis) \d+"),
        "Kleinbetragsrechnung Ausnahmen",
    ),
    (re.compile(r"\b(zettel|papier|handschriftlich|von hand)\b"), "Papier"),
    # "reicht da ne Excel-Tabelle?" asks whether a means will do: the section on the form
    (
        re.compile(r"\b(reicht|reichen|genuegt|genuegen) (\w+ ){0,2}(ne|n|ein|eine|einer|so)\b"),
        "Form frei möglich",
    ),
)


def facts_asked(folded: str) -> list[re.Pattern[str]]:
    """The patterns of the facts a folded question asks for (a date, a deadline, an
    amount, a headcount)."""
    return [found for asks, found in ASKED_FACTS if asks.search(folded)]


# "lager ich" / "lagern wir" is the verb to store (replaced: it is no "Lager")
STORE_VERB = re.compile(r"\b[Ll]ager(n|e|t)?(?= (ich|wir|man)\b)")


def with_cues(text: str) -> str:
    """`text` with the words of what it asks for ("bis wann" → "Frist"); "lager ich"
    is the verb, not the store room ("und wo lager ich die am besten?" after backups)."""
    text = STORE_VERB.sub("aufbewahren", text)
    folded = fold(text)
    return " ".join([text, *(words for cue, words in SECTION_CUES if cue.search(folded))])
