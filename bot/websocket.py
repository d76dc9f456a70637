"""The chat widget's WebSocket endpoint."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from aiohttp import WSCloseCode, WSMsgType, web

from bot.chat import ChatService
from bot.frames import FrameError, parse_frame
from bot.keys import CHAT, PEOPLE, SETTINGS

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
    """Resume or start a conversation, send its history, then answer each message."""
    if not origin_allowed(request):
        raise web.HTTPForbidden(text="Diese Seite darf den Chat nicht einbinden.")
    ws = web.WebSocketResponse(heartbeat=30, max_msg_size=MAX_FRAME_BYTES)
    await ws.prepare(request)
    chat = request.app[CHAT]
    conversation_id, history = await chat.open(request.query.get("conversation_id"), "web")
    await ws.send_json(
        {
            "type": "welcome",
            "conversation_id": conversation_id,
            "history": [message.to_json() for message in history],
        }
    )
    people = request.app[PEOPLE]
    people.attach(conversation_id, ws)  # advisor replies are pushed here
    try:
        await _serve(ws, chat, conversation_id)
    finally:
        people.detach(conversation_id, ws)
    return ws


async def _serve(ws: web.WebSocketResponse, chat: ChatService, conversation_id: str) -> None:
    async for frame in ws:
        if frame.type == WSMsgType.BINARY:
            await ws.close(code=WSCloseCode.UNSUPPORTED_DATA, message=b"text frames only")
            break
        if frame.type != WSMsgType.TEXT:
            log.info("WebSocket %s closed by frame %s", conversation_id, frame.type)
            break
        try:
            user_frame = parse_frame(frame.data)
        except FrameError as error:
            await ws.close(code=WSCloseCode.INVALID_TEXT, message=str(error).encode()[:120])
            break
        replies = await chat.handle(conversation_id, user_frame.text, user_frame.payload)
        for reply in replies:
            if ws.closed:
                break
            await ws.send_json({"type": "message", "message": reply.to_json()})
