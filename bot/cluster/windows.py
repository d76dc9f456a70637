"""Counters with expiry for rate limits and throttles: in this process, or in Redis
so that every gateway instance counts the same events.

Redis being away must neither crash a request nor switch a limit off: the Redis
counters then fall back to this process's own counters until it is back.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import OrderedDict, deque
from typing import Protocol

import redis.asyncio as redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

MAX_KEYS = 10_000
PREFIX = "werkbot:limit:"
# a socket's slot is kept while its instance lives (refreshed), freed after this
SLOT_SECONDS = 60

# count one event if fewer than the limit happened within the window
_HIT = """
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) * 1000))
return 1
"""


class Windows(Protocol):
    """Events per key within a sliding window of seconds."""

    async def hit(self, key: str, limit: int, seconds: float) -> bool:
        """Count one event if fewer than `limit` happened; False (not counted) if not."""

    async def count(self, key: str, seconds: float) -> int:
        """How many events of `key` happened within `seconds`."""

    async def add(self, key: str, seconds: float) -> None:
        """Count one event, whatever the count."""

    async def forget(self, key: str) -> None:
        """Drop the events of `key`."""


class LocalWindows:
    """The counters of this process; memory bounded (oldest keys forgotten)."""

    def __init__(self, max_keys: int = MAX_KEYS) -> None:
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._max_keys = max_keys

    def _recent(self, key: str, seconds: float) -> deque[float]:
        events = self._events.pop(key, None) or deque()
        horizon = time.monotonic() - seconds
        while events and events[0] <= horizon:
            events.popleft()
        self._events[key] = events  # newest last
        while len(self._events) > self._max_keys:
            self._events.popitem(last=False)
        return events

    async def hit(self, key: str, limit: int, seconds: float) -> bool:
        """Count one event if fewer than `limit` happened; False (not counted) if not."""
        events = self._recent(key, seconds)
        if len(events) >= limit:
            return False
        events.append(time.monotonic())
        return True

    async def count(self, key: str, seconds: float) -> int:
        """How many events of `key` happened within `seconds`."""
        return len(self._recent(key, seconds))

    async def add(self, key: str, seconds: float) -> None:
        """Count one event, whatever the count."""
        self._recent(key, seconds).append(time.monotonic())

    async def forget(self, key: str) -> None:
        """Drop the events of `key`."""
        self._events.pop(key, None)


class RedisWindows:
    """Sorted sets in Redis (one per key, expiring with its window)."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client
        self._hit = client.register_script(_HIT)
        self._fallback = LocalWindows()

    async def hit(self, key: str, limit: int, seconds: float) -> bool:
        """Count one event if fewer than `limit` happened; False (not counted) if not."""
        try:
            done = await self._hit(
                keys=[PREFIX + key], args=[time.time(), seconds, limit, _member()]
            )
            return bool(done)
        except (RedisError, OSError) as error:
            log.warning("limits: Redis unavailable (%s), counting locally", error)
            return await self._fallback.hit(key, limit, seconds)

    async def count(self, key: str, seconds: float) -> int:
        """How many events of `key` happened within `seconds`."""
        try:
            return int(await self._client.zcount(PREFIX + key, time.time() - seconds, "+inf"))
        except (RedisError, OSError) as error:
            log.warning("limits: Redis unavailable (%s), counting locally", error)
            return await self._fallback.count(key, seconds)

    async def add(self, key: str, seconds: float) -> None:
        """Count one event, whatever the count."""
        await self._fallback.add(key, seconds)
        try:
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.zadd(PREFIX + key, {_member(): time.time()})
                pipe.pexpire(PREFIX + key, int(seconds * 1000))
                await pipe.execute()
        except (RedisError, OSError) as error:
            log.warning("limits: Redis unavailable (%s), counted locally", error)

    async def forget(self, key: str) -> None:
        """Drop the events of `key`."""
        await self._fallback.forget(key)
        try:
            await self._client.delete(PREFIX + key)
        except (RedisError, OSError) as error:
            log.warning("limits: Redis unavailable (%s)", error)


def _member() -> str:
    return f"{time.time():.6f}-{secrets.token_hex(4)}"
