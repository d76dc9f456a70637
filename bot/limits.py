"""Limits per address and per connection for the widget's WebSocket: sockets per
address and new conversations per address and minute (both configurable: many people
may share one address behind a mobile carrier's NAT), messages per connection and ten
seconds. Memory is bounded (the oldest addresses are forgotten)."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from dataclasses import dataclass

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
    """The gateway's limits for widget sockets, shared by all connections."""

    max_sockets: int
    max_new_conversations_per_minute: int
    max_messages_per_10_seconds: int

    def __post_init__(self) -> None:
        self._open: dict[str, int] = {}
        self.new_conversations = SlidingWindow(self.max_new_conversations_per_minute, 60.0)

    def open(self, address: str) -> bool:
        """Count an opening socket; False (and not counted) above the cap."""
        if self._open.get(address, 0) >= self.max_sockets:
            return False
        self._open[address] = self._open.get(address, 0) + 1
        return True

    def close(self, address: str) -> None:
        """Count a closed socket."""
        left = self._open.get(address, 0) - 1
        if left > 0:
            self._open[address] = left
        else:
            self._open.pop(address, None)

    def message_window(self) -> SlidingWindow:
        """The message limit of one connection."""
        return SlidingWindow(self.max_messages_per_10_seconds, MESSAGE_WINDOW_SECONDS, 1)
