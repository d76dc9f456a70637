"""Per-conversation locks: a person's messages are handled one after the other, also
when two of them (two tabs, a messenger's retry) reach different instances."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator

import redis.asyncio as redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError

log = logging.getLogger(__name__)

PREFIX = "werkbot:lock:conversation:"
# a lock whose holder died is free after this; a living holder renews it every
# third of it, however long its turn takes
LEASE_SECONDS = 8.0
WAIT_SECONDS = 30.0


async def _renew(lock: Lock) -> None:
    """Keep `lock`'s lease while its holder lives (every third of the lease)."""
    while True:
        await asyncio.sleep(LEASE_SECONDS / 3)
        try:
            await lock.reacquire()
        except (LockError, RedisError, OSError) as error:
            log.warning("lock: renewing failed: %s", error)
            return


class ConversationLocks:
    """An asyncio lock per conversation, and with Redis a lock across instances too."""

    def __init__(self, client: redis.Redis | None = None) -> None:
        self._client = client
        self._local: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def _lock(self, conversation_id: str) -> asyncio.Lock:
        return self._local.get(conversation_id) or self._local.setdefault(
            conversation_id, asyncio.Lock()
        )

    @contextlib.asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        """Hold the conversation's lock for the block."""
        async with self._lock(conversation_id):
            if self._client is None:
                yield
                return
            shared = self._client.lock(
                PREFIX + conversation_id,
                timeout=LEASE_SECONDS,
                blocking_timeout=WAIT_SECONDS,
            )
            acquired = False
            try:
                acquired = bool(await shared.acquire())
            except (RedisError, OSError) as error:
                # ordering within this instance still holds; the message is not lost
                log.warning("lock: Redis unavailable (%s), local lock only", error)
            if not acquired:
                log.warning("lock: %s not acquired across instances", conversation_id)
            renewing = asyncio.create_task(_renew(shared)) if acquired else None
            try:
                yield
            finally:
                if renewing is not None:
                    renewing.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await renewing
                if acquired:
                    with contextlib.suppress(LockError, RedisError, OSError):
                        await shared.release()
