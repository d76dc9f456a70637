"""The advisor's side in tests: log in through the real form, use the API, watch the
console socket."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import aiohttp

PASSWORD = "richtig-geheim-123"


@dataclass
class Advisor:
    """The console side: a logged-in HTTP session of one advisor."""

    http: aiohttp.ClientSession
    base: str
    csrf: str

    async def post(self, path: str, body: dict[str, Any] | None = None) -> aiohttp.ClientResponse:
        """A CSRF-protected POST to the console API."""
        response = await self.http.post(
            self.base + path, json=body or {}, headers={"X-CSRF-Token": self.csrf}
        )
        await response.read()
        return response

    async def get(self, path: str) -> Any:
        """GET a JSON resource of the console API."""
        async with self.http.get(self.base + path) as response:
            assert response.status == 200, await response.text()
            return await response.json()


async def login(
    base: str,
    username: str,
    password: str = PASSWORD,
    http: aiohttp.ClientSession | None = None,
) -> Advisor:
    """Log in through the real form (double-submit CSRF) and read the session's token
    (in `http` if given, e.g. a client bound to another address)."""
    http = http or aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with http.get(base + "/berater/login") as response:
        form_token = re.search(r'name="csrf" value="([^"]+)"', await response.text())
    assert form_token
    data = {"username": username, "password": password, "csrf": form_token.group(1)}
    async with http.post(base + "/berater/login", data=data) as response:
        page = await response.text()
        assert response.status == 200, page
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert csrf, page
    return Advisor(http, base, csrf.group(1))


async def open_console(advisor: Advisor) -> aiohttp.ClientWebSocketResponse:
    """The advisor's console socket (counts as online); first queue frame consumed."""
    ws = await advisor.http.ws_connect(advisor.base.replace("http", "ws") + "/berater/ws")
    frame = await ws.receive_json(timeout=2)
    assert frame["type"] == "queue"
    return ws


async def next_frame(
    ws: aiohttp.ClientWebSocketResponse, kind: str, wait: float = 2.0
) -> dict[str, Any]:
    """The next console frame of type `kind` (others are skipped)."""
    while True:
        frame: dict[str, Any] = await ws.receive_json(timeout=wait)
        if frame["type"] == kind:
            return frame
