"""The fault run of `make bench-load`: what is done to the cluster while 100 people
write (SIGKILL of one gateway, one Rasa and one action server; restart of PostgreSQL
and Redis), and the count afterwards of what the database holds against what the
people sent (bench/load_users.py, mode `fault`)."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

from bot.services import HOST, Supervisor, is_healthy
from tests.stack import ensure_redis_running

# (share of the fault run, what): the instances are restarted by bot.services.Restarter
# as `make run-cluster` does
SCHEDULE: list[tuple[float, str]] = [
    (0.08, "gateway-1"),
    (0.25, "rasa-1"),
    (0.42, "actions-1"),
    (0.60, "postgresql"),
    (0.78, "redis"),
]
NOTICE = "nicht erreichbar"  # bot/texts.py UNAVAILABLE
NOTICE_WITHIN = 5.0  # seconds: the limit for the notice


def postgres_version() -> str:
    """The newest PostgreSQL cluster version under /etc/postgresql ("15")."""
    return sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]


def redis_running() -> bool:
    ping = ["redis-cli", "-h", HOST, "-p", "6379", "ping"]
    return subprocess.run(ping, capture_output=True, check=False).returncode == 0


def start_redis() -> None:
    """Start the local Redis server as the tests do."""
    ensure_redis_running()


def wait_until(check: Callable[[], bool], limit: float) -> float | None:
    """Seconds until `check()` is true, None after `limit` seconds."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        if check():
            return round(time.monotonic() - began, 2)
        time.sleep(0.1)
    return None


def postgres_ready() -> bool:
    ready = ["pg_isready", "-h", HOST, "-q"]
    return subprocess.run(ready, check=False).returncode == 0


async def _foreign_connections(admin_dsn: str, ours: list[str]) -> int:
    connection = await asyncpg.connect(admin_dsn)
    try:
        count = await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname IS NOT NULL "
            "AND datname <> ALL($1::text[]) AND pid <> pg_backend_pid()",
            ours,
        )
    finally:
        await connection.close()
    return int(count)


@dataclass
class Faults:
    """Does the schedule against a running cluster; notes what happened when."""

    supervisor: Supervisor
    seconds: float
    admin_dsn: str
    databases: list[str]
    events: list[dict[str, Any]] = field(default_factory=list)
    _threads: list[threading.Thread] = field(default_factory=list)
    _start: float = 0.0

    def begin(self, start: float) -> None:
        """Run the schedule from `start` (wall clock: the measured window's start)."""
        self._start = start
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        self._threads.append(thread)

    def join(self, timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        for thread in list(self._threads):
            thread.join(max(0.1, deadline - time.monotonic()))

    def _note(self, what: str, began: float | None = None, **details: Any) -> dict[str, Any]:
        """Note an event (at `began`, wall clock, if it took a while)."""
        at = round((began or time.time()) - self._start, 2)
        event = {"what": what, "at_s": at, **details}
        self.events.append(event)
        print(f"  [fault] {event}", flush=True)
        return event

    def _run(self) -> None:
        for share, target in SCHEDULE:
            time.sleep(max(0.0, self._start + share * self.seconds - time.time()))
            try:
                if target == "postgresql":
                    self._restart_postgres()
                elif target == "redis":
                    self._restart_redis()
                else:
                    self._kill(target)
            except Exception as error:  # noted; the run goes on
                self._note(f"{target} failed", error=repr(error))

    def _kill(self, name: str) -> None:
        process = self.supervisor.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        event = self._note(f"SIGKILL {name}", pid=process.pid)
        url = self.supervisor.specs[name].health_url

        def healthy_again() -> None:
            began = time.monotonic()
            while time.monotonic() - began < 300:
                current = self.supervisor.processes.get(name)
                if current is not None and current.pid != process.pid and is_healthy(url):
                    event["healthy_again_after_s"] = round(time.monotonic() - began, 1)
                    return
                time.sleep(0.5)

        watcher = threading.Thread(target=healthy_again, daemon=True)
        watcher.start()
        self._threads.append(watcher)

    def _restart_postgres(self) -> None:
        others = asyncio.run(_foreign_connections(self.admin_dsn, self.databases))
        wall = time.time()
        began = time.monotonic()
        version = postgres_version()
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
            check=True,
            capture_output=True,
        )
        ready = wait_until(postgres_ready, 60)
        self._note(
            "restart PostgreSQL",
            wall,
            took_s=round(time.monotonic() - began, 2),
            ready_after_s=ready,
            other_connections=others,
        )

    def _restart_redis(self) -> None:
        wall = time.time()
        began = time.monotonic()
        shutdown = ["redis-cli", "-h", HOST, "-p", "6379", "shutdown", "nosave"]
        subprocess.run(shutdown, capture_output=True, check=False)
        down = wait_until(lambda: not redis_running(), 10)
        start_redis()
        up = wait_until(redis_running, 10)
        self._note(
            "restart Redis",
            wall,
            down_after_s=down,
            took_s=round(time.monotonic() - began, 2),
            up_after_s=up,
        )


