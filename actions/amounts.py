"""Amounts people state about their business ("1,2 mio umsatz", "sind nur 650.000",
"wir sind 25 leute"), for answers that depend on a threshold."""

from __future__ import annotations

import re

from actions.sections import is_core_question
from bot.folding import fold
from bot.kb.guides import AMOUNT_MARK, CoreAnswer, Threshold

# a turnover: a magnitude word, or a plain number of at least this much (no year)
MIN_PLAIN_EUROS = 10_000
SCALES = {"mio": 1_000_000, "million": 1_000_000, "millionen": 1_000_000, "k": 1_000}
SCALES |= {"tsd": 1_000, "tausend": 1_000, "mille": 1_000}
EUROS = re.compile(
    r"(?<![\d.,])(?P<number>\d{1,3}(?:[.\s]\d{3})+|\d+(?:,\d+)?)\s?"
    r"(?P<scale>mio|millionen|million|tsd|tausend|mille|k)?\b"
)
TURNOVER = re.compile(r"\b(umsatz|umsaetze|jahresumsatz|vorjahresumsatz|gesamtumsatz|umsetzen)\b")
# "moment, sind nur 650.000": a short turn that states an amount states the turnover
MAX_SHORT_TURN_WORDS = 8
# a question for what to do or how, not whether: the amount said before is not its subject
ASKS_WHAT = re.compile(r"\W*((und|aber|un) )?(was|wat|wie|welche\w*|wo\w*)\b")
BARE_NUMBER = re.compile(r"(?<![\d.,])(\d{1,4})(?![\d.,])")
FIRST_YEAR, LAST_YEAR = 1990, 2100
WEIGHT = re.compile(
    r"(?<![\d.,])(?P<number>\d+(?:,\d+)?)\s?(?P<unit>gramm|gr|g|kilo|kilogramm|kg)\b"
)
KILOS = {"kilo", "kilogramm", "kg"}
PEOPLE = re.compile(
    r"(?<![\d.,])(?P<number>\d{1,4})\s?(leute|leuten|mitarbeiter|mitarbeitern|mitarbeitende|"
    r"beschaeftigte|beschaeftigten|angestellte|angestellten|personen|mann|koepfe|"
    r"gesellen|kollegen|ma)\b"
)


def grams_in(text: str) -> int | None:
    """The last weight in `text`, in grams ("900 gramm", "1,2 kg")."""
    weights = [
        round(float(m["number"].replace(",", ".")) * (1000 if m["unit"] in KILOS else 1))
        for m in WEIGHT.finditer(fold(text))
    ]
    return weights[-1] if weights else None


def euros_in(text: str) -> int | None:
    """The last turnover-sized amount in `text` (in euros), if any."""
    found = None
    for match in EUROS.finditer(fold(text)):
        number = match["number"].replace(" ", "").replace(".", "")
        value = float(number.replace(",", "."))
        scale = match["scale"]
        if scale:
            found = round(value * SCALES[scale])
        elif "," not in number and value >= MIN_PLAIN_EUROS:
            found = int(value)
    return found


def people_in(text: str) -> int | None:
    """The last head count in `text` ("25 leute"), if any."""
    counts = [int(m["number"]) for m in PEOPLE.finditer(fold(text))]
    return counts[-1] if counts else None


def amount_in(text: str, unit: str, about: str = "") -> int | None:
    """The amount of `unit` ("euro", "personen", "gramm") in `text`; euros only as a turnover:
    with a word for it in `text` or `about` (the conversation), or in a short turn
    ("sind nur 650.000"), not "eine Rechnung über 15.000 Euro an die Stadt"; a bare
    number in a short turn counts people where `about` counted them."""
    short = len(fold(text).split()) <= MAX_SHORT_TURN_WORDS
    if unit == "gramm":
        return grams_in(text)
    if unit != "euro":
        counted = people_in(text)
        if counted is None and short and people_in(about) is not None:
            counted = bare_number(text)  # "und wenn wir auf 22 wachsen?" after "12 Leute"
        return counted
    turnover = TURNOVER.search(fold(f"{about} {text}")) is not None
    return euros_in(text) if turnover or short else None


def restates_amount(core: CoreAnswer | None, text: str) -> bool:
    """True if `text` is a short turn that states the amount `core`'s threshold depends
    on ("letztes jahr warns 1,2 mio" after the answer on sending e-invoices)."""
    if core is None or core.threshold is None:
        return False
    if len(fold(text).split()) > MAX_SHORT_TURN_WORDS:
        return False
    return amount_in(text, core.threshold.unit) is not None


def bare_number(text: str) -> int | None:
    """The one small number in `text` that is no year, if any."""
    numbers = [int(n) for n in BARE_NUMBER.findall(fold(text))]
    numbers = [n for n in numbers if not FIRST_YEAR <= n <= LAST_YEAR]
    return numbers[0] if len(numbers) == 1 else None


def spelt(amount: int, unit: str) -> str:
    """The amount as the answer writes it ("1.200.000 Euro", "25")."""
    grouped = f"{amount:,}".replace(",", ".")
    return {"euro": f"{grouped} Euro", "gramm": f"{grouped} Gramm"}.get(unit, grouped)


def names_limit(text: str, threshold: Threshold | None) -> bool:
    """True if `text` names `threshold`'s limit ("ab 250 Gramm", "20 Personen")."""
    if threshold is None:
        return False
    unit_word = " Personen" if threshold.unit == "personen" else ""
    limits = (threshold.limit, threshold.limit + 1)
    return any(f"{spelt(limit, threshold.unit)}{unit_word}" in text for limit in limits)


def threshold_sentence(core: CoreAnswer, question: str, context: str) -> str | None:
    """The core answer for the amount the person named ("wir machen 1,2 Mio. Umsatz"),
    in `question`, or for a core question in the conversation before it; None if the
    guide's answer has no threshold or no amount was named."""
    threshold = core.threshold
    if threshold is None:
        return None
    amount = amount_in(question, threshold.unit, context)
    if amount is None and is_core_question(question) and not ASKS_WHAT.match(fold(question)):
        # "ab wann muss ich?" after "wir machen 1,2 Mio", not "was muss ich trotzdem tun?"
        amount = amount_in(context, threshold.unit, question)
    if amount is None:
        return None
    sentence = threshold.over if amount > threshold.limit else threshold.up_to
    return sentence.replace(AMOUNT_MARK, spelt(amount, threshold.unit))
