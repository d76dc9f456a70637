"""Clicks per channel: the action server lists the gateway's counted links in a
message (/r/<event>, /praxis/<case>, under its PUBLIC_URL) in `custom.counted`; the
gateway appends the channel it sends the message in (?via=telegram) before storing,
so the dashboard's channel filter applies to clicks and case views too. Nothing
about the person is added."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.impact.params import CHANNELS

if TYPE_CHECKING:
    from bot.db.store import StoredMessage

VIA = "via"
COUNTED = "counted"  # custom key of the counted links, set by the action server
BEFORE = r"(?<![\w./:-])"  # a link starts here, not inside another one
AFTER = r"(?![\w?#/-])"  # and ends here, without a query of its own


def counted_links(text: str, public_url: str) -> list[str]:
    """The gateway's counted links in `text` (not a similar path on another site)."""
    pattern = rf"{BEFORE}{re.escape(public_url.rstrip('/'))}/(?:r|praxis)/[A-Za-z0-9][\w-]*{AFTER}"
    return list(dict.fromkeys(match.group(0) for match in re.finditer(pattern, text)))


def channel_of(via: str | None) -> str:
    """The channel a counted link names; "" if none or an unknown one."""
    return via if via in CHANNELS else ""


def tag(text: str, channel: str, links: list[str]) -> str:
    """`text` with `?via=<channel>` on each of `links` (unchanged for unknown channels)."""
    if channel not in CHANNELS:
        return text
    tagged = f"?{VIA}={channel}"
    for link in links:
        text = re.sub(f"{BEFORE}{re.escape(link)}{AFTER}", lambda m: m.group(0) + tagged, text)
    return text


def tag_message(message: StoredMessage, channel: str) -> StoredMessage:
    """The bot's message with its counted links tagged, in the text and the link list;
    the list of counted links itself is not kept."""
    if not message.custom or COUNTED not in message.custom:
        return message
    custom: dict[str, Any] = dict(message.custom)
    listed = custom.pop(COUNTED)
    links = [link for link in listed if isinstance(link, str)] if isinstance(listed, list) else []
    shown = custom.get("links")
    if isinstance(shown, list):
        custom["links"] = [
            {**item, "url": tag(str(item["url"]), channel, links)}
            if isinstance(item, dict) and "url" in item
            else item
            for item in shown
        ]
    return replace(message, text=tag(message.text, channel, links), custom=custom or None)
