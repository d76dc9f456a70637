"""Checks of what people type into the callback form."""

from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[a-zA-Z]{2,}$")
PHONE_CHARS = re.compile(r"^\+?[\d\s/()\-.]+$")
# a German number has at least seven digits with its area code ("0340 12" is cut off)
MIN_PHONE_DIGITS = 7
MAX_PHONE_DIGITS = 15
# an address or number inside a sentence ("sorry, p.lehmann@web.de", "Tel. is 0345 12345")
EMAIL_IN_TEXT = re.compile(r"[^@\s,;:<>()\[\]]{1,64}@[^@\s,;:<>()\[\]]+\.[a-zA-Z]{2,}\b")
PHONE_IN_TEXT = re.compile(r"(?<![\w+])(?:\+|\(?0)[\d\s/()\-.]{4,}\d")


# an address written to dodge spam filters ("heike.brandt(at)t-online", "p [at] web.de")
SPELT_AT = re.compile(r"\S\s*[(\[{]\s*at\s*[)\]}]\s*\S|\S\s+at\s+\S+\.[a-z]{2,}\b", re.I)


# "ich bin der …", "mein Name ist …", "hier ist …", "Name: …" before a typed name
NAME_OPENING = re.compile(
    r"^(hallo|hi|moin|servus|tach|ja|also|ok|okay)?\W*"
    r"(ich bin( hier)?|ich hei(ß|ss)e|mein name (ist|lautet)|mein name|hier (ist|spricht)|"
    r"am apparat( ist)?|name|ich|bin)\b\W*((der|die) )?",
    re.IGNORECASE,
)

# "Dr. Hans-Peter von der Heide"; more is a sentence
MAX_NAME_WORDS = 6
NAME_CLOSING = re.compile(r"\W+(hier|am apparat)$", re.IGNORECASE)


@dataclass(frozen=True)
class Contact:
    """A validated phone number or e-mail address."""

    kind: str  # "phone" or "email"
    value: str


def parse_contact(text: str) -> Contact | None:
    """A phone number (German or international) or an e-mail address, else None."""
    clean = text.strip().removeprefix("Tel.").removeprefix("Tel:").strip()
    if EMAIL.match(clean) and ".." not in clean:
        return Contact("email", clean.lower())
    if PHONE_CHARS.match(clean):
        digits = re.sub(r"\D", "", clean)
        if MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS and (
            clean.startswith(("0", "+")) or clean.startswith("(0")
        ):
            return Contact("phone", re.sub(r"\s+", " ", clean))
    return None


def looks_like_email(text: str) -> bool:
    """True if `text` is meant as an e-mail address, valid or not ("name@web",
    "heike.brandt(at)t-online")."""
    return "@" in text or SPELT_AT.search(text) is not None


def find_contact(text: str) -> Contact | None:
    """The phone number or e-mail address in `text`, alone or inside a sentence."""
    if contact := parse_contact(text):
        return contact
    found = [m.group().strip(".") for m in EMAIL_IN_TEXT.finditer(text)]
    found += [m.group() for m in PHONE_IN_TEXT.finditer(text)]
    contacts = {c for c in map(parse_contact, found) if c is not None}
    return contacts.pop() if len(contacts) == 1 else None


def parse_name(text: str) -> str | None:
    """A person's name: 2 to 100 characters with at least two letters, no digits;
    without the words before it ("ich bin der Klaus Meier" → "Klaus Meier")."""
    clean = NAME_OPENING.sub("", " ".join(text.split()))
    clean = NAME_CLOSING.sub("", clean).strip(" .,!")
    letters = sum(c.isalpha() for c in clean)
    if len(clean.split()) > MAX_NAME_WORDS:
        return None  # a sentence ("ich brauch hilfe bei der e-rechnung für …")
    if 2 <= len(clean) <= 100 and letters >= 2 and not any(c.isdigit() for c in clean):
        return clean
    return None


def parse_free_text(text: str, max_chars: int) -> str | None:
    """Free text of 2 to `max_chars` characters containing at least one letter or digit."""
    clean = " ".join(text.split())
    if 2 <= len(clean) <= max_chars and any(c.isalnum() for c in clean):
        return clean
    return None
