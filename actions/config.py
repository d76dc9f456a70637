"""The action server's settings, read once: its environment does not change while it
runs, and reading it per answer cost 15 % of the action server's time
(bench/results/profile.md)."""

from __future__ import annotations

import functools

from bot.config import Settings


@functools.cache
def settings() -> Settings:
    """The settings from the environment, read on first use."""
    return Settings.from_env()
