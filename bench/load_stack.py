"""The stacks of `make bench-load`: one cluster (HAProxy in front of gateways, Rasa and
action servers, as `make run-cluster` starts them) on fresh PostgreSQL databases and
flushed Redis databases; started in order, watched and restarted as
bot.services.Restarter does, stopped and cleaned up afterwards."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import redis

from bench.load_faults import postgres_ready, redis_running, start_redis
from bench.load_sampling import Sampler
from bot.cluster.launcher import ClusterPorts, cluster_specs, prepare, restartable
from bot.services import HOST, Restarter, ServiceError, Supervisor, clean_env

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/5"
LOCK_STORE_URL = "redis://127.0.0.1:6379/6"
# every person comes from 127.0.0.1: the per-address limits would refuse most of them,
# and a closed loop without think time writes faster than the per-socket limit allows
LIMITS = {
    "MAX_SOCKETS_PER_ADDRESS": "100000",
    "MAX_NEW_CONVERSATIONS_PER_MINUTE": "100000",
    "MAX_MESSAGES_PER_10_SECONDS": "100000",
}
GROUPS = ("haproxy", "actions", "rasa", "gateway")  # the order of the start


def free_ports(count: int) -> list[int]:
    """`count` different TCP ports that are free on 127.0.0.1 right now."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind((HOST, 0))
        return [int(sock.getsockname()[1]) for sock in sockets]


@dataclass
class Stack:
    """One cluster: HAProxy in front of `instances` gateways, Rasas, action servers."""

    label: str
    instances: int
    ports: ClusterPorts
    urls: dict[str, str]
    databases: list[str]
    supervisor: Supervisor
    sampler: Sampler
    startup_s: float = 0.0
    startup_notes: list[str] = field(default_factory=list)
    restarts: list[dict[str, Any]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.ports.gateway}/ws"

    def watch(self) -> None:
        """Restart crashed instances as `make run-cluster` does (bot.services.Restarter)."""
        specs = list(self.supervisor.specs.values())
        restarter = Restarter(self.supervisor, restartable(specs))

        def loop() -> None:
            while not self._stop.wait(0.5):
                try:
                    notes = restarter.tick()
                except ServiceError as error:
                    self.restarts.append({"t": time.time(), "note": str(error)[:300]})
                    return
                for note in notes:
                    self.restarts.append({"t": time.time(), "note": note})
                    print(f"  [restarter] {note}", flush=True)

        threading.Thread(target=loop, daemon=True).start()

    def stop_watching(self) -> None:
        self._stop.set()
        time.sleep(0.6)


async def _drop(names: list[str]) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        for name in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def flush_redis() -> None:
    for url in (REDIS_URL, LOCK_STORE_URL):
        redis.Redis.from_url(url).flushdb()


def ensure_stores() -> None:
    """PostgreSQL and Redis answer (Redis is started as the tests start it)."""
    if not postgres_ready():
        raise SystemExit("PostgreSQL antwortet nicht auf 127.0.0.1:5432")
    if not redis_running():
        start_redis()


def start_in_order(supervisor: Supervisor, notes: list[str]) -> None:
    """HAProxy, the action servers, the Rasa servers, the gateways: each group once the
    one before is healthy; a service that exits while starting is started again (at
    most twice). All at once, the action servers' Sanic worker does not report ready
    within Sanic's 30 s on two busy cores, and the manager shuts down."""
    names = list(supervisor.specs)
    groups = [[n for n in names if n.startswith(prefix)] for prefix in GROUPS]
    for group in groups:
        supervisor.start(*group)
        for attempt in range(3):
            try:
                supervisor.wait_healthy(*group, timeout=600)
                break
            except ServiceError as error:
                exited = [n for n in group if supervisor.processes[n].poll() is not None]
                if not exited or attempt == 2:
                    raise
                last = str(error).strip().splitlines()[-1][:200]
                notes.append(f"{', '.join(exited)} beim Start beendet ({last}); neu gestartet")
                print(f"  {notes[-1]}", flush=True)
                supervisor.start(*exited)


@contextlib.contextmanager
def running_stack(instances: int, log_dir: Path) -> Iterator[Stack]:
    """Start a cluster with `instances` of each service on fresh databases; stop it and
    drop the databases afterwards."""
    ensure_stores()
    name = f"werkbot_bench_{uuid.uuid4().hex[:10]}"
    databases = [name, f"{name}_tracker"]
    urls = {
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{databases[0]}",
        "TRACKER_STORE_URL": f"postgresql://postgres@127.0.0.1:5432/{databases[1]}",
        "REDIS_URL": REDIS_URL,
        "LOCK_STORE_URL": LOCK_STORE_URL,
    }
    env = {**clean_env(None), **LIMITS}
    ports_list = free_ports(4 + 3 * instances)
    ports = ClusterPorts(
        gateway=ports_list[0],
        rasa=ports_list[1],
        actions=ports_list[2],
        stats=ports_list[3],
        gateways=tuple(ports_list[4 : 4 + instances]),
        rasas=tuple(ports_list[4 + instances : 4 + 2 * instances]),
        action_servers=tuple(ports_list[4 + 2 * instances :]),
    )
    supervisor = Supervisor(cluster_specs(ports, urls, env), log_dir)
    stack = Stack(
        "A" if instances == 1 else "B",
        instances,
        ports,
        urls,
        databases,
        supervisor,
        Sampler(supervisor),
    )
    try:
        flush_redis()
        prepare(urls, env)
        began = time.monotonic()
        start_in_order(supervisor, stack.startup_notes)
        stack.startup_s = round(time.monotonic() - began, 1)
        stack.sampler.start()
        stack.watch()
        yield stack
    finally:
        stack.stop_watching()
        stack.sampler.stop()
        supervisor.stop()
        with contextlib.suppress(Exception):
            ensure_stores()
            if not os.environ.get("LOAD_KEEP_DATABASES"):  # kept only to trace a run
                asyncio.run(_drop(databases))
            flush_redis()
