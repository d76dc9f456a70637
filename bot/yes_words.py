"""Words that say yes, typed on any channel (the callback form's confirmations and
the action server's reading of a yes to the advisor offer)."""

from __future__ import annotations

YES_WORDS = frozenset(
    [
        "ja",
        "jaa",
        "jo",
        "joa",
        "jep",
        "jup",
        "jupp",
        "japp",
        "jawohl",
        "jawoll",
        "jau",
        "jap",
        "yo",
        "ordnung",
        "ok",
        "okay",
        "oki",
        "passt",
        "stimmt",
        "genau",
        "richtig",
        "korrekt",
        "einverstanden",
        "gern",
        "gerne",
        "klar",
        "sicher",
        "absenden",
        "abschicken",
        "senden",
        "schicken",
        "schick",
        "raus",
        "yes",
        "yep",
        "perfekt",
        "super",
        "prima",
        "bestens",
    ]
)