def percentiles(values: list[float]) -> dict[str, float | None]:
    """p50, p95, p99 and maximum in ms (nearest rank); None without values."""
    if not values:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(values)

    def rank(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000)

    return {
        "p50_ms": rank(0.5),
        "p95_ms": rank(0.95),
        "p99_ms": rank(0.99),
        "max_ms": round(ordered[-1] * 1000),
    }


def client_counts(conversations: list[dict[str, Any]]) -> dict[str, Any]:
    """What the people saw: sent, acknowledged, answered, notices, and how fast."""
    messages = [m for c in conversations for m in c["messages"]]
    sent = [m for m in messages if m["sends"] > 0]
    outcomes = Counter(str(m["outcome"]) for m in sent)
    responded = [m for m in sent if m["outcome"] in ("answer", "notice")]
    notices = [m for m in sent if m["outcome"] == "notice"]
    retries = [m for m in sent if m["retry_of"]]
    hit = [m for m in sent if m["reconnects_before_answer"] > 0]
    return {
        "conversations": len(conversations),
        "messages_sent": len(sent),
        "never_sent": len(messages) - len(sent),
        "resends": sum(m["sends"] - 1 for m in sent),
        "acknowledged": sum(1 for m in sent if m["stored_id"] is not None),
        "stored_seen_in_history_only": sum(1 for m in sent if m["stored_seen"] == "history"),
        "outcomes": dict(outcomes),
        "answered_via_history": sum(1 for m in sent if m["via"] == "history"),
        "response_ms": percentiles([m["response_s"] for m in responded]),
        "responses_within_5s": sum(1 for m in responded if m["response_s"] <= NOTICE_WITHIN),
        "responses_later": sum(1 for m in responded if m["response_s"] > NOTICE_WITHIN),
        "notice_ms": percentiles([m["response_s"] for m in notices]),
        "notices_within_5s": sum(1 for m in notices if m["response_s"] <= NOTICE_WITHIN),
        "notices_not_stored": sum(1 for m in notices if m["reply_stored"] is False),
        "retries_after_notice": len(retries),
        "retry_outcomes": dict(Counter(str(m["outcome"]) for m in retries)),
        "messages_hit_by_a_lost_socket": len(hit),
        "their_response_ms": percentiles([m["response_s"] for m in hit if m["response_s"]]),
        "lost_sockets": sum(c["drops"] for c in conversations),
        "failed_connection_attempts": sum(c["failed_connects"] for c in conversations),
        "conversations_lost": sum(1 for c in conversations if c["conversation_lost"]),
    }


