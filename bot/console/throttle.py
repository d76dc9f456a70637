"""Throttling of failed advisor logins, per address and per name from that address.

A name is never locked for everyone: failures from one address do not stop the real
advisor from logging in from another. The failures are counted in shared counters
(bot/cluster/windows.py), so every gateway instance sees them.
"""

from __future__ import annotations

from bot.cluster.windows import LocalWindows, Windows

MAX_FAILURES_PER_NAME = 5  # per name from one address
MAX_FAILURES_PER_ADDRESS = 20  # whatever the names
FAILURE_WINDOW_SECONDS = 15 * 60


class LoginThrottle:
    """Counts failed logins within FAILURE_WINDOW_SECONDS."""

    def __init__(self, windows: Windows | None = None) -> None:
        self._windows = windows or LocalWindows()

    @staticmethod
    def _name_key(username: str, address: str) -> str:
        return f"login:{username.strip().lower()}|{address}"

    async def blocked(self, username: str, address: str) -> bool:
        """True after too many recent failures of this name from this address, or of
        this address altogether."""
        name = await self._windows.count(self._name_key(username, address), FAILURE_WINDOW_SECONDS)
        if name >= MAX_FAILURES_PER_NAME:
            return True
        total = await self._windows.count(f"login:{address}", FAILURE_WINDOW_SECONDS)
        return total >= MAX_FAILURES_PER_ADDRESS

    async def failed(self, username: str, address: str) -> None:
        """Count one failed login."""
        await self._windows.add(self._name_key(username, address), FAILURE_WINDOW_SECONDS)
        await self._windows.add(f"login:{address}", FAILURE_WINDOW_SECONDS)

    async def succeeded(self, username: str, address: str) -> None:
        """Forget the failures of this name from this address."""
        await self._windows.forget(self._name_key(username, address))
