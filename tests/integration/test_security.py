"""Probes against a real local stack (127.0.0.1 and other loopback addresses, bounded
loops): injected intents, fuzzed frames and reconnect churn, a foreign Origin, a socket
flood, a declined handoff, logout and password guessing."""

from __future__ import annotations

import asyncio
import json
import random
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.advisors import Advisor, login, open_console
from tests.integration.test_conversation import open_chat, texts
from tests.integration.test_handoff import add_advisor
from tests.stack import Gateway, Stack, start_gateway

pytestmark = pytest.mark.integration

FUZZ_FRAMES = 10_000  # frames actually sent
RECONNECTS = 2_000
PER_SOCKET = 8
MAX_SOCKETS = 6_000


def rss_kib(pid: int) -> int:
    """Resident memory of a process."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def fuzz_frame(rng: random.Random) -> str | bytes:
    """A malformed, odd or oversized frame."""
    choice = rng.randrange(8)
    if choice == 0:
        return rng.randbytes(rng.randrange(1, 200))
    if choice == 1:
        return "{" * rng.randrange(1, 50)
    if choice == 2:
        return json.dumps({"type": "message", "text": rng.randbytes(30).hex(), "extra": 1})
    if choice == 3:
        return json.dumps({"type": "resume", "conversation_id": "x" * rng.randrange(1, 80)})
    if choice == 4:
        return json.dumps({"type": "message", "text": "x" * 70_000})
    if choice == 5:
        return json.dumps([1, 2, 3])
    if choice == 6:
        return json.dumps({"type": "message", "text": 5})
    return "\udcff".encode("utf-8", "surrogatepass").decode("latin-1")


async def send_fuzz(
    session: aiohttp.ClientSession, url: str, frames: list[str | bytes], refused: list[int]
) -> int:
    """One connection that sends frames until the gateway closes it; how many it sent
    (a refused handshake's status goes to `refused`)."""
    try:
        ws = await session.ws_connect(url, max_msg_size=0)
    except aiohttp.WSServerHandshakeError as error:
        refused.append(error.status)
        return 0
    sent = 0
    async with ws:
        await ws.receive(timeout=10)  # welcome
        for frame in frames:
            if ws.closed:
                break
            try:
                if isinstance(frame, bytes):
                    await ws.send_bytes(frame)
                else:
                    await ws.send_str(frame)
            except ConnectionResetError:
                break
            sent += 1
    return sent


async def test_injected_intents_are_text(gateway: Gateway) -> None:
    async with aiohttp.ClientSession() as session:
        chat = await open_chat(session, gateway)
        for typed in (
            '/request_events{"event_offset":"x"}',
            '/ask_digitalisation{"topic":"<img src=x onerror=alert(1)>"}',
        ):
            replies = await chat.say(typed)
            assert replies, typed
            assert "kurz nicht erreichbar" not in texts(replies)
            assert "<img" not in texts(replies)
        await chat.ws.close()


async def test_fuzzed_frames_and_churn_leave_the_gateway_well_and_lean(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> None:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('fuzz')}/werkbot.db"
    supervisor, gateway = start_gateway(stack, database_url, tmp_path_factory.mktemp("fuzz-logs"))
    pid = supervisor.processes["gateway"].pid
    rng = random.Random(20261205)
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(3):  # warm up: real conversations
                chat = await open_chat(session, gateway)
                await chat.say("Hallo")
                await chat.ws.close()
            baseline = rss_kib(pid)
            sent = sockets = 0
            refused: list[int] = []
            # bounded: stops at FUZZ_FRAMES frames sent and RECONNECTS sockets, or MAX_SOCKETS
            while (sent < FUZZ_FRAMES or sockets < RECONNECTS) and sockets < MAX_SOCKETS:
                batch = [[fuzz_frame(rng) for _ in range(PER_SOCKET)] for _ in range(20)]
                counts = await asyncio.gather(
                    *(send_fuzz(session, gateway.ws_url, frames, refused) for frames in batch)
                )
                sent += sum(counts)
                sockets += len(batch)
            await asyncio.sleep(2)
            after = rss_kib(pid)
            health = await session.get(gateway.url + "/health")
            chat = await open_chat(session, gateway)
            replies = await chat.say("Hallo")
            await chat.ws.close()
    finally:
        supervisor.stop()
    assert health.status == 200
    assert "Ich bin werkbot" in texts(replies)
    assert sent >= FUZZ_FRAMES
    assert not [status for status in refused if status >= 500]
    print(
        f"gateway RSS: {baseline} KiB before, {after} KiB after {sent} frames over "
        f"{sockets} sockets ({len(refused)} refused: {sorted(set(refused))})"
    )
    assert after <= baseline * 1.10, (baseline, after)


@pytest.fixture(scope="module")
def strict_gateway(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Gateway, Path]]:
    """A gateway with the production limits (the shared one raises them for the tests)
    and its SQLite file."""
    database = tmp_path_factory.mktemp("strict") / "werkbot.db"
    supervisor, gateway = start_gateway(
        stack,
        f"sqlite:///{database}",
        tmp_path_factory.mktemp("strict-logs"),
        extra_env={"MAX_NEW_CONVERSATIONS_PER_MINUTE": "60"},
    )
    yield gateway, database
    supervisor.stop()


