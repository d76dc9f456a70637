"""The simulated people of `make bench-load`: locust users, run by bench/load.py as a
subprocess of their own (locust monkey-patches the standard library for gevent, which
must not meet the asyncio of the rest of the project).

    python -m bench.load_users --mode widget --url ws://127.0.0.1:8080/ws \
        --users 20 --seconds 60 --out var/load/phase.json

Modes:
- `widget`: each person opens the chat widget's WebSocket, reads the welcome and asks
  knowledge questions one after the other (closed loop, no think time): the message
  with a fresh id, the acknowledgement, then the first reply bubble of the bot (or the
  gateway's notice) ends the turn and the next message goes out at once. After
  `--turns` turns the person starts a new conversation on a new socket.
- `rest`: the same people and questions straight to Rasa's REST channel (the baseline).
- `fault`: as `widget`, but each person behaves like the real widget when the
  connection breaks: reconnect (backoff as bot/static/widget/40-connection.js), resume
  the conversation, send again what was not acknowledged (same id), drop a socket that
  acknowledges nothing within 5 s; after the gateway's "nicht erreichbar" notice the
  person asks the same question again. Every message sent, acknowledged and answered is
  written out, so that bench/load.py can check the database against it.

Timing: all users are spawned, then `--warmup` seconds pass, then the measured window
of `--seconds` (printed to stdout as a JSON line `{"event": "window", ...}`); then no
new message goes out and the users finish the one in flight (at most `--drain` s).

The users: bench/load_user_widget.py (`widget`, `rest`), bench/load_user_fault.py
(`fault`), what they share in bench/load_user_common.py; this module spawns them,
times the phase and writes the results.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import gevent  # type: ignore[import-untyped]
import locust  # first of all: it monkey-patches before websocket imports ssl
from locust import User
from locust.env import Environment

from bench.load_user_common import SHARED, SPAWN_RATE, Config
from bench.load_user_fault import FaultUser
from bench.load_user_widget import RestUser, WidgetUser

USERS: dict[str, type[User]] = {"widget": WidgetUser, "rest": RestUser, "fault": FaultUser}


def locust_summary(environment: Environment) -> dict[str, Any]:
    """Locust's own totals (its percentiles are rounded to its buckets)."""
    total = environment.stats.total
    return {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": round(total.total_rps, 2),
        **{
            f"p{int(share * 100)}_ms": total.get_response_time_percentile(share)
            for share in (0.5, 0.95, 0.99)
        },
        "errors": {
            str(error.error): error.occurrences for error in environment.stats.errors.values()
        },
    }


def run(settings: Config) -> dict[str, Any]:
    """Spawn, warm up, measure, drain; the raw results."""
    SHARED.config = settings
    user_class = USERS[settings.mode]
    host = settings.url if settings.mode == "rest" else None
    environment = Environment(user_classes=[user_class], host=host, events=locust.events)
    runner = environment.create_local_runner()
    runner.start(settings.users, spawn_rate=SPAWN_RATE)
    while runner.user_count < settings.users:
        gevent.sleep(0.1)
    spawned = time.time()
    gevent.sleep(settings.warmup)
    start = time.time()
    environment.stats.reset_all()
    print(json.dumps({"event": "window", "start": start}), flush=True)
    gevent.sleep(settings.seconds)
    end = time.time()
    SHARED.stopping = True
    print(json.dumps({"event": "stopping", "end": end}), flush=True)
    drain_until = time.monotonic() + settings.drain
    while SHARED.parked < settings.users and time.monotonic() < drain_until:
        gevent.sleep(0.2)
    drained = SHARED.parked >= settings.users
    summary = locust_summary(environment)
    runner.quit()
    return {
        "mode": settings.mode,
        "url": settings.url,
        "users": settings.users,
        "turns_per_conversation": settings.turns,
        "spawned": spawned,
        "window": {"start": start, "end": end},
        "drained": drained,
        "parked": SHARED.parked,
        "locust": summary,
        "turns": SHARED.turns,
        "conversations": [
            {**c, "messages": [asdict(m) for m in c["messages"]]} for c in SHARED.conversations
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=sorted(USERS), required=True)
    parser.add_argument("--url", required=True, help="ws://…/ws, or http://… of Rasa (rest)")
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--drain", type=float, default=40.0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    settings = Config(
        args.mode,
        args.url,
        args.users,
        args.seconds,
        args.warmup,
        args.turns,
        args.drain,
        args.out,
    )
    results = run(settings)
    settings.out.parent.mkdir(parents=True, exist_ok=True)
    settings.out.write_text(json.dumps(results, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
