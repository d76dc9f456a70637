"""Session fixtures that start the real Rasa server, action server and gateways.

Rasa takes about 40 s to start, so it starts once per test session and only when an
integration or browser test asks for it. The gateway runs once on SQLite and once on
PostgreSQL (created for the session, started first if it is down).
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
import redis

from bot.config import ROOT
from bot.services import (
    APP_PYTHON,
    HOST,
    Supervisor,
    actions_spec,
    clean_env,
    gateway_spec,
    rasa_spec,
)

# Redis database of the session's PostgreSQL gateway (Rasa's locks use 1)
GATEWAY_REDIS_URL = "redis://127.0.0.1:6379/2"
POSTGRES_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
# The demo calendar runs January to June 2027; the action server sees this as "now".
FIXED_NOW = "2026-11-24T10:00:00+01:00"


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def run_bot(*args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m bot …` from the repository, with `env` over the tests' environment."""
    return subprocess.run(
        [str(APP_PYTHON), "-m", "bot", *args],
        cwd=ROOT,
        env={**clean_env(None), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def load_content(database_url: str) -> None:
    """`python -m bot kb load` and `events load` into `database_url`."""
    env = {**clean_env(None), "DATABASE_URL": database_url}
    for command in (["kb", "load"], ["events", "load"]):
        subprocess.run(
            [str(APP_PYTHON), "-m", "bot", *command], env=env, check=True, capture_output=True
        )


@dataclass
class Stack:
    """The running services of one test session."""

    supervisor: Supervisor
    rasa_url: str
    rasa_token: str
    action_server_url: str
    tracker_store_url: str

    def restart(self, name: str) -> None:
        """Stop and start one service, then wait until it is healthy again."""
        self.supervisor.stop(name)
        self.supervisor.start(name)
        self.supervisor.wait_healthy(name, timeout=120)


@dataclass(frozen=True)
class Gateway:
    """One running gateway and the database it writes to."""

    url: str
    database_url: str

    @property
    def ws_url(self) -> str:
        """The widget's WebSocket endpoint."""
        return self.url.replace("http://", "ws://") + "/ws"


def ensure_redis_running() -> None:
    """Start the local Redis server if it does not answer."""
    if subprocess.run(["redis-cli", "-h", HOST, "ping"], capture_output=True).returncode == 0:
        return
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "-::1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            "/var/lib/redis",
            "--logfile",
            "/var/log/redis/ci.log",
        ],
        check=True,
    )
    for _ in range(50):
        if subprocess.run(["redis-cli", "-h", HOST, "ping"], capture_output=True).returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError("Redis did not start")


@pytest.fixture(scope="session")
def tracker_store_url() -> Iterator[str]:
    """A PostgreSQL database for Rasa's tracker store (the production setting)."""
    ensure_postgres_running()
    name = f"werkbot_tracker_{uuid.uuid4().hex[:10]}"
    admin_sql(f'CREATE DATABASE "{name}"')
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, tracker_store_url: str) -> Iterator[Stack]:
    """Real action server and Rasa server on free ports, for the whole session; Rasa
    keeps its dialogue state in PostgreSQL and locks in Redis, as in production."""
    ensure_redis_running()
    env = {
        **clean_env(None),
        "TRACKER_STORE_URL": tracker_store_url,
        "LOCK_STORE_URL": "redis://127.0.0.1:6379/1",
    }
    actions_port, rasa_port = free_port(), free_port()
    rasa_token = secrets.token_hex(16)  # never starts with "-", which argparse would misread
    # the action server reads events from its own database, loaded like `make run` does
    actions_db = f"sqlite:///{tmp_path_factory.mktemp('actions-db')}/werkbot.db"
    load_content(actions_db)
    supervisor = Supervisor(
        [
            actions_spec(
                actions_port, {**env, "DATABASE_URL": actions_db, "WERKBOT_NOW": FIXED_NOW}
            ),
            rasa_spec(rasa_port, actions_port, rasa_token, env),
        ],
        tmp_path_factory.mktemp("logs"),
    )
    supervisor.start()
    try:
        supervisor.wait_healthy(timeout=300)
        actions_url = f"http://{HOST}:{actions_port}/webhook"
        yield Stack(
            supervisor, f"http://{HOST}:{rasa_port}", rasa_token, actions_url, tracker_store_url
        )
    finally:
        supervisor.stop()


def ensure_postgres_running() -> None:
    """Start the local PostgreSQL cluster if it does not answer."""
    if subprocess.run(["pg_isready", "-h", HOST, "-q"], check=False).returncode == 0:
        return
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"],
        check=True,
    )
    subprocess.run(["pg_isready", "-h", HOST, "-t", "30", "-q"], check=True)


async def _execute_admin(sql: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def admin_sql(sql: str) -> None:
    """Run one statement on the `postgres` database.

    In a thread of its own, because a sync Playwright session keeps an event loop
    running in the main thread.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _execute_admin(sql)).result()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A new PostgreSQL database for this session, dropped afterwards."""
    ensure_postgres_running()
    name = f"werkbot_test_{uuid.uuid4().hex[:10]}"
    admin_sql(f'CREATE DATABASE "{name}"')
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_gateway(
    stack: Stack,
    database_url: str,
    log_dir: Path,
    rasa_url: str | None = None,
    extra_env: dict[str, str] | None = None,
) -> tuple[Supervisor, Gateway]:
    """Load guides and events into `database_url`, then start a gateway process wired
    to `rasa_url` (default: the stack's), with `extra_env` over the tests' settings."""
    port = free_port()
    load_content(database_url)
    # advisors are "available" whenever a console is open, whatever the real clock says
    env = {
        **clean_env(None),
        "OFFICE_HOURS": "Mo-So 00:00-24:00",
        "ACTION_SERVER_URL": stack.action_server_url,
        "TRACKER_STORE_URL": stack.tracker_store_url,
        # the tests start hundreds of conversations from 127.0.0.1 (tests/unit/test_limits.py
        # tests the limit)
        "MAX_NEW_CONVERSATIONS_PER_MINUTE": "100000",
        **(extra_env or {}),
    }
    spec = gateway_spec(port, rasa_url or stack.rasa_url, database_url, env)
    supervisor = Supervisor([spec], log_dir)
    supervisor.start()
    supervisor.wait_healthy(timeout=60)
    return supervisor, Gateway(f"http://{HOST}:{port}", database_url)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def gateway(
    request: pytest.FixtureRequest, stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    """The real gateway in front of the real Rasa, on SQLite and on PostgreSQL."""
    extra_env: dict[str, str] = {}
    if request.param == "sqlite":
        database_url = f"sqlite:///{tmp_path_factory.mktemp('db')}/werkbot.db"
    else:
        database_url = request.getfixturevalue("postgres_url")
        # the production setting: PostgreSQL and Redis (pushes, presence, limits, locks)
        ensure_redis_running()
        redis.Redis.from_url(GATEWAY_REDIS_URL).flushdb()
        extra_env = {"REDIS_URL": GATEWAY_REDIS_URL}
    supervisor, running = start_gateway(
        stack, database_url, tmp_path_factory.mktemp("gw"), extra_env=extra_env
    )
    yield running
    supervisor.stop()
