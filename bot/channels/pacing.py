"""Rate limits of the outbox: a per-channel token bucket and a minimum spacing
between two messages to the same person."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class Pacer:
    """Waits so that sends stay under `rate` per second overall and `spacing` seconds
    apart per conversation (one process sends; several would need the database)."""

    def __init__(
        self, rate: float, spacing: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._rate = rate
        self._spacing = spacing
        self._clock = clock
        self._tokens = rate
        self._filled_at = clock()
        self._last: dict[str, float] = {}
        self._lock = asyncio.Lock()

    async def wait(self, conversation_id: str) -> None:
        """Return when a message to `conversation_id` may go out."""
        last = self._last.get(conversation_id)
        if last is not None:
            gap = self._spacing - (self._clock() - last)
            if gap > 0:
                await asyncio.sleep(gap)
        async with self._lock:
            while True:
                now = self._clock()
                self._tokens = min(self._rate, self._tokens + (now - self._filled_at) * self._rate)
                self._filled_at = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    break
                await asyncio.sleep((1 - self._tokens) / self._rate)
        self._last[conversation_id] = self._clock()
        if len(self._last) > 10_000:  # forget people who were sent to long ago
            horizon = self._clock() - 60
            self._last = {k: v for k, v in self._last.items() if v > horizon}
