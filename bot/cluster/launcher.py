"""`python -m bot cluster` (`make run-cluster`): HAProxy in front of two gateways, two
Rasa servers and two action servers, on PostgreSQL and Redis, all on 127.0.0.1.

Every instance reaches the others through HAProxy (the gateways ask Rasa and the
action server there, Rasa calls the action servers there), so any instance may die
and the rest carry on.
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from bot.cluster.haproxy import Backend, config
from bot.config import ROOT
from bot.services import (
    APP_PYTHON,
    HOST,
    ServiceSpec,
    actions_spec,
    clean_env,
    gateway_spec,
    rasa_spec,
)

INSTANCES = 2
DEFAULT_URLS = {
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/werkbot_cluster",
    "TRACKER_STORE_URL": "postgresql://postgres@127.0.0.1:5432/werkbot_cluster_tracker",
    "REDIS_URL": "redis://127.0.0.1:6379/3",
    "LOCK_STORE_URL": "redis://127.0.0.1:6379/4",
}


@dataclass(frozen=True)
class ClusterPorts:
    """HAProxy's frontends (what callers use), its stats page, the instances' ports."""

    gateway: int = 8080
    rasa: int = 5005
    actions: int = 5055
    stats: int = 8404
    gateways: tuple[int, ...] = (8081, 8082)
    rasas: tuple[int, ...] = (5006, 5007)
    action_servers: tuple[int, ...] = (5056, 5057)

    def backends(self) -> list[Backend]:
        """HAProxy's three backends."""
        return [
            Backend("gateway", self.gateway, self.gateways, "/health/live"),
            Backend("rasa", self.rasa, self.rasas, "/"),
            Backend("actions", self.actions, self.action_servers, "/health"),
        ]


def cluster_urls(env: Mapping[str, str]) -> dict[str, str]:
    """The databases and Redis of the cluster: PostgreSQL and Redis from `env` where
    set (SQLite cannot be shared), else local defaults."""
    urls = {}
    for name, default in DEFAULT_URLS.items():
        value = env.get(name) or default
        # what each store must be: PostgreSQL for SQL, Redis for the rest
        scheme = value.split(":")[0].split("+")[0]
        urls[name] = value if scheme == default.split(":")[0] else default
    return urls


def haproxy_spec(ports: ClusterPorts, path: Path) -> ServiceSpec:
    """HAProxy in the foreground with the cluster's configuration written to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config(ports.backends(), ports.stats), encoding="utf-8")
    return ServiceSpec(
        name="haproxy",
        # Debian installs it under /usr/sbin, which a user's PATH may lack
        argv=[shutil.which("haproxy") or "/usr/sbin/haproxy", "-db", "-f", str(path)],
        health_url=f"http://{HOST}:{ports.stats}/health",
    )


def cluster_specs(
    ports: ClusterPorts,
    urls: Mapping[str, str],
    base_env: Mapping[str, str] | None = None,
    rasa_token: str | None = None,
) -> list[ServiceSpec]:
    """HAProxy, then the action servers, Rasa servers and gateways, each numbered."""
    env = {
        **clean_env(base_env),
        **urls,
        "PUBLIC_URL": f"http://{HOST}:{ports.gateway}",
        # the limits count people, not HAProxy
        "TRUSTED_PROXIES": HOST,
    }
    specs = [haproxy_spec(ports, ROOT / "var" / "cluster" / f"haproxy-{ports.gateway}.cfg")]
    for number, port in enumerate(ports.action_servers, start=1):
        specs.append(dataclasses.replace(actions_spec(port, env), name=f"actions-{number}"))
    for number, port in enumerate(ports.rasas, start=1):
        rasa = rasa_spec(port, ports.actions, rasa_token, env)
        specs.append(dataclasses.replace(rasa, name=f"rasa-{number}"))
    gateway_env = {**env, "ACTION_SERVER_URL": f"http://{HOST}:{ports.actions}/webhook"}
    for number, port in enumerate(ports.gateways, start=1):
        rasa_url = f"http://{HOST}:{ports.rasa}"
        gateway = gateway_spec(port, rasa_url, urls["DATABASE_URL"], gateway_env)
        specs.append(dataclasses.replace(gateway, name=f"gateway-{number}"))
    return specs


async def _create_database(url: str) -> None:
    parsed = make_url(url)
    admin = parsed.set(database="postgres", drivername="postgresql")
    connection = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        exists = await connection.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", parsed.database
        )
        if not exists:
            await connection.execute(f'CREATE DATABASE "{parsed.database}"')
    finally:
        await connection.close()


def prepare(urls: Mapping[str, str], base_env: Mapping[str, str] | None = None) -> None:
    """Create the PostgreSQL databases if missing; load guides and events."""
    for name in ("DATABASE_URL", "TRACKER_STORE_URL"):
        asyncio.run(_create_database(urls[name]))
    env = {**clean_env(base_env), "DATABASE_URL": urls["DATABASE_URL"]}
    for command in (["kb", "load"], ["events", "load"]):
        subprocess.run([str(APP_PYTHON), "-m", "bot", *command], env=env, check=True)


def restartable(specs: list[ServiceSpec]) -> tuple[str, ...]:
    """Every instance may be restarted after a crash (they keep no state)."""
    return tuple(spec.name for spec in specs if spec.name != "haproxy")
