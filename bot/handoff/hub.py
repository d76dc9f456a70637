"""Live delivery inside the gateway: people's chat sockets and advisors' consoles.

Everything delivered here is already stored; a socket that is gone simply misses the
push and gets the message from the database when it reconnects.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import WSCloseCode, web

from bot.db.store import StoredMessage

log = logging.getLogger(__name__)

# a chat socket closed with this code belongs to an erased conversation: the widget
# forgets its id
ERASED_CLOSE_CODE = 4001
ERASED_BY_ADVISOR = (
    "Dieses Gespräch wurde von der Beratung gelöscht. Wenn Sie wieder schreiben, beginnt "
    "ein neues Gespräch."
)

# (advisor id, socket) → the frame each console gets; built per advisor (routing)
SnapshotBuilder = Callable[[int], Awaitable[dict[str, Any]]]


async def _send(ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
    if ws.closed:
        return
    try:
        await ws.send_json(frame)
    except (ConnectionError, RuntimeError) as error:
        log.info("push failed: %s", error)


class PersonHub:
    """Open chat sockets per conversation (the web channel)."""

    def __init__(self) -> None:
        self._sockets: dict[str, set[web.WebSocketResponse]] = defaultdict(set)
        # called with the conversation id after each delivery: messenger conversations'
        # messages wait in the outbox, which these wake
        self.on_deliver: list[Callable[[str], None]] = []
        # called with (conversation id, whether a chat window is open) when the first
        # socket of a conversation opens or its last one closes
        self.on_presence: list[Callable[[str, bool], Awaitable[None]]] = []
        # called with the conversation id when the person is typing (throttled by the widget)
        self.on_typing: list[Callable[[str], Awaitable[None]]] = []

    async def attach(self, conversation_id: str, ws: web.WebSocketResponse) -> None:
        """Register a socket of a conversation."""
        first = not self._sockets.get(conversation_id)
        self._sockets[conversation_id].add(ws)
        if first:
            await self._presence(conversation_id, True)

    async def detach(self, conversation_id: str, ws: web.WebSocketResponse) -> None:
        """Forget a closed socket."""
        sockets = self._sockets.get(conversation_id)
        if sockets is None or ws not in sockets:
            return
        sockets.discard(ws)
        if not sockets:
            del self._sockets[conversation_id]
            await self._presence(conversation_id, False)

    async def _presence(self, conversation_id: str, open_: bool) -> None:
        for listener in self.on_presence:
            await listener(conversation_id, open_)

    async def person_typing(self, conversation_id: str) -> None:
        """The person types in the widget: tell whoever listens (the consoles)."""
        for listener in self.on_typing:
            await listener(conversation_id)

    async def advisor_typing(self, conversation_id: str, advisor: str) -> None:
        """An advisor types a reply: show it in the person's open chat windows."""
        for ws in list(self._sockets.get(conversation_id, ())):
            await _send(ws, {"type": "typing", "sender": "advisor", "name": advisor})

    async def push(self, conversation_id: str, frame: dict[str, Any], skip: object = None) -> None:
        """Send a frame to every open socket of the conversation but `skip`."""
        for ws in list(self._sockets.get(conversation_id, ())):
            if ws is not skip:
                await _send(ws, frame)

    def connected(self) -> set[str]:
        """The conversations someone has open right now."""
        return set(self._sockets)

    async def deliver(self, conversation_id: str, messages: list[StoredMessage]) -> bool:
        """Push stored messages to every open socket of the conversation; whether one
        was open."""
        for listener in self.on_deliver:
            listener(conversation_id)
        sockets = [ws for ws in self._sockets.get(conversation_id, ()) if not ws.closed]
        for ws in sockets:
            for message in messages:
                await _send(ws, {"type": "message", "message": message.to_json()})
        return bool(sockets)

    async def close(self, conversation_id: str, code: int, message: bytes) -> None:
        """Close every open socket of the conversation."""
        for ws in list(self._sockets.get(conversation_id, ())):
            await ws.close(code=code, message=message)

    async def erased(self, conversation_id: str) -> None:
        """Tell the open sockets of a conversation erased from the console, and close
        them (the widget then forgets the conversation)."""
        notice = StoredMessage("system", ERASED_BY_ADVISOR, custom={"erased": True})
        for ws in list(self._sockets.get(conversation_id, ())):
            await _send(ws, {"type": "message", "message": notice.to_json()})
            await ws.close(code=ERASED_CLOSE_CODE, message=b"erased")


class ConsoleHub:
    """Open advisor consoles; whoever has one open counts as online."""

    def __init__(self) -> None:
        # each console socket: its advisor and the login session it was opened with
        self._consoles: dict[web.WebSocketResponse, tuple[int, str]] = {}
        self._snapshot: SnapshotBuilder | None = None

    def use_snapshots(self, builder: SnapshotBuilder) -> None:
        """Set how the queue frame for one advisor is built."""
        self._snapshot = builder

    def attach(self, advisor_id: int, ws: web.WebSocketResponse, token: str = "") -> None:
        """Register an advisor's console socket, opened with the session `token`."""
        self._consoles[ws] = (advisor_id, token)

    def detach(self, ws: web.WebSocketResponse) -> None:
        """Forget a closed console socket."""
        self._consoles.pop(ws, None)

    async def end_session(self, token: str) -> None:
        """Close the console sockets of a session that ended (logout)."""
        ended = [ws for ws, (_, opened_with) in self._consoles.items() if opened_with == token]
        for ws in ended:
            self.detach(ws)
            await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"session ended")

    async def drop_invalid(self, is_valid: Callable[[str], Awaitable[bool]]) -> None:
        """Close the consoles whose session expired or whose advisor was deactivated;
        they no longer count as online."""
        for token in {opened_with for _, opened_with in self._consoles.values()}:
            if not await is_valid(token):
                await self.end_session(token)

    def online(self) -> set[int]:
        """Ids of the advisors with a console open."""
        return {advisor for ws, (advisor, _) in self._consoles.items() if not ws.closed}

    async def send_queue(self, ws: web.WebSocketResponse, advisor_id: int) -> None:
        """Send one console its current queue."""
        if self._snapshot is not None:
            await _send(ws, await self._snapshot(advisor_id))

    async def broadcast_queue(self) -> None:
        """Send every console its current queue."""
        consoles = [(ws, advisor) for ws, (advisor, _) in self._consoles.items()]
        await asyncio.gather(*(self.send_queue(ws, advisor) for ws, advisor in consoles))

    async def send_to(self, advisor_ids: set[int], frame: dict[str, Any]) -> None:
        """Send `frame` to every console of these advisors."""
        chosen = [ws for ws, (advisor, _) in list(self._consoles.items()) if advisor in advisor_ids]
        await asyncio.gather(*(_send(ws, frame) for ws in chosen))

    async def broadcast(self, frame: dict[str, Any]) -> None:
        """Send the same frame to every console."""
        await asyncio.gather(*(_send(ws, frame) for ws in list(self._consoles)))
