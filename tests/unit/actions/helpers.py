"""Trackers and domains for action tests."""

from __future__ import annotations

from typing import Any

from rasa_sdk.interfaces import Tracker
from rasa_sdk.types import DomainDict

EMPTY_DOMAIN: DomainDict = {
    "actions": [],
    "entities": [],
    "forms": {},
    "intents": [],
    "responses": {},
    "slots": {},
}


def tracker(
    text: str,
    intent: str = "ask_digitalisation",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    confidence: float = 0.9,
) -> Tracker:
    """A tracker whose latest message is `text`, taken for `intent` with `confidence`."""
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
    }
    return Tracker(
        "test",
        slots or {},
        message,
        events or [{"event": "user", "text": text}],
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )
