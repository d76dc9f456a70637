"""Serving on 127.0.0.1, the plumbing shared by the fakes, and a webhook receiver for tests."""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import aiohttp
from aiohttp import web

JSON = dict[str, Any]


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    """Start `app` on 127.0.0.1 with a free port; return the runner and base URL."""
    runner = web.AppRunner(app, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = int(runner.addresses[0][1])
    return runner, f"http://127.0.0.1:{port}"


@dataclass
class _Fault:
    status: int
    body: JSON
    delay: float


class FakePlatform:
    """Lifecycle, fault queue, call log, fake clock and retrying push shared by the fakes."""

    def __init__(self, *, retries: int = 3, retry_delay: float = 0.2) -> None:
        self.retries = retries
        self.retry_delay = retry_delay
        self.webhook_url: str | None = None
        self.clock_offset = 0.0
        self.push_timeout = 10.0
        self.calls: list[tuple[str, JSON]] = []
        self.rejections: list[tuple[str, str]] = []
        self.base_url = ""
        self._faults: deque[_Fault] = deque()
        self._delays: deque[float] = deque()
        self._locks: dict[str, asyncio.Lock] = {}
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    def app(self) -> web.Application:
        """Build the aiohttp application (implemented by each fake)."""
        raise NotImplementedError

    async def start(self) -> str:
        """Serve the fake on 127.0.0.1 and return its base URL."""
        self._runner, self.base_url = await serve(self.app())
        self._session = aiohttp.ClientSession()
        return self.base_url

    async def close(self) -> None:
        """Stop serving and close the push session."""
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def now(self) -> float:
        """Wall-clock time plus `clock_offset`."""
        return time.time() + self.clock_offset

    def fail_next(self, count: int = 1, *, status: int, body: JSON, delay: float = 0.0) -> None:
        """Answer the next `count` send calls with `status`/`body` after `delay` seconds."""
        self._faults.extend(_Fault(status, body, delay) for _ in range(count))

    def delay_next(self, seconds: float, count: int = 1) -> None:
        """Sleep `seconds` before answering each of the next `count` send calls."""
        self._delays.extend([seconds] * count)

    async def _scripted(self) -> web.Response | None:
        """Apply queued delays and return a queued fault response, if any."""
        if self._delays:
            await asyncio.sleep(self._delays.popleft())
        if not self._faults:
            return None
        fault = self._faults.popleft()
        if fault.delay:
            await asyncio.sleep(fault.delay)
        return web.json_response(fault.body, status=fault.status)

    def _reject(self, method: str, status: int, description: str, body: JSON) -> web.Response:
        """Record a rejection and build its response."""
        self.rejections.append((method, description))
        return web.json_response(body, status=status)

    async def _post(self, key: str, data: bytes, headers: dict[str, str]) -> list[int]:
        """POST `data` to the webhook, re-posting on failure; 0 stands for a connection error."""
        if self.webhook_url is None:
            raise RuntimeError("webhook_url is not set")
        if self._session is None:
            raise RuntimeError("fake is not started")
        lock = self._locks.setdefault(key, asyncio.Lock())
        statuses: list[int] = []
        timeout = aiohttp.ClientTimeout(total=self.push_timeout)
        async with lock:
            for attempt in range(self.retries + 1):
                if attempt:
                    await asyncio.sleep(self.retry_delay * 2 ** (attempt - 1))
                try:
                    async with self._session.post(
                        self.webhook_url, data=data, headers=headers, timeout=timeout
                    ) as resp:
                        await resp.read()
                        statuses.append(resp.status)
                except (aiohttp.ClientError, TimeoutError):
                    statuses.append(0)
                    continue
                if 200 <= statuses[-1] < 300:
                    break
        return statuses


class Receiver:
    """A webhook endpoint that records requests and answers with scripted statuses."""

    def __init__(
        self, statuses: list[int] | None = None, pause: float = 0.0, verify_token: str = "verify"
    ) -> None:
        self.verify_token = verify_token
        self.statuses = list(statuses or [])
        self.pause = pause
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.active = 0
        self.max_active = 0

    def app(self) -> web.Application:
        """POST and GET /hook."""
        app = web.Application()
        app.router.add_post("/hook", self._post)
        app.router.add_get("/hook", self._get)
        return app

    async def _post(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.requests.append((dict(request.headers), body))
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        await asyncio.sleep(self.pause)
        self.active -= 1
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    async def _get(self, request: web.Request) -> web.Response:
        query = request.query
        if (
            query.get("hub.mode") == "subscribe"
            and query.get("hub.verify_token") == self.verify_token
        ):
            return web.Response(text=query.get("hub.challenge", ""))
        return web.Response(status=403)

    def json(self, index: int = -1) -> JSON:
        """The parsed body of request `index`."""
        data: JSON = json.loads(self.requests[index][1])
        return data


@asynccontextmanager
async def receiving(receiver: Receiver) -> AsyncIterator[str]:
    """Serve `receiver` and yield its webhook URL."""
    runner, url = await serve(receiver.app())
    try:
        yield f"{url}/hook"
    finally:
        await runner.cleanup()


async def call(
    session: aiohttp.ClientSession, url: str, body: JSON, headers: dict[str, str] | None = None
) -> tuple[int, JSON]:
    """POST JSON and return the status and parsed JSON answer."""
    async with session.post(url, json=body, headers=headers) as resp:
        data: JSON = await resp.json()
        return resp.status, data