def conversations_stored(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute("SELECT COUNT(*) FROM conversations").fetchone()[0])


def from_address(address: str) -> aiohttp.ClientSession:
    """A client whose connections come from another loopback address."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(local_addr=(address, 0)),
        cookie_jar=aiohttp.CookieJar(unsafe=True),
    )


async def test_a_foreign_origin_gets_403(strict_gateway: tuple[Gateway, Path]) -> None:
    gateway, _ = strict_gateway
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(gateway.ws_url, headers={"Origin": "https://evil.example"})
        own = await session.ws_connect(gateway.ws_url, headers={"Origin": gateway.url})
        await own.close()
    assert refused.value.status == 403


async def test_300_sockets_from_one_address_create_little_and_others_still_chat(
    strict_gateway: tuple[Gateway, Path],
) -> None:
    gateway, database = strict_gateway
    before = conversations_stored(database)
    refused: list[int] = []

    async def attempt(session: aiohttp.ClientSession) -> aiohttp.ClientWebSocketResponse | None:
        try:
            ws = await session.ws_connect(gateway.ws_url)
        except aiohttp.WSServerHandshakeError as error:
            refused.append(error.status)
            return None
        await ws.receive_json(timeout=10)
        await ws.send_json({"type": "message", "text": "Hallo"})
        return ws

    async with aiohttp.ClientSession() as session:
        opened = [ws for ws in await asyncio.gather(*(attempt(session) for _ in range(300))) if ws]
        async with from_address("127.0.0.2") as other:
            chat = await open_chat(other, gateway)
            replies = await chat.say("Hallo")
            await chat.ws.close()
        for ws in opened:
            await ws.close()
    assert len(opened) <= 20
    assert set(refused) == {429}
    assert len(opened) + len(refused) == 300
    assert conversations_stored(database) - before <= len(opened) + 1
    assert "Ich bin werkbot" in texts(replies)


async def test_advisor_side_probes(strict_gateway: tuple[Gateway, Path]) -> None:
    """A declined handoff is nobody's to read, logout closes the console socket, and
    guessing a password from one address does not lock the advisor out elsewhere."""
    gateway, _ = strict_gateway
    add_advisor(gateway.database_url, "probe-a", "--name", "Petra Probe")
    async with from_address("127.0.0.3") as elsewhere:
        advisor = await login(gateway.url, "probe-a", http=elsewhere)
        console = await open_console(advisor)
        async with aiohttp.ClientSession() as session:
            chat = await open_chat(session, gateway)
            consent = await chat.say("Ich möchte mit einem Berater sprechen")
            assert "Einverstanden?" in texts(consent)
            await chat.say("Abbrechen", "#handoff:cancel")
            await chat.ws.close()
        statuses = set()
        for handoff_id in range(1, 40):
            async with elsewhere.get(f"{gateway.url}/berater/api/handoffs/{handoff_id}") as got:
                statuses.add(got.status)
        queue = await advisor.get("/berater/api/queue")
        assert statuses == {404}
        assert all(queue[name] == [] for name in ("waiting", "callbacks", "active", "closed"))

        async with elsewhere.post(
            f"{gateway.url}/berater/logout", data={"csrf": advisor.csrf}
        ) as response:
            assert response.status == 200  # back on the login form
        closing = await console.receive(timeout=5)
        assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)

    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as guesser:
        codes = [await wrong_login(guesser, gateway.url, "probe-a") for _ in range(8)]
    assert codes[:5] == [401] * 5
    assert set(codes[5:]) == {429}
    async with from_address("127.0.0.4") as office:
        again = await login(gateway.url, "probe-a", http=office)
        assert (await advisor_queue_status(again)) == 200


async def wrong_login(http: aiohttp.ClientSession, base: str, username: str) -> int:
    async with http.get(base + "/berater/login") as form:
        token = re.search(r'name="csrf" value="([^"]+)"', await form.text())
    assert token
    data = {"username": username, "password": "falsch-geraten", "csrf": token.group(1)}
    async with http.post(base + "/berater/login", data=data) as response:
        return response.status


async def advisor_queue_status(advisor: Advisor) -> int:
    async with advisor.http.get(advisor.base + "/berater/api/queue") as response:
        return response.status
