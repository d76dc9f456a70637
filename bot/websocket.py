"""The chat widget's WebSocket endpoint."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import WSCloseCode, WSMsgType, web

from bot import texts
from bot.addresses import client_address
from bot.chat import ChatService
from bot.db.store import StoredMessage
from bot.frames import FrameError, PingFrame, ResumeFrame, TypingFrame, UserFrame, parse_frame
from bot.handoff.hub import ERASED_CLOSE_CODE, PersonHub
from bot.keys import CHAT, LIMITS, PEOPLE, SETTINGS
from bot.limits import SocketLimits

log = logging.getLogger(__name__)

MAX_FRAME_BYTES = 64 * 1024


def origin_allowed(request: web.Request) -> bool:
    """True for the gateway's own origin, one of ALLOWED_ORIGINS, or no Origin at all
    (not a browser: a browser always sends it with a WebSocket handshake)."""
    origin = request.headers.get("Origin")
    if origin is None or urlsplit(origin).netloc == request.host:
        return True
    return origin.rstrip("/") in request.app[SETTINGS].allowed_origins


async def chat_socket(request: web.Request) -> web.WebSocketResponse:
    """Start a conversation (or resume one with a first frame `resume`; an id in the
    URL would reach access logs and is ignored), send its history, then answer each
    message."""
    if not origin_allowed(request):
        raise web.HTTPForbidden(text="Diese Seite darf den Chat nicht einbinden.")
    limits = request.app[LIMITS]
    address = client_address(request)
    slot = await limits.open(address)
    if slot is None:
        raise web.HTTPTooManyRequests(text="Zu viele offene Verbindungen.")
    open_ = True

    async def release() -> None:
        nonlocal open_
        if open_:
            open_ = False
            await limits.close(address, slot)

    try:
        ws = web.WebSocketResponse(heartbeat=30, max_msg_size=MAX_FRAME_BYTES)
        await ws.prepare(request)
        retention_days = request.app[SETTINGS].retention_days
        session = ChatSocket(
            ws, request.app[CHAT], request.app[PEOPLE], retention_days, limits, address
        )
        try:
            await session.welcome(None)
            await session.serve(on_closed=release)
        finally:
            await session.detach()
        return ws
    finally:
        await release()


class ChatSocket:
    """One widget socket and the conversation it is attached to. Frames are read at
    once (pings stay answered while the bot thinks); the person's messages are stored
    and acknowledged on arrival, then answered in order by a worker. Replies go to
    every open window of the conversation."""

    def __init__(
        self,
        ws: web.WebSocketResponse,
        chat: ChatService,
        people: PersonHub,
        retention_days: int,
        limits: SocketLimits,
        address: str,
    ) -> None:
        self._ws = ws
        self._chat = chat
        self._people = people
        self._retention_days = retention_days
        self._messages = limits.message_window()  # this connection's messages
        self._limits = limits  # new conversations: shared by every socket
        self._address = address
        self._stored = False  # whether the conversation has messages already
        self._answers: asyncio.Queue[Answer | None] = asyncio.Queue()
        self.conversation_id = ""

    async def _refusal(self) -> str | None:
        """A notice if this message is over a limit, else None."""
        if not self._messages.allow("messages"):
            return texts.TOO_FAST
        if not self._stored and not await self._limits.new_conversation(self._address):
            return texts.TOO_MANY_CONVERSATIONS
        return None

    async def welcome(self, requested: str | None) -> None:
        """Attach to a stored conversation or a new one; send its id and history."""
        await self.detach()
        self.conversation_id, history = await self._chat.open(requested, "web")
        self._stored = bool(history)
        await self._ws.send_json(
            {
                "type": "welcome",
                "conversation_id": self.conversation_id,
                "history": [message.to_json() for message in history],
                # for the widget's privacy note
                "retention_days": self._retention_days,
            }
        )
        await self._people.attach(self.conversation_id, self._ws)  # advisor replies come here
        # what was stored and pushed between reading the history and attaching (the
        # widget drops a message it has by id)
        last_id = max((m.id for m in history if m.id is not None), default=0)
        for message in await self._chat.stored_after(self.conversation_id, last_id):
            await self._ws.send_json({"type": "message", "message": message.to_json()})
            history.append(message)
        if history and history[-1].sender == "user":  # its instance may have died
            self._answers.put_nowait(Answer(self.conversation_id, history[-1], None, True))

    async def detach(self) -> None:
        """Stop pushing to this socket."""
        if self.conversation_id:
            await self._people.detach(self.conversation_id, self._ws)

    async def serve(self, on_closed: Callable[[], Awaitable[None]]) -> None:
        """Read frames until the socket closes or a frame is invalid (then `on_closed`:
        the socket no longer counts against the limits); then finish answering what was
        stored (the replies reach the other windows and the history)."""
        worker = asyncio.create_task(self._answer_in_order())
        try:
            await self._read()
        finally:
            await on_closed()
            self._answers.put_nowait(None)
            await worker

    async def _read(self) -> None:
        ws = self._ws
        async for frame in ws:
            if frame.type == WSMsgType.BINARY:
                await ws.close(code=WSCloseCode.UNSUPPORTED_DATA, message=b"text frames only")
                return
            if frame.type != WSMsgType.TEXT:
                log.info("WebSocket %s closed by frame %s", self.conversation_id, frame.type)
                return
            try:
                parsed = parse_frame(frame.data)
            except FrameError as error:
                await ws.close(code=WSCloseCode.INVALID_TEXT, message=str(error).encode()[:120])
                return
            if isinstance(parsed, PingFrame):
                await ws.send_json({"type": "pong"})
            elif isinstance(parsed, TypingFrame):
                if self._stored:
                    await self._people.person_typing(self.conversation_id)
            elif isinstance(parsed, ResumeFrame):
                await self.welcome(parsed.conversation_id)
            else:
                await self._take(parsed)

    async def _take(self, frame: UserFrame) -> None:
        """Store a person's message (once per widget id) and acknowledge it, or say why
        it was not taken; queue it for the answer. Frames without an id (other
        clients: tests, benchmarks) get no acknowledgement."""
        refusal = await self._refusal()
        accepted = (
            [StoredMessage("system", refusal)]  # not stored: nothing was taken
            if refusal is not None
            else await self._chat.accept(self.conversation_id, frame.text, frame.id)
        )
        if isinstance(accepted, list):
            notice = accepted[0].to_json() if accepted else None
            if frame.id is not None:
                await self._ws.send_json({"type": "reject", "id": frame.id, "message": notice})
            elif notice is not None:  # a client without ids gets the notice alone
                await self._ws.send_json({"type": "message", "message": notice})
            return
        message, new = accepted
        self._stored = True
        if frame.id is not None:
            ack = {"type": "ack", "id": frame.id, "message": message.to_json()}
            await self._ws.send_json(ack)
        if new:
            shown = {"type": "message", "message": message.to_json()}
            await self._people.push(self.conversation_id, shown, skip=self._ws)
        # a resend: stored before, perhaps by an instance that died before answering
        self._answers.put_nowait(Answer(self.conversation_id, message, frame.payload, not new))

    async def _answer_in_order(self) -> None:
        while (answer := await self._answers.get()) is not None:
            try:
                replies = (
                    await self._chat.answer_if_unanswered(answer.conversation_id, answer.message)
                    if answer.recover
                    else await self._chat.respond_to_stored(
                        answer.conversation_id, answer.message, answer.payload, "web"
                    )
                )
            except Exception:  # the message is stored; the next one must still be answered
                log.exception("answering %s failed", answer.conversation_id)
                replies = [StoredMessage("system", texts.UNAVAILABLE)]
            for reply in replies:
                frame = {"type": "message", "message": reply.to_json()}
                await self._people.push(answer.conversation_id, frame)
            if any((reply.custom or {}).get("erased") for reply in replies):
                # the conversation is gone: the widgets start a new one when written to
                await self._people.close(answer.conversation_id, ERASED_CLOSE_CODE, b"erased")


@dataclass(frozen=True)
class Answer:
    """A stored message of the person, waiting for its answer."""

    conversation_id: str
    message: StoredMessage
    payload: str | None
    # answer only if it is still unanswered (see ChatService.answer_if_unanswered)
    recover: bool = False
