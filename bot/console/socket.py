"""The console's WebSocket: queue snapshots and new messages, pushed by the gateway."""

from __future__ import annotations

from aiohttp import WSMsgType, web

from bot.console.auth import current_login, same_origin
from bot.console.roles import BERATUNG, has_role
from bot.keys import CONSOLES


async def console_socket(request: web.Request) -> web.WebSocketResponse:
    """Push-only socket for a logged-in advisor; having it open means "online"."""
    if not same_origin(request):
        raise web.HTTPForbidden(text="Fremde Herkunft")
    login = await current_login(request)
    if login is None:
        raise web.HTTPUnauthorized(text="Bitte melden Sie sich an.")
    if not has_role(login.advisor, BERATUNG):  # only advisors count as online
        raise web.HTTPForbidden(text="Ihr Konto hat keinen Zugang zur Beratung.")
    ws = web.WebSocketResponse(heartbeat=30, max_msg_size=4096)
    await ws.prepare(request)
    hub = request.app[CONSOLES]
    await hub.attach(login.advisor.id, ws, login.token)
    try:
        # a new advisor online changes what the others see (routing)
        await hub.broadcast_queue()
        async for frame in ws:
            if frame.type in (WSMsgType.CLOSE, WSMsgType.ERROR):
                break
    finally:
        await hub.detach(ws)
        await hub.broadcast_queue()
    return ws
