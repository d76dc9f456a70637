"""Open sockets per address, counted across instances: a socket holds a slot that
its instance refreshes while it lives; a dead instance's slots expire."""

from __future__ import annotations

import logging
import math
import secrets
import time
from typing import Protocol

import redis.asyncio as redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

PREFIX = "werkbot:slots:"
SLOT_SECONDS = 60.0

_TAKE = """
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[3])))
return 1
"""


class Slots(Protocol):
    """At most `limit` slots per key."""

    async def take(self, key: str, limit: int) -> str | None:
        """A slot's token, or None if all `limit` are taken."""

    async def give_back(self, key: str, token: str) -> None:
        """Free a slot."""

    async def keep(self) -> None:
        """Refresh the slots this instance holds (called periodically)."""


class LocalSlots:
    """Slots of this process."""

    def __init__(self) -> None:
        self._held: dict[str, set[str]] = {}

    async def take(self, key: str, limit: int) -> str | None:
        """A slot's token, or None if all `limit` are taken."""
        held = self._held.setdefault(key, set())
        if len(held) >= limit:
            return None
        token = secrets.token_hex(8)
        held.add(token)
        return token

    async def give_back(self, key: str, token: str) -> None:
        """Free a slot."""
        held = self._held.get(key, set())
        held.discard(token)
        if not held:
            self._held.pop(key, None)

    async def keep(self) -> None:
        """Nothing expires here."""

    def held(self) -> dict[str, set[str]]:
        """The tokens held, per key."""
        return {key: set(tokens) for key, tokens in self._held.items()}


class RedisSlots:
    """Slots as sorted-set members scored by their expiry; taken locally while Redis
    is away (a limit per instance is better than none)."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client
        self._take = client.register_script(_TAKE)
        self._mine = LocalSlots()

    async def take(self, key: str, limit: int) -> str | None:
        """A slot's token, or None if all `limit` are taken."""
        token = await self._mine.take(key, limit)
        if token is None:
            return None
        try:
            taken = await self._take(
                keys=[PREFIX + key], args=[time.time(), limit, SLOT_SECONDS, token]
            )
        except (RedisError, OSError) as error:
            log.warning("slots: Redis unavailable (%s), counting locally", error)
            return token
        if not taken:
            await self._mine.give_back(key, token)
            return None
        return token

    async def give_back(self, key: str, token: str) -> None:
        """Free a slot."""
        await self._mine.give_back(key, token)
        try:
            await self._client.zrem(PREFIX + key, token)
        except (RedisError, OSError) as error:
            log.warning("slots: Redis unavailable (%s); the slot expires", error)

    async def keep(self) -> None:
        """Push the expiry of every slot this instance holds."""
        held = self._mine.held()
        if not held:
            return
        until = time.time() + SLOT_SECONDS
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for key, tokens in held.items():
                    # only slots still there: one given back meanwhile stays free
                    pipe.zadd(PREFIX + key, dict.fromkeys(tokens, until), xx=True)
                    pipe.expire(PREFIX + key, math.ceil(SLOT_SECONDS))
                await pipe.execute()
        except (RedisError, OSError) as error:
            log.warning("slots: refresh failed: %s", error)