def timeline(
    conversations: list[dict[str, Any]], start: float, end: float, step: float = 10.0
) -> list[dict[str, Any]]:
    """Per `step` seconds of the fault run: messages sent, answered, notices (by the time
    they arrived), and messages sent then that got nothing."""
    buckets: list[dict[str, Any]] = [
        {"from_s": round(t * step), "sent": 0, "answers": 0, "notices": 0, "nothing": 0}
        for t in range(int((end - start) // step) + 1)
    ]

    def bucket(wall: float) -> dict[str, Any] | None:
        index = int((wall - start) // step)
        return buckets[index] if 0 <= index < len(buckets) else None

    for message in (m for c in conversations for m in c["messages"] if m["sends"] > 0):
        if (sent := bucket(message["sent_wall"])) is not None:
            sent["sent"] += 1
            if message["outcome"] is None:
                sent["nothing"] += 1
        if message["response_s"] is not None:
            arrived = bucket(message["sent_wall"] + message["response_s"])
            if arrived is not None and message["outcome"] in ("answer", "notice"):
                arrived["answers" if message["outcome"] == "answer" else "notices"] += 1
    return buckets


def in_flight(
    conversations: list[dict[str, Any]], start: float, events: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Per fault: the messages waiting for their reply at that moment (sent before,
    reply after or never) and how long after the fault their reply came."""
    messages = [m for c in conversations for m in c["messages"] if m["sends"] > 0]
    rows = []
    for event in events:
        at = start + event["at_s"]
        waiting = [
            m
            for m in messages
            if m["sent_wall"] <= at
            and (m["response_s"] is None or m["sent_wall"] + m["response_s"] > at)
        ]
        after = [m["sent_wall"] + m["response_s"] - at for m in waiting if m["response_s"]]
        rows.append(
            {
                "what": event["what"],
                "at_s": event["at_s"],
                "waiting": len(waiting),
                "outcomes": dict(Counter(str(m["outcome"]) for m in waiting)),
                "reply_after_fault": percentiles(after),
                # nothing for 20 s after the fault (or never)
                "stalled_20s": sum(
                    1
                    for m in waiting
                    if m["response_s"] is None or m["sent_wall"] + m["response_s"] - at > 20
                ),
            }
        )
    return rows


async def _rows(database_url: str, ids: list[str]) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(database_url)
    try:
        rows: list[asyncpg.Record] = await connection.fetch(
            "SELECT conversation_id, id, sender, text, client_id FROM messages "
            "WHERE conversation_id = ANY($1::text[]) ORDER BY id",
            ids,
        )
    finally:
        await connection.close()
    return rows


def database_counts(database_url: str, conversations: list[dict[str, Any]]) -> dict[str, Any]:
    """The database against what the people sent (see load.md for the definitions)."""
    ids = sorted({i for c in conversations for i in c["conversation_ids"]})
    rows = asyncio.run(_rows(database_url, ids)) if ids else []
    by_conversation: dict[str, list[asyncpg.Record]] = {}
    for row in rows:
        by_conversation.setdefault(row["conversation_id"], []).append(row)
    counts: Counter[str] = Counter()
    for conversation in conversations:
        final = conversation["conversation_id"]
        abandoned = [i for i in conversation["conversation_ids"] if i != final]
        counts["stray_rows_in_abandoned_conversations"] += sum(
            len(by_conversation.get(i, [])) for i in abandoned
        )
        stored = by_conversation.get(final, []) if final else []
        sent = [m for m in conversation["messages"] if m["sends"] > 0]
        counts["sent"] += len(sent)
        _compare(sent, stored, counts)
    return {"conversations": len(conversations), "stored_rows": len(rows), **dict(counts)}


def _compare(
    sent: list[dict[str, Any]], stored: list[asyncpg.Record], counts: Counter[str]
) -> None:
    """Count one conversation: lost, duplicated, out of order, unanswered."""
    users = [row for row in stored if row["sender"] == "user"]
    by_client = Counter(row["client_id"] for row in users)
    sent_ids = {m["id"]: m for m in sent}
    counts["stored_user_messages"] += len(users)
    for message in sent:
        if by_client[message["id"]] == 0:
            # lost: sent but not stored; `_acked`: the gateway had acknowledged it
            acked = message["stored_id"] is not None
            counts["lost_acknowledged" if acked else "lost_never_acknowledged"] += 1
    counts["duplicated_client_id"] += sum(n - 1 for n in by_client.values() if n > 1)
    counts["stored_without_client_id"] += sum(1 for row in users if row["client_id"] is None)
    counts["stored_unknown_client_id"] += sum(
        1 for row in users if row["client_id"] is not None and row["client_id"] not in sent_ids
    )
    # the same text stored twice in a row, not as a retry the person typed again
    for before, after in itertools.pairwise(users):
        retry = sent_ids.get(after["client_id"], {}).get("retry_of")
        if before["text"] == after["text"] and retry != before["client_id"]:
            counts["same_text_twice_not_a_retry"] += 1
    orders = [sent_ids[row["client_id"]]["order"] for row in users if row["client_id"] in sent_ids]
    inversions = sum(1 for a, b in itertools.pairwise(orders) if b < a)
    counts["out_of_order"] += inversions
    counts["conversations_out_of_order"] += 1 if inversions else 0
    # a turn: a stored message of the person and what is stored after it until the next
    # one; answered if that holds a message of the bot or the gateway
    positions = [index for index, row in enumerate(stored) if row["sender"] == "user"]
    for number, position in enumerate(positions):
        end = positions[number + 1] if number + 1 < len(positions) else len(stored)
        replies = [row for row in stored[position + 1 : end] if row["sender"] in ("bot", "system")]
        message = sent_ids.get(stored[position]["client_id"], {})
        if replies and message and message.get("outcome") is None:
            # answered in the database, but the person never saw it (within GIVE_UP)
            counts["turns_stored_reply_never_shown"] += 1
        if not replies:
            counts["turns_unanswered"] += 1
            if message.get("outcome") == "notice" and message.get("reply_stored") is False:
                counts["turns_unanswered_but_unstored_notice_shown"] += 1
        elif all(NOTICE in row["text"] for row in replies):
            counts["turns_answered_by_notice"] += 1
        else:
            counts["turns_answered"] += 1
            texts = [row["text"] for row in replies if row["sender"] == "bot"]
            if len(texts) != len(set(texts)):
                counts["turns_answered_twice"] += 1
