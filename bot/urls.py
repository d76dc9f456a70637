"""URL helpers shared by the gateway's pages and the action server's answers."""

from __future__ import annotations

from urllib.parse import urlsplit


def host_of(url: str) -> str:
    """The host of a URL without `www.`, for short source labels."""
    return urlsplit(url).netloc.removeprefix("www.")
