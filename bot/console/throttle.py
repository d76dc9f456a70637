"""Throttling of failed advisor logins."""

from __future__ import annotations

import time
from collections import defaultdict, deque

MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60


class LoginThrottle:
    """At most MAX_FAILURES failed logins per user name within the window."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, username: str) -> deque[float]:
        failures = self._failures[username.strip().lower()]
        while failures and failures[0] < time.monotonic() - FAILURE_WINDOW_SECONDS:
            failures.popleft()
        return failures

    def blocked(self, username: str) -> bool:
        """True after too many recent failures."""
        return len(self._recent(username)) >= MAX_FAILURES

    def failed(self, username: str) -> None:
        """Count one failed login."""
        self._recent(username).append(time.monotonic())

    def succeeded(self, username: str) -> None:
        """Forget the failures of a user name."""
        self._failures.pop(username.strip().lower(), None)
