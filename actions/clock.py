"""The action server's clock: now in Berlin, or WERKBOT_NOW for demos and tests."""

from __future__ import annotations

import os
from datetime import datetime

from bot.events.timeexpr import BERLIN


def current_time() -> datetime:
    """Now in Berlin, or the fixed time of WERKBOT_NOW (ISO 8601)."""
    fixed = os.environ.get("WERKBOT_NOW")
    return datetime.fromisoformat(fixed).astimezone(BERLIN) if fixed else datetime.now(BERLIN)
