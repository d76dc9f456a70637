"""A stand-in for Rasa's REST channel (and the action server's health), for unit tests
of the gateway."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class FakeRasa:
    """Records what it receives and answers with `replies` (or `status`, after `delay`)."""

    replies: list[dict[str, Any]] = field(
        default_factory=lambda: [{"recipient_id": "x", "text": "Guten Tag!"}]
    )
    status: int = 200
    delay: float = 0.0
    received: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""

    def app(self) -> web.Application:
        """The aiohttp application to serve."""
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self._webhook)
        app.router.add_get("/", self._root)
        app.router.add_get("/health", self._health)  # as the action server
        return app

    async def _webhook(self, request: web.Request) -> web.Response:
        self.received.append(await request.json())
        await asyncio.sleep(self.delay)
        if self.status != 200:
            return web.json_response({"error": "boom"}, status=self.status)
        return web.json_response(self.replies)

    async def _root(self, _request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6.21")

    async def _health(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})
