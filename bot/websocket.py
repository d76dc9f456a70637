"""The chat widget's WebSocket endpoint."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from aiohttp import WSCloseCode, WSMsgType, web

from bot import texts
from bot.chat import ChatService
from bot.db.store import StoredMessage
from bot.frames import FrameError, ResumeFrame, parse_frame
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
    address = request.remote or "unknown"
    if not limits.open(address):
        raise web.HTTPTooManyRequests(text="Zu viele offene Verbindungen.")
    try:
        ws = web.WebSocketResponse(heartbeat=30, max_msg_size=MAX_FRAME_BYTES)
        await ws.prepare(request)
        retention_days = request.app[SETTINGS].retention_days
        session = ChatSocket(
            ws, request.app[CHAT], request.app[PEOPLE], retention_days, limits, address
        )
        try:
            await session.welcome(None)
            await session.serve()
        finally:
            session.detach()
        return ws
    finally:
        limits.close(address)


class ChatSocket:
    """One widget socket and the conversation it is attached to."""

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
        self._new_conversations = limits.new_conversations  # shared by every socket
        self._address = address
        self._stored = False  # whether the conversation has messages already
        self.conversation_id = ""

    def _refusal(self) -> str | None:
        """A notice if this message is over a limit, else None."""
        if not self._messages.allow("messages"):
            return texts.TOO_FAST
        if not self._stored and not self._new_conversations.allow(self._address):
            return texts.TOO_MANY_CONVERSATIONS
        return None

    async def welcome(self, requested: str | None) -> None:
        """Attach to a stored conversation or a new one; send its id and history."""
        self.detach()
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
        self._people.attach(self.conversation_id, self._ws)  # advisor replies come here

    def detach(self) -> None:
        """Stop pushing advisor replies to this socket."""
        if self.conversation_id:
            self._people.detach(self.conversation_id, self._ws)

    async def serve(self) -> None:
        """Answer frames until the socket closes or a frame is invalid."""
        ws = self._ws
        async for frame in ws:
            if frame.type == WSMsgType.BINARY:
                await ws.close(code=WSCloseCode.UNSUPPORTED_DATA, message=b"text frames only")
                break
            if frame.type != WSMsgType.TEXT:
                log.info("WebSocket %s closed by frame %s", self.conversation_id, frame.type)
                break
            try:
                parsed = parse_frame(frame.data)
            except FrameError as error:
                await ws.close(code=WSCloseCode.INVALID_TEXT, message=str(error).encode()[:120])
                break
            if isinstance(parsed, ResumeFrame):
                await self.welcome(parsed.conversation_id)
                continue
            refusal = self._refusal()
            if refusal is not None:
                notice = StoredMessage("system", refusal)  # not stored: nothing was taken
                await ws.send_json({"type": "message", "message": notice.to_json()})
                continue
            replies = await self._chat.handle(self.conversation_id, parsed.text, parsed.payload)
            self._stored = True
            for reply in replies:
                if ws.closed:
                    break
                await ws.send_json({"type": "message", "message": reply.to_json()})
            if any((reply.custom or {}).get("erased") for reply in replies):
                # the conversation is gone: the widget starts a new one when written to
                await ws.close(code=ERASED_CLOSE_CODE, message=b"erased")
                break
