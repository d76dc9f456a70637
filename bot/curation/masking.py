"""Masking what looks like personal data before a question enters the curation queue:
e-mail addresses, IBANs, phone and tax numbers, street addresses and names ("ich bin …",
"mein Name ist …", "Frau …", a greeting's signature)."""

from __future__ import annotations

import re

from bot.folding import fold
from bot.kb.trades import match_trade

EMAIL = "[E-Mail]"
IBAN = "[IBAN]"
PHONE = "[Telefon]"
ADDRESS = "[Adresse]"
NAME = "[Name]"
TAX_NUMBER = "[Steuernummer]"

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IBAN_PATTERN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b", re.I)
# starts with +, 00 or 0 (a German number), digits with blanks, slashes, brackets, dashes
PHONE_PATTERN = re.compile(r"(?<![\w+])\(?(?:\+\d{1,3}|0)[\d /()\-–]{5,22}\d(?!\w)")
PHONE_MIN_DIGITS = 7
TAX_PATTERN = re.compile(r"\b\d{2,3}/\d{3,4}/\d{4,5}\b")
STREET = r"(?i:stra(?:ß|ss)e|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|markt)"
NUMBER = r"\s*\d{1,4}(?:\s?[a-z])?\b"
CITY = r"(?:,?\s+\d{5}(?:\s+[A-ZÄÖÜ][\wäöüß\-]*(?:\s*\([^)]{1,20}\))?)?)?"
ADDRESS_PATTERN = re.compile(
    # "Hauptstraße 12", "Lindenweg 3a" or "Leipziger Straße 12", "Am Markt 3"; and a
    # postcode with the town after it
    rf"\b(?:[A-ZÄÖÜ][a-zäöüß\-]+{STREET}{NUMBER}"
    rf"|(?:[A-ZÄÖÜ][a-zäöüß]+er|Am|An der|Auf dem|Im|In der|Zum|Zur)\s+"
    rf"(?:[A-ZÄÖÜ][a-zäöüß\-]*)?{STREET}{NUMBER}){CITY}"
)
WORD = r"[A-Za-zÄÖÜäöüß][\wäöüß\-]*"
# after these the next words are a name, whatever their case
NAMED = re.compile(
    rf"\b(?P<lead>mein name ist|ich hei(?:ß|ss)e|hier (?:ist|spricht|schreibt)|name:)"
    rf"(?P<names>(?:\s+{WORD}){{1,3}})",
    re.I,
)
GREETING = re.compile(
    r"(?:^|(?<=[.!?,\n]))\s*(?P<lead>(?:(?:viele|liebe|beste|freundliche|herzliche)\s+)?"
    r"gr(?:ü|ue)(?:ß|ss)e|gru(?:ß|ss)|lg|vg|mfg|mit freundlichen gr(?:ü|ue)(?:ß|ss)en)[,!.]?"
    rf"(?P<names>(?:\s+{WORD}){{1,2}})\s*$",
    re.I | re.M,
)
TITLED = re.compile(r"\b(?P<lead>(?:Herrn?|Frau)(?:\s+Dr\.)?)\s+[A-ZÄÖÜ][\wäöüß\-]+")
I_AM = re.compile(rf"\b(?P<lead>ich bin(?:\s+(?:die|der))?)(?P<names>(?:\s+{WORD}){{1,2}})", re.I)

