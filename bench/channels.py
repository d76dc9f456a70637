"""Messenger benchmark on the real stack (gateway, Rasa, action server; SQLite), with
FakeMeta and FakeTelegram as the platforms.

Measures (a) the webhook's acknowledgement under 50 requests/s for 6 s per messenger
(every request a new message, signed as the platform signs it); (b) end to end, from
the webhook until the fake platform receives the answer, next to the widget's
WebSocket round trip in the same run (the baseline: same question, same stack). Writes
bench/results/channels.json and channels.md.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import platform
import secrets
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

from bench.handoff import summary as percentiles_ms
from bot.config import ROOT
from bot.services import Ports, Supervisor, clean_env, service_specs
from tests.fakes.fake_meta import FakeMeta
from tests.fakes.fake_telegram import FakeTelegram
from tests.stack import free_port, load_content
from tests.unit.channels.conftest import (
    TG_SECRET,
    TG_TOKEN,
    WA_PHONE_ID,
    WA_SECRET,
    WA_TOKEN,
    WA_VERIFY,
    channel_env,
)

RESULTS = ROOT / "bench" / "results"
RATE = 50  # webhook requests per second
LOAD_SECONDS = 6
ROUNDS = 15  # end-to-end questions per channel
QUESTION = "Was ist eine E-Rechnung?"


def whatsapp_body(user: str, text: str) -> bytes:
    """A message webhook as Meta sends it (ASCII-escaped JSON)."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "493450000000", "phone_number_id": WA_PHONE_ID},
        "contacts": [{"profile": {"name": "Bench"}, "wa_id": user}],
        "messages": [
            {
                "from": user,
                "id": f"wamid.{uuid.uuid4().hex}",
                "timestamp": str(int(time.time())),
                "type": "text",
                "text": {"body": text},
            }
        ],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(body, ensure_ascii=True).encode()


def telegram_body(chat: int, text: str) -> bytes:
    update = {
        "update_id": secrets.randbelow(2**31),
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "Bench"},
            "text": text,
        },
    }
    return json.dumps(update).encode()


class Webhooks:
    """Posts webhook bodies to the gateway as the platforms do."""

    def __init__(self, http: aiohttp.ClientSession, base: str) -> None:
        self.http = http
        self.base = base

    async def whatsapp(self, body: bytes) -> float:
        digest = hmac.new(WA_SECRET.encode(), body, hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}
        return await self._post("/channels/whatsapp/webhook", body, headers)

    async def telegram(self, body: bytes) -> float:
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
        return await self._post("/channels/telegram/webhook", body, headers)

    async def _post(self, path: str, body: bytes, headers: dict[str, str]) -> float:
        began = time.monotonic()
        async with self.http.post(self.base + path, data=body, headers=headers) as response:
            assert response.status == 200, response.status
        return time.monotonic() - began


async def wait_for(check: Callable[[], bool], limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.005)


def arrived(texts_to: Callable[[Any], list[str]], who: object) -> Callable[[], bool]:
    """Whether the fake platform has received anything for `who`."""
    return lambda: bool(texts_to(who))


async def end_to_end(hooks: Webhooks, meta: FakeMeta, telegram: FakeTelegram) -> dict[str, Any]:
    """One question at a time on each channel, interleaved."""
    times: dict[str, list[float]] = {"web": [], "whatsapp": [], "telegram": []}
    for number in range(ROUNDS):
        user, chat = f"49151{number:08d}", 900000 + number
        meta.last_inbound[user] = meta.now()  # the fake's window: as if Meta had pushed
        began = time.monotonic()
        await hooks.whatsapp(whatsapp_body(user, QUESTION))
        await wait_for(arrived(meta.texts_to, user))
        times["whatsapp"].append(time.monotonic() - began)
        began = time.monotonic()
        await hooks.telegram(telegram_body(chat, QUESTION))
        await wait_for(arrived(telegram.texts_to, chat))
        times["telegram"].append(time.monotonic() - began)
        async with hooks.http.ws_connect(hooks.base.replace("http", "ws") + "/ws") as ws:
            await ws.receive_json()
            began = time.monotonic()
            await ws.send_json({"type": "message", "text": QUESTION})
            await ws.receive_json(timeout=60)
            times["web"].append(time.monotonic() - began)
    return times


