"""Throttling of failed advisor logins, per address and per name from that address.

A name is never locked for everyone: failures from one address do not stop the real
advisor from logging in from another. Memory is bounded: at most MAX_KEYS keys are
remembered, the oldest are forgotten first.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque

MAX_FAILURES_PER_NAME = 5  # per name from one address
MAX_FAILURES_PER_ADDRESS = 20  # whatever the names
FAILURE_WINDOW_SECONDS = 15 * 60
MAX_KEYS = 10_000


class LoginThrottle:
    """Counts failed logins within FAILURE_WINDOW_SECONDS."""

    def __init__(self, max_keys: int = MAX_KEYS) -> None:
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._max_keys = max_keys

    def _recent(self, key: str) -> int:
        failures = self._failures.get(key)
        if failures is None:
            return 0
        while failures and failures[0] < time.monotonic() - FAILURE_WINDOW_SECONDS:
            failures.popleft()
        if not failures:
            del self._failures[key]
        return len(failures)

    def _count(self, key: str) -> None:
        failures = self._failures.pop(key, None) or deque(maxlen=MAX_FAILURES_PER_ADDRESS)
        failures.append(time.monotonic())
        self._failures[key] = failures  # newest last
        while len(self._failures) > self._max_keys:
            self._failures.popitem(last=False)

    @staticmethod
    def _name_key(username: str, address: str) -> str:
        return f"{username.strip().lower()}|{address}"

    def blocked(self, username: str, address: str) -> bool:
        """True after too many recent failures of this name from this address, or of
        this address altogether."""
        return (
            self._recent(self._name_key(username, address)) >= MAX_FAILURES_PER_NAME
            or self._recent(address) >= MAX_FAILURES_PER_ADDRESS
        )

    def failed(self, username: str, address: str) -> None:
        """Count one failed login."""
        self._count(self._name_key(username, address))
        self._count(address)

    def succeeded(self, username: str, address: str) -> None:
        """Forget the failures of this name from this address."""
        self._failures.pop(self._name_key(username, address), None)
