"""Live delivery: people's chat sockets and advisors' consoles.

Everything delivered here is already stored; a socket that is gone simply misses the
push and gets the message from the database when it reconnects. Each hub delivers to
the sockets of this instance and publishes the same on the bus, so the other
gateway instances deliver to theirs (bot/cluster/).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import WSCloseCode, web

from bot.cluster.bus import Bus, LocalBus
from bot.cluster.presence import ONLINE_ADVISORS, OPEN_CHATS, ClusterPresence
from bot.db.store import StoredMessage

log = logging.getLogger(__name__)

# a chat socket closed with this code belongs to an erased conversation: the widget
# forgets its id
ERASED_CLOSE_CODE = 4001
ERASED_BY_ADVISOR = (
    "Dieses Gespräch wurde von der Beratung gelöscht. Wenn Sie wieder schreiben, beginnt "
    "ein neues Gespräch."
)

# sockets closed after the bus lost events: the browser reconnects and reloads
RESYNC_CLOSE_CODE = WSCloseCode.SERVICE_RESTART
PEOPLE_TOPIC = "people"
CONSOLES_TOPIC = "consoles"

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

    def __init__(self, bus: Bus | None = None, presence: ClusterPresence | None = None) -> None:
        self._bus = bus or LocalBus()
        self._presence = presence
        self._sockets: dict[str, set[web.WebSocketResponse]] = defaultdict(set)
        # called with the conversation id after each delivery: messenger conversations'
        # messages wait in the outbox, which these wake
        self.on_deliver: list[Callable[[str], None]] = []
        # called with (conversation id, whether a chat window is open) when the first
        # socket of a conversation opens or its last one closes
        self.on_presence: list[Callable[[str, bool], Awaitable[None]]] = []
        # called with the conversation id when the person is typing (throttled by the widget)
        self.on_typing: list[Callable[[str], Awaitable[None]]] = []
        self._bus.subscribe(PEOPLE_TOPIC, self._from_elsewhere)
        if presence is not None:
            presence.report(OPEN_CHATS, lambda: set(self._sockets))

    async def _from_elsewhere(self, _sender: str, event: dict[str, Any]) -> None:
        """What another instance delivered: the same to this instance's sockets."""
        conversation_id, op = str(event.get("conversation_id")), event.get("op")
        if op == "push" and isinstance(event.get("frames"), list):
            for frame in event["frames"]:
                await self._push_here(conversation_id, frame)
        elif op == "close":
            await self._close_here(conversation_id, int(event["code"]), str(event["reason"]))
        elif op == "erased":
            await self._erased_here(conversation_id)

    async def _tell_others(self, conversation_id: str, op: str, **details: Any) -> None:
        event = {"op": op, "conversation_id": conversation_id, **details}
        await self._bus.publish(PEOPLE_TOPIC, event)

    def _open_elsewhere(self, conversation_id: str) -> bool:
        return self._presence is not None and conversation_id in self._presence.elsewhere(
            OPEN_CHATS
        )

    async def attach(self, conversation_id: str, ws: web.WebSocketResponse) -> None:
        """Register a socket of a conversation."""
        first = not self._sockets.get(conversation_id)
        self._sockets[conversation_id].add(ws)
        if first:
            await self._changed(conversation_id, True)

    async def detach(self, conversation_id: str, ws: web.WebSocketResponse) -> None:
        """Forget a closed socket."""
        sockets = self._sockets.get(conversation_id)
        if sockets is None or ws not in sockets:
            return
        sockets.discard(ws)
        if not sockets:
            del self._sockets[conversation_id]
            await self._changed(conversation_id, False)

    async def _changed(self, conversation_id: str, open_: bool) -> None:
        """The first window of a conversation opened here or its last one closed."""
        if self._presence is not None:
            await self._presence.changed(OPEN_CHATS, conversation_id, open_)
        if self._open_elsewhere(conversation_id):
            return  # open in another instance all along: nothing changed for advisors
        for listener in self.on_presence:
            await listener(conversation_id, open_)

    async def person_typing(self, conversation_id: str) -> None:
        """The person types in the widget: tell whoever listens (the consoles)."""
        for listener in self.on_typing:
            await listener(conversation_id)

    async def advisor_typing(self, conversation_id: str, advisor: str) -> None:
        """An advisor types a reply: show it in the person's open chat windows."""
        await self.push(conversation_id, {"type": "typing", "sender": "advisor", "name": advisor})

    async def push(self, conversation_id: str, frame: dict[str, Any], skip: object = None) -> None:
        """Send a frame to every open socket of the conversation but `skip`."""
        await self._push_here(conversation_id, frame, skip)
        await self._tell_others(conversation_id, "push", frames=[frame])

    async def _push_here(
        self, conversation_id: str, frame: dict[str, Any], skip: object = None
    ) -> None:
        for ws in list(self._sockets.get(conversation_id, ())):
            if ws is not skip:
                await _send(ws, frame)

    def connected(self) -> set[str]:
        """The conversations someone has open right now (on any instance)."""
        mine = set(self._sockets)
        if self._presence is None:
            return mine
        return mine | self._presence.elsewhere(OPEN_CHATS)

    async def deliver(self, conversation_id: str, messages: list[StoredMessage]) -> bool:
        """Push stored messages to every open socket of the conversation; whether one
        was open (on any instance)."""
        for listener in self.on_deliver:
            listener(conversation_id)
        frames = [{"type": "message", "message": message.to_json()} for message in messages]
        for frame in frames:
            await self._push_here(conversation_id, frame)
        await self._tell_others(conversation_id, "push", frames=frames)
        return conversation_id in self.connected()

    async def close(self, conversation_id: str, code: int, message: bytes) -> None:
        """Close every open socket of the conversation."""
        reason = message.decode(errors="replace")
        await self._close_here(conversation_id, code, reason)
        await self._tell_others(conversation_id, "close", code=code, reason=reason)

    async def _close_here(self, conversation_id: str, code: int, reason: str) -> None:
        for ws in list(self._sockets.get(conversation_id, ())):
            await ws.close(code=code, message=reason.encode())

    async def erased(self, conversation_id: str) -> None:
        """Tell the open sockets of a conversation erased from the console, and close
        them (the widget then forgets the conversation)."""
        await self._erased_here(conversation_id)
        await self._tell_others(conversation_id, "erased")

    async def _erased_here(self, conversation_id: str) -> None:
        notice = StoredMessage("system", ERASED_BY_ADVISOR, custom={"erased": True})
        for ws in list(self._sockets.get(conversation_id, ())):
            await _send(ws, {"type": "message", "message": notice.to_json()})
            await ws.close(code=ERASED_CLOSE_CODE, message=b"erased")

    async def resync(self) -> None:
        """Close every socket of this instance (the bus may have lost pushes): each
        widget reconnects and loads what it missed."""
        for sockets in list(self._sockets.values()):
            for ws in list(sockets):
                await ws.close(code=RESYNC_CLOSE_CODE, message=b"reconnect")


