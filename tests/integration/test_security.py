"""Probes against a real local stack (127.0.0.1, bounded loops): injected intents,
fuzzed frames and reconnect churn must neither break the gateway nor make it keep
memory."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

import aiohttp
import pytest

from tests.integration.test_conversation import open_chat, texts
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
