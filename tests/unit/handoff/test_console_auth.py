"""Login, sessions, CSRF and origin checks of the advisor console."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient
from sqlalchemy import update

from bot.db.models import AdvisorSession
from bot.handoff.accounts import AccountError
from bot.keys import ADVISORS, CONSOLES, SESSIONS
from tests.advisors import PASSWORD, Advisor, login, open_console


def base(client: TestClient) -> str:  # type: ignore[type-arg]
    return str(client.make_url("")).rstrip("/")


async def test_console_requires_login(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/berater", allow_redirects=False)
    assert (response.status, response.headers["Location"]) == (303, "/berater/login")
    assert (await client.get("/berater/api/queue")).status == 401
    assert (await client.get("/berater/ws")).status == 401


async def test_session_cookie_is_http_only_and_same_site(client: TestClient) -> None:  # type: ignore[type-arg]
    http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with http.get(base(client) + "/berater/login") as response:
        page = await response.text()
    token = page.split('name="csrf" value="')[1].split('"')[0]
    async with http.post(
        base(client) + "/berater/login",
        data={"username": "schulz", "password": PASSWORD, "csrf": token},
        allow_redirects=False,
    ) as response:
        assert response.status == 303
        cookie = response.headers["Set-Cookie"]
    await http.close()
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Path=/berater" in cookie


async def test_wrong_password_and_throttling(client: TestClient) -> None:  # type: ignore[type-arg]
    http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    statuses = []
    for _ in range(6):
        async with http.get(base(client) + "/berater/login") as response:
            token = (await response.text()).split('name="csrf" value="')[1].split('"')[0]
        async with http.post(
            base(client) + "/berater/login",
            data={"username": "schulz", "password": "falsch-falsch", "csrf": token},
        ) as response:
            statuses.append(response.status)
            page = await response.text()
    await http.close()
    assert statuses == [401] * 5 + [429]
    assert "Zu viele Fehlversuche" in page


async def test_login_without_matching_csrf_is_refused(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.post(
        "/berater/login", data={"username": "schulz", "password": PASSWORD, "csrf": "x"}
    )
    assert response.status == 403


async def test_actions_need_the_csrf_token_and_same_origin(
    client: TestClient,  # type: ignore[type-arg]
    schulz: Advisor,
) -> None:
    url = schulz.base + "/berater/api/handoffs/1/claim"
    async with schulz.http.post(url) as response:
        assert response.status == 403
    headers = {"X-CSRF-Token": schulz.csrf, "Origin": "https://evil.example"}
    async with schulz.http.post(url, headers=headers) as response:
        assert response.status == 403
    async with schulz.http.post(url, headers={"X-CSRF-Token": schulz.csrf}) as response:
        assert response.status == 404  # passes the checks; no such handoff
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await schulz.http.ws_connect(
            schulz.base.replace("http", "ws") + "/berater/ws",
            headers={"Origin": "https://evil.example"},
        )
    assert refused.value.status == 403


async def test_logout_ends_the_session_and_closes_its_console(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    advisor = await login(base(client), "schulz")
    console = await open_console(advisor)
    assert client.app[CONSOLES].online() == {1}
    async with advisor.http.post(
        advisor.base + "/berater/logout", data={"csrf": advisor.csrf}, allow_redirects=False
    ) as response:
        assert response.status == 303
    closing = await console.receive(timeout=2)
    assert closing.type in (WSMsgType.CLOSE, WSMsgType.CLOSED)
    assert client.app[CONSOLES].online() == set()
    async with advisor.http.get(advisor.base + "/berater/api/queue") as response:
        assert response.status == 401
    await advisor.http.close()


async def test_an_expired_session_no_longer_counts_as_online(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    advisor = await login(base(client), "schulz")
    console = await open_console(advisor)
    async with client.app[SESSIONS].begin() as session:
        await session.execute(update(AdvisorSession).values(expires_at=datetime.now(UTC)))

    async def still_valid(token: str) -> bool:
        return await client.app[ADVISORS].resolve(token, datetime.now(UTC)) is not None

    await client.app[CONSOLES].drop_invalid(still_valid)
    assert client.app[CONSOLES].online() == set()
    closing = await console.receive(timeout=2)
    assert closing.type in (WSMsgType.CLOSE, WSMsgType.CLOSED)
    await advisor.http.close()


async def test_console_pages_cannot_be_framed(client: TestClient) -> None:  # type: ignore[type-arg]
    response = await client.get("/berater/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


async def test_deactivation_and_a_new_password_end_every_session(
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    advisors = client.app[ADVISORS]
    schulz = await login(base(client), "schulz")
    await advisors.reset_password("schulz", "ein-ganz-neues-passwort")
    async with schulz.http.get(schulz.base + "/berater/api/queue") as response:
        assert response.status == 401
    assert await advisors.authenticate("schulz", PASSWORD) is None
    assert await advisors.authenticate("schulz", "ein-ganz-neues-passwort") is not None
    brandt = await login(base(client), "brandt")
    await advisors.deactivate("Brandt")
    async with brandt.http.get(brandt.base + "/berater/api/queue") as response:
        assert response.status == 401
    assert await advisors.authenticate("brandt", PASSWORD) is None
    with pytest.raises(AccountError):
        await advisors.deactivate("niemand")
    await schulz.http.close()
    await brandt.http.close()
