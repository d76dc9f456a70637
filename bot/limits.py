"""Limits per address and per connection for the widget's WebSocket: sockets per
address and new conversations per address and minute (both configurable: many people
may share one address behind a mobile carrier's NAT; counted across gateway
instances), messages per connection and ten seconds (counted by the connection)."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field

from bot.cluster.slots import LocalSlots, Slots
from bot.cluster.windows import LocalWindows, Windows

MESSAGE_WINDOW_SECONDS = 10.0
MAX_ADDRESSES = 10_000


class SlidingWindow:
    """How many events per key happened within the last `seconds`."""

    def __init__(self, limit: int, seconds: float, max_keys: int = MAX_ADDRESSES) -> None:
        self.limit = limit
        self._seconds = seconds
        self._max_keys = max_keys
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, key: str) -> bool:
        """Count one event for `key` if it is within the limit; False if not."""
        now = time.monotonic()
        events = self._events.pop(key, None) or deque(maxlen=self.limit)
        while events and events[0] <= now - self._seconds:
            events.popleft()
        allowed = len(events) < self.limit
        if allowed:
            events.append(now)
        self._events[key] = events
        while len(self._events) > self._max_keys:
            self._events.popitem(last=False)
        return allowed


@dataclass
class SocketLimits:
    """The gateway's limits for widget sockets: sockets and new conversations per
    address counted across instances (`slots`, `windows`), messages per connection."""

    max_sockets: int
    max_new_conversations_per_minute: int
    max_messages_per_10_seconds: int
    windows: Windows = field(default_factory=LocalWindows)
    slots: Slots = field(default_factory=LocalSlots)

    async def open(self, address: str) -> str | None:
        """Count an opening socket: its slot's token; None (not counted) above the cap."""
        return await self.slots.take(f"sockets:{address}", self.max_sockets)

    async def close(self, address: str, token: str) -> None:
        """Count a closed socket."""
        await self.slots.give_back(f"sockets:{address}", token)

    async def new_conversation(self, address: str) -> bool:
        """Count a new conversation from `address`; False above the limit."""
        return await self.windows.hit(
            f"conversations:{address}", self.max_new_conversations_per_minute, 60.0
        )

    def message_window(self) -> SlidingWindow:
        """The message limit of one connection."""
        return SlidingWindow(self.max_messages_per_10_seconds, MESSAGE_WINDOW_SECONDS, 1)