async def acknowledgements(
    hooks: Webhooks, channel: str, meta: FakeMeta, telegram: FakeTelegram
) -> list[float]:
    """RATE webhook requests a second for LOAD_SECONDS; each one's answer time. Then
    wait until every one is answered, so that the next channel starts from the same
    quiet state."""
    tasks = []
    waiting: list[Callable[[], bool]] = []
    for number in range(RATE * LOAD_SECONDS):
        if channel == "whatsapp":
            user = f"49160{number:08d}"
            meta.last_inbound[user] = meta.now()
            request = hooks.whatsapp(whatsapp_body(user, "Hallo"))
            waiting.append(arrived(meta.texts_to, user))
        else:
            request = hooks.telegram(telegram_body(800000 + number, "Hallo"))
            waiting.append(arrived(telegram.texts_to, 800000 + number))
        tasks.append(asyncio.create_task(request))
        await asyncio.sleep(1 / RATE)
    times = list(await asyncio.gather(*tasks))
    await wait_for(lambda: all(check() for check in waiting), limit=600)
    return times


async def measure(ports: Ports, database: str, env: dict[str, str], scratch: str) -> Any:
    meta = FakeMeta(WA_SECRET, WA_VERIFY, WA_PHONE_ID, WA_TOKEN)
    telegram = FakeTelegram(TG_TOKEN, TG_SECRET)
    await meta.start()
    await telegram.start()
    env = {**env, **channel_env(telegram, meta)}
    supervisor = Supervisor(
        service_specs(ports, secrets.token_urlsafe(16), database, env), Path(scratch) / "logs"
    )
    await asyncio.to_thread(supervisor.start)
    try:
        await asyncio.to_thread(lambda: supervisor.wait_healthy(timeout=300))
        async with aiohttp.ClientSession() as http:
            hooks = Webhooks(http, f"http://127.0.0.1:{ports.gateway}")
            times = await end_to_end(hooks, meta, telegram)
            ack = {
                channel: await acknowledgements(hooks, channel, meta, telegram)
                for channel in ("whatsapp", "telegram")
            }
    finally:
        await asyncio.to_thread(supervisor.stop)
        await meta.close()
        await telegram.close()
    return times, ack


def summary(values: list[float]) -> dict[str, float]:
    """Count, p50, p95 and maximum in milliseconds."""
    return {"n": len(values), **percentiles_ms(values)}


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        database = f"sqlite:///{scratch}/bench.db"
        load_content(database)
        ports = Ports(rasa=free_port(), actions=free_port(), gateway=free_port())
        env = {
            **clean_env(None),
            "TRACKER_STORE_URL": f"sqlite:///{scratch}/tracker.db",
            "MAX_NEW_CONVERSATIONS_PER_MINUTE": "100000",
        }
        times, ack = asyncio.run(measure(ports, database, env, scratch))
    result: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "rate_per_second": RATE,
        "load_seconds": LOAD_SECONDS,
        "acknowledgement": {channel: summary(values) for channel, values in ack.items()},
        "end_to_end": {channel: summary(values) for channel, values in times.items()},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "channels.json").write_text(json.dumps(result, indent=2) + "\n")
    rows = [
        f"| Webhook-Quittung {name} ({RATE}/s, {LOAD_SECONDS} s) | {s['p50_ms']} | "
        f"{s['p95_ms']} | {s['max_ms']} |"
        for name, s in result["acknowledgement"].items()
    ] + [
        f"| Ende zu Ende {label} | {s['p50_ms']} | {s['p95_ms']} | {s['max_ms']} |"
        for label, s in (
            ("WhatsApp (Webhook → Antwort bei FakeMeta)", result["end_to_end"]["whatsapp"]),
            ("Telegram (Webhook → Antwort bei FakeTelegram)", result["end_to_end"]["telegram"]),
            ("Baseline Widget (WebSocket, gleicher Lauf)", result["end_to_end"]["web"]),
        )
    ]
    (RESULTS / "channels.md").write_text(
        "# Messenger-Benchmark\n\n"
        f"Echter Gateway, Rasa und Action-Server auf SQLite, {os.cpu_count()} Kerne; "
        "FakeMeta und FakeTelegram als Plattformen. Ziel der Quittung: Meta verlangt "
        "Median < 250 ms und < 1 % über 1 s. Ende zu Ende: dieselbe Frage "
        f"„{QUESTION}“, {ROUNDS}-mal je Kanal abwechselnd, jede von einer neuen Person "
        "(die erste Nachricht trägt den Datenschutzhinweis).\n\n"
        "| Messung | p50 ms | p95 ms | max ms |\n| --- | --- | --- | --- |\n"
        + "\n".join(rows)
        + "\n"
    )
    print((RESULTS / "channels.md").read_text())


if __name__ == "__main__":
    main()
