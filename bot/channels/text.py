"""Splitting long texts and shortening titles for messenger limits."""

from __future__ import annotations

import re
from collections.abc import Callable

SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def utf16_length(text: str) -> int:
    """Telegram counts UTF-16 code units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, measure: Callable[[str], int] = len) -> list[str]:
    """`text` in parts of at most `limit`, cut at paragraphs, then sentences, then
    words; only a word longer than the limit is cut inside."""
    text = text.strip()
    if measure(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, limit, measure):
        joined = f"{current}{piece}" if current else piece.lstrip()
        if measure(joined.rstrip()) <= limit:
            current = joined
            continue
        if current.strip():
            parts.append(current.strip())
        current = piece.lstrip()
    if current.strip():
        parts.append(current.strip())
    return parts


def _pieces(text: str, limit: int, measure: Callable[[str], int]) -> list[str]:
    """Paragraphs, broken further into sentences and words where one is too long;
    each piece keeps the whitespace before it."""
    pieces: list[str] = []
    for number, paragraph in enumerate(text.split("\n\n")):
        lead = "\n\n" if number else ""
        if measure(paragraph) <= limit:
            pieces.append(lead + paragraph)
            continue
        for index, sentence in enumerate(SENTENCE_END.split(paragraph)):
            sentence_lead = lead if index == 0 else " "
            if measure(sentence) <= limit:
                pieces.append(sentence_lead + sentence)
                continue
            for position, word in enumerate(sentence.split(" ")):
                word_lead = sentence_lead if position == 0 else " "
                while measure(word) > limit:
                    cut = _fit(word, limit, measure)
                    pieces.append(word_lead + word[:cut])
                    word, word_lead = word[cut:], " "
                pieces.append(word_lead + word)
    return pieces


def _fit(word: str, limit: int, measure: Callable[[str], int]) -> int:
    cut = min(len(word), limit)
    while cut > 1 and measure(word[:cut]) > limit:
        cut -= 1
    return cut


def shorten(title: str, limit: int) -> str:
    """`title` cut at a word boundary to at most `limit` characters, with "…"."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–")
    if len(cut) < limit // 2:  # one long word: cut inside it
        cut = title[: limit - 1]
    return cut + "…"


def short_titles(titles: list[str], limit: int) -> list[str]:
    """Titles shortened to `limit` and made unique with " (2)", " (3)" … (platforms
    reject duplicates), still within the limit."""
    result: list[str] = []
    for title in titles:
        short = shorten(title, limit)
        number = 1
        while short in result:
            number += 1
            suffix = f" ({number})"
            short = shorten(title, limit - len(suffix)) + suffix
        result.append(short)
    return result
