"""The clock of the action server and the gateway: now in Berlin, or WERKBOT_NOW for
demos and tests (what is valid in the knowledge base and which events are upcoming)."""

from __future__ import annotations

import os
from datetime import date, datetime

from bot.events.timeexpr import BERLIN


def current_time() -> datetime:
    """Now in Berlin, or the fixed time of WERKBOT_NOW (ISO 8601)."""
    fixed = os.environ.get("WERKBOT_NOW")
    return datetime.fromisoformat(fixed).astimezone(BERLIN) if fixed else datetime.now(BERLIN)


def today() -> date:
    """Today's date in Berlin (or WERKBOT_NOW's)."""
    return current_time().date()
