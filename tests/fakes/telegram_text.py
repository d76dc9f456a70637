"""Telegram text rules: UTF-16 length, MarkdownV2 and HTML parsing, inline keyboards."""

from __future__ import annotations

import html
import re
from typing import Any

JSON = dict[str, Any]
_MD_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_HTML_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a"}
    | {"tg-emoji", "code", "pre", "blockquote"}
)
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?>")
_ENTITY_RE = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9A-Fa-f]+);")
_BUTTON = "can't parse inline keyboard button: "


class ApiError(Exception):
    """A Bot API error: HTTP code plus the full description (prefix included)."""

    def __init__(self, description: str, code: int = 400, prefix: str = "Bad Request: ") -> None:
        super().__init__(prefix + description)
        self.code = code


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


def _offset(text: str, index: int) -> int:
    return len(text[:index].encode())


def parse_markdown_v2(text: str) -> str:
    """Return the plain text of a MarkdownV2 message or raise ApiError like Telegram."""
    out: list[str] = []
    stack: list[tuple[str, int]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        top = stack[-1][0] if stack else ""
        if c == "\\":
            if i + 1 >= n:
                raise ApiError(_md_reserved("\\"))
            out.append(text[i + 1])
            i += 2
            continue
        if top in ("`", "```"):
            if text.startswith(top, i):
                stack.pop()
                i += len(top)
            else:
                out.append(c)
                i += 1
            continue
        token = next(
            (t for t in ("```", "`", "__", "_", "||", "*", "~") if text.startswith(t, i)), ""
        )
        if token:
            if top == token:
                stack.pop()
            elif any(t == token for t, _ in stack):
                raise ApiError(_md_unclosed(text, stack[-1][1]))
            else:
                stack.append((token, i))
            i += len(token)
        elif c == "[":
            stack.append(("[", i))
            i += 1
        elif c == "]" and top == "[" and text.startswith("(", i + 1):
            stack.pop()
            j = i + 2
            while j < n and text[j] != ")":
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise ApiError(_md_unclosed(text, i + 1))
            i = j + 1
        elif c == ">" and (i == 0 or text[i - 1] == "\n"):
            i += 1
        elif c in _MD_RESERVED:
            raise ApiError(_md_reserved(c))
        else:
            out.append(c)
            i += 1
    if stack:
        raise ApiError(_md_unclosed(text, stack[-1][1]))
    return "".join(out)


def _md_reserved(char: str) -> str:
    return (
        f"can't parse entities: Character '{char}' is reserved and must be escaped "
        "with the preceding '\\'"
    )


def _md_unclosed(text: str, index: int) -> str:
    offset = _offset(text, index)
    return f"can't parse entities: Can't find end of the entity starting at byte offset {offset}"


def parse_html(text: str) -> str:
    """Return the plain text of an HTML message or raise ApiError like Telegram."""
    out: list[str] = []
    stack: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "<":
            m = _TAG_RE.match(text, i)
            if m is None:
                raise ApiError(
                    f"can't parse entities: Unsupported start tag at byte offset {_offset(text, i)}"
                )
            closing, name = m.group(1) == "/", m.group(2).lower()
            if name not in _HTML_TAGS:
                kind = "end" if closing else "start"
                raise ApiError(
                    f'can\'t parse entities: Unsupported {kind} tag "{name}" '
                    f"at byte offset {_offset(text, i)}"
                )
            if not closing:
                stack.append(name)
            elif not stack or stack[-1] != name:
                expected = f'"</{stack[-1]}>"' if stack else "nothing"
                raise ApiError(
                    f"can't parse entities: Unmatched end tag at byte offset {_offset(text, i)}, "
                    f'expected {expected}, found "</{name}>"'
                )
            else:
                stack.pop()
            i = m.end()
        elif c == "&":
            m = _ENTITY_RE.match(text, i)
            if m is None:
                raise ApiError(
                    "can't parse entities: Character entity expected "
                    f"at byte offset {_offset(text, i)}"
                )
            out.append(html.unescape(m.group()))
            i = m.end()
        else:
            out.append(c)
            i += 1
    if stack:
        raise ApiError(
            f"can't parse entities: Can't find end tag corresponding to start tag {stack[-1]}"
        )
    return "".join(out)


def plain_text(text: str, parse_mode: Any) -> str:
    """The text Telegram would display for `parse_mode`; ApiError if it does not parse."""
    if parse_mode == "MarkdownV2":
        return parse_markdown_v2(text)
    if parse_mode == "HTML":
        return parse_html(text)
    return text


def check_inline_keyboard(markup: Any) -> None:
    """Raise ApiError if an inline keyboard breaks the button rules."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array')
    for button in (b for row in rows for b in row):
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise ApiError(_BUTTON + 'Field "text" must be of type String')
        if not button["text"]:
            raise ApiError(_BUTTON + "Text must be non-empty")
        actions = [k for k in ("callback_data", "url") if k in button]
        if len(actions) != 1:
            raise ApiError(_BUTTON + "Text buttons are unallowed in the inline keyboard")
        if "url" in button:
            if not re.match(r"^(https?|tg)://\S+$", str(button["url"])):
                raise ApiError("BUTTON_URL_INVALID")
        elif not 1 <= len(str(button["callback_data"]).encode()) <= 64:
            raise ApiError("BUTTON_DATA_INVALID")


def flat_buttons(markup: Any) -> list[JSON]:
    """The buttons of an inline keyboard, row by row."""
    if not isinstance(markup, dict):
        return []
    return [b for row in markup.get("inline_keyboard", []) for b in row]