class ConsoleHub:
    """Open advisor consoles; whoever has one open (on any instance) counts as online."""

    def __init__(self, bus: Bus | None = None, presence: ClusterPresence | None = None) -> None:
        self._bus = bus or LocalBus()
        self._presence = presence
        # each console socket: its advisor and the login session it was opened with
        self._consoles: dict[web.WebSocketResponse, tuple[int, str]] = {}
        self._snapshot: SnapshotBuilder | None = None
        self._bus.subscribe(CONSOLES_TOPIC, self._from_elsewhere)
        if presence is not None:
            presence.report(ONLINE_ADVISORS, lambda: {str(a) for a in self._online_here()})

    async def _from_elsewhere(self, _sender: str, event: dict[str, Any]) -> None:
        """What another instance sent its consoles: the same to this instance's."""
        op = event.get("op")
        if op == "send_to" and isinstance(event.get("advisors"), list):
            await self._send_here({int(a) for a in event["advisors"]}, event["frame"])
        elif op == "broadcast":
            await self._send_here(None, event["frame"])
        elif op == "queue":
            await self.queue_here()
        elif op == "end_session":
            await self._end_here(str(event["token"]))

    def use_snapshots(self, builder: SnapshotBuilder) -> None:
        """Set how the queue frame for one advisor is built."""
        self._snapshot = builder

    async def attach(self, advisor_id: int, ws: web.WebSocketResponse, token: str = "") -> None:
        """Register an advisor's console socket, opened with the session `token`."""
        first = advisor_id not in self._online_here()
        self._consoles[ws] = (advisor_id, token)
        if first and self._presence is not None:
            await self._presence.changed(ONLINE_ADVISORS, str(advisor_id), True)

    async def detach(self, ws: web.WebSocketResponse) -> None:
        """Forget a closed console socket."""
        entry = self._consoles.pop(ws, None)
        if entry is None or self._presence is None or entry[0] in self._online_here():
            return
        await self._presence.changed(ONLINE_ADVISORS, str(entry[0]), False)

    async def end_session(self, token: str) -> None:
        """Close the console sockets of a session that ended (logout), everywhere."""
        await self._end_here(token)
        await self._bus.publish(CONSOLES_TOPIC, {"op": "end_session", "token": token})

    async def _end_here(self, token: str) -> None:
        ended = [ws for ws, (_, opened_with) in self._consoles.items() if opened_with == token]
        for ws in ended:
            await self.detach(ws)
            await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"session ended")

    async def drop_invalid(self, is_valid: Callable[[str], Awaitable[bool]]) -> None:
        """Close this instance's consoles whose session expired or whose advisor was
        deactivated; they no longer count as online."""
        for token in {opened_with for _, opened_with in self._consoles.values()}:
            if not await is_valid(token):
                await self._end_here(token)

    def _online_here(self) -> set[int]:
        return {advisor for ws, (advisor, _) in self._consoles.items() if not ws.closed}

    def online(self) -> set[int]:
        """Ids of the advisors with a console open (on any instance)."""
        online = self._online_here()
        if self._presence is not None:
            online |= {int(a) for a in self._presence.elsewhere(ONLINE_ADVISORS)}
        return online

    async def send_queue(self, ws: web.WebSocketResponse, advisor_id: int) -> None:
        """Send one console its current queue."""
        if self._snapshot is not None:
            await _send(ws, await self._snapshot(advisor_id))

    async def broadcast_queue(self) -> None:
        """Send every console its current queue."""
        await self.queue_here()
        await self._bus.publish(CONSOLES_TOPIC, {"op": "queue"})

    async def queue_here(self) -> None:
        """Send this instance's consoles their current queue."""
        consoles = [(ws, advisor) for ws, (advisor, _) in self._consoles.items()]
        await asyncio.gather(*(self.send_queue(ws, advisor) for ws, advisor in consoles))

    async def send_to(self, advisor_ids: set[int], frame: dict[str, Any]) -> None:
        """Send `frame` to every console of these advisors."""
        await self._send_here(advisor_ids, frame)
        event = {"op": "send_to", "advisors": sorted(advisor_ids), "frame": frame}
        await self._bus.publish(CONSOLES_TOPIC, event)

    async def broadcast(self, frame: dict[str, Any]) -> None:
        """Send the same frame to every console."""
        await self._send_here(None, frame)
        await self._bus.publish(CONSOLES_TOPIC, {"op": "broadcast", "frame": frame})

    async def _send_here(self, advisor_ids: set[int] | None, frame: dict[str, Any]) -> None:
        chosen = [
            ws
            for ws, (advisor, _) in list(self._consoles.items())
            if advisor_ids is None or advisor in advisor_ids
        ]
        await asyncio.gather(*(_send(ws, frame) for ws in chosen))

    async def resync(self) -> None:
        """Close every console socket of this instance (the bus may have lost pushes):
        each console reconnects and reloads."""
        for ws in list(self._consoles):
            await self.detach(ws)
            await ws.close(code=RESYNC_CLOSE_CODE, message=b"reconnect")
