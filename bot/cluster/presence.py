"""Who is connected where: each instance's open chats and online advisors, shared.

An instance publishes each change at once and its whole state every
HEARTBEAT_SECONDS, and keeps that state in Redis with an expiry (a new instance reads
it at start). What an instance stopped reporting for EXPIRE_SECONDS (it died) counts
no more.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

import redis.asyncio as redis
from redis.exceptions import RedisError

from bot.cluster.bus import Bus

log = logging.getLogger(__name__)

TOPIC = "presence"
# the kinds of members: conversations with a chat window open, advisors online
OPEN_CHATS = "people"
ONLINE_ADVISORS = "advisors"
KINDS = (OPEN_CHATS, ONLINE_ADVISORS)
HEARTBEAT_SECONDS = 5.0
EXPIRE_SECONDS = 15.0
KEY_PREFIX = "werkbot:presence:"


class ClusterPresence:
    """The other instances' open conversations and online advisors, as last told."""

    def __init__(
        self,
        bus: Bus,
        client: redis.Redis | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bus = bus
        self._client = client
        self._clock = clock
        self._mine: dict[str, Callable[[], set[str]]] = {}
        self._theirs: dict[str, dict[str, set[str]]] = {}
        self._seen: dict[str, float] = {}
        bus.subscribe(TOPIC, self._received)

    def report(self, kind: str, current: Callable[[], set[str]]) -> None:
        """Where this instance's own members of `kind` are read from."""
        self._mine[kind] = current

    def elsewhere(self, kind: str) -> set[str]:
        """Members of `kind` on other, living instances."""
        now = self._clock()
        members: set[str] = set()
        for instance, seen in list(self._seen.items()):
            if now - seen > EXPIRE_SECONDS:
                self._forget(instance)
            else:
                members |= self._theirs[instance].get(kind, set())
        return members

    async def changed(self, kind: str, member: str, present: bool) -> None:
        """Tell the others that a member of ours came or went."""
        await self._bus.publish(TOPIC, {"kind": kind, "member": member, "present": present})

    async def heartbeat(self) -> None:
        """Publish and store this instance's whole state (with an expiry)."""
        state = {kind: sorted(current()) for kind, current in self._mine.items()}
        await self._bus.publish(TOPIC, {"state": state})
        if self._client is not None:
            try:
                await self._client.set(
                    KEY_PREFIX + self._bus.instance,
                    json.dumps(state),
                    ex=int(EXPIRE_SECONDS),
                )
            except (RedisError, OSError) as error:
                log.warning("presence: storing state failed: %s", error)

    async def load(self) -> None:
        """Read the states the living instances stored (at start)."""
        if self._client is None:
            return
        try:
            async for key in self._client.scan_iter(match=KEY_PREFIX + "*"):
                name = key.decode() if isinstance(key, bytes) else str(key)
                instance = name.removeprefix(KEY_PREFIX)
                stored = await self._client.get(name)
                if instance != self._bus.instance and stored is not None:
                    self._store_state(instance, json.loads(stored))
        except (RedisError, OSError, ValueError) as error:
            log.warning("presence: loading states failed: %s", error)

    async def _received(self, sender: str, event: dict[str, Any]) -> None:
        if isinstance(event.get("state"), dict):
            self._store_state(sender, event["state"])
            return
        kind, member = event.get("kind"), event.get("member")
        if kind not in KINDS or not isinstance(member, str):
            return
        members = self._theirs.setdefault(sender, {}).setdefault(kind, set())
        (members.add if event.get("present") else members.discard)(member)
        self._seen[sender] = self._clock()

    def _store_state(self, instance: str, state: dict[str, Any]) -> None:
        self._theirs[instance] = {
            kind: {str(m) for m in state.get(kind, ())} for kind in KINDS if kind in state
        }
        self._seen[instance] = self._clock()

    def _forget(self, instance: str) -> None:
        self._theirs.pop(instance, None)
        self._seen.pop(instance, None)
