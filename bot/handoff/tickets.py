"""Ticket numbers people can quote on the phone: "HK-" and six unambiguous characters."""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_ticket() -> str:
    """A random ticket number such as "HK-7Q4M2X"."""
    return "HK-" + "".join(secrets.choice(ALPHABET) for _ in range(6))


def normalise_ticket(text: str) -> str:
    """What someone typed as a ticket number, in canonical form ("hk 7q4m2x" → "HK-7Q4M2X")."""
    core = "".join(c for c in text.upper() if c.isalnum())
    return "HK-" + core.removeprefix("HK")