# words that end a name ("mein Name ist Anna und …")
_NOT_NAMES_TEXT = """
und oder aber aus von vom bei mit ich wir bin habe hab hatte haette moechte wollte
will frage fragen der die das den dem ein eine einer einen im in am an auf zu zur
zum fuer ueber also noch schon jetzt hier da so nicht nur auch ja nein bitte danke
inhaber inhaberin firma betrieb frau herr herrn
"""
NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
# what people are ("ich bin Inhaber", "ich bin neu"): not names
_ROLES_TEXT = """
inhaber inhaberin chef chefin meister meisterin azubi lehrling auszubildende
auszubildender gruender gruenderin existenzgruender existenzgruenderin unternehmer
unternehmerin handwerker handwerkerin selbststaendig selbstaendig mitarbeiter
mitarbeiterin kunde kundin mitglied student studentin rentner rentnerin anfaenger
anfaengerin laie neu neuling teil sicher unsicher mir mich gerade dabei nicht kein
keine seit gespannt interessiert verantwortlich zustaendig ehrenamtlich
"""
ROLES = frozenset(_ROLES_TEXT.split())
_ROLE_ENDINGS_TEXT = "meister inhaber gruender nutzer leiter fuehrer kraft"
ROLE_ENDINGS = tuple(
    ending for word in _ROLE_ENDINGS_TEXT.split() for ending in (word, f"{word}in")
)
# common first names, for names typed in lower case ("ich bin anna")
_FIRST_NAMES_TEXT = """
anna andrea angelika anja birgit christina claudia daniela doris eva gabriele heike
julia jana karin katharina kerstin laura lena lisa maria marie martina melanie
monika nicole petra sabine sandra sarah silke simone stefanie susanne tanja ulrike
ute alexander andreas bernd christian daniel dennis dirk florian frank hans jan jens
joerg juergen kai klaus lars lukas marco markus martin matthias michael paul peter
ralf rene robert sebastian stefan sven thomas tim tobias torsten uwe wolfgang
"""
FIRST_NAMES = frozenset(_FIRST_NAMES_TEXT.split())


def _is_name(word: str) -> bool:
    """Whether a word after "ich bin" is a name: a known first name, or a capitalised
    word that is no trade, role or function word ("Bäcker", "Inhaberin", "neu")."""
    folded = fold(word)
    if folded in FIRST_NAMES:
        return True
    if not word[:1].isupper() or folded in ROLES or folded in NOT_NAMES:
        return False
    return not folded.endswith(ROLE_ENDINGS) and match_trade(word) is None


def _mask_words(names: str) -> str:
    """`names` with its leading name words as one "[Name]" (up to a function word)."""
    words = names.split()
    masked = 0
    for word in words:
        if fold(word.strip(".,!?")) in NOT_NAMES:
            break
        masked += 1
    if masked == 0:
        return names
    rest = " ".join(words[masked:])
    return f" {NAME}" + (f" {rest}" if rest else "")


def _named(match: re.Match[str]) -> str:
    return match["lead"] + _mask_words(match["names"])


def _i_am(match: re.Match[str]) -> str:
    words = match["names"].split()
    if not _is_name(words[0]):
        return match.group(0)
    surname = len(words) > 1 and words[1][:1].isupper() and _is_name(words[1])
    rest = "" if surname or len(words) == 1 else f" {words[1]}"
    return f"{match['lead']} {NAME}{rest}"


def _phone(match: re.Match[str]) -> str:
    digits = sum(char.isdigit() for char in match.group(0))
    return PHONE if digits >= PHONE_MIN_DIGITS else match.group(0)


def mask(text: str) -> str:
    """`text` with personal data replaced by "[E-Mail]", "[IBAN]", "[Telefon]",
    "[Adresse]", "[Steuernummer]" and "[Name]"; questions without such data stay as they are."""
    text = EMAIL_PATTERN.sub(EMAIL, text)
    text = IBAN_PATTERN.sub(lambda m: IBAN if any(c.isdigit() for c in m[0][4:]) else m[0], text)
    text = ADDRESS_PATTERN.sub(ADDRESS, text)
    text = TAX_PATTERN.sub(TAX_NUMBER, text)
    text = PHONE_PATTERN.sub(_phone, text)
    text = NAMED.sub(_named, text)
    text = GREETING.sub(lambda m: m.group(0)[: m.start("names") - m.start()] + f" {NAME}", text)
    text = TITLED.sub(lambda m: f"{m['lead']} {NAME}", text)
    return I_AM.sub(_i_am, text)
