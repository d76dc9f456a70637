"""Folding German text for matching: lower case, umlauts and ß written out."""

from __future__ import annotations


def fold(text: str) -> str:
    """Lower case with umlauts and ß written out ("Bäcker" → "baecker")."""
    return text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
