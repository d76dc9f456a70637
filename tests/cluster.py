"""Session fixture: two gateways behind HAProxy on PostgreSQL and Redis (the
production setting), in front of the session's Rasa and action server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis

from bot.cluster.launcher import ClusterPorts, haproxy_spec
from bot.services import HOST, Supervisor, clean_env, gateway_spec
from tests.integration.test_handoff import add_advisor
from tests.stack import Gateway, Stack, admin_sql, ensure_redis_running, free_port, load_content

REDIS_URL = "redis://127.0.0.1:6379/3"


@dataclass
class Cluster:
    """Two gateways, HAProxy in front, one database and one Redis."""

    supervisor: Supervisor
    front: Gateway
    instances: tuple[Gateway, Gateway]


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])


@pytest.fixture(scope="session")
def cluster(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """HAProxy (free ports) in front of two gateways; Rasa and the action server of
    the session's stack behind HAProxy too."""
    ensure_redis_running()
    redis.Redis.from_url(REDIS_URL).flushdb()
    name = f"werkbot_cluster_{uuid.uuid4().hex[:10]}"
    admin_sql(f'CREATE DATABASE "{name}"')
    database_url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    load_content(database_url)
    add_advisor(database_url, "krause", "--name", "Petra Krause", "--salutation", "Frau")
    ports = ClusterPorts(
        gateway=free_port(),
        rasa=free_port(),
        actions=free_port(),
        stats=free_port(),
        gateways=(free_port(), free_port()),
        rasas=(port_of(stack.rasa_url),),
        action_servers=(port_of(stack.action_server_url),),
    )
    env = {
        **clean_env(None),
        "OFFICE_HOURS": "Mo-So 00:00-24:00",
        "ACTION_SERVER_URL": f"http://{HOST}:{ports.actions}/webhook",
        "TRACKER_STORE_URL": stack.tracker_store_url,
        "REDIS_URL": REDIS_URL,
        "TRUSTED_PROXIES": HOST,
        "PUBLIC_URL": f"http://{HOST}:{ports.gateway}",
        "MAX_NEW_CONVERSATIONS_PER_MINUTE": "100000",
    }
    specs = [haproxy_spec(ports, tmp_path_factory.mktemp("haproxy") / "haproxy.cfg")]
    for number, port in enumerate(ports.gateways, start=1):
        spec = gateway_spec(
            port, f"http://{HOST}:{ports.rasa}", database_url, env, name=f"gateway-{number}"
        )
        specs.append(spec)
    supervisor = Supervisor(specs, tmp_path_factory.mktemp("cluster-logs"))
    supervisor.start()
    try:
        supervisor.wait_healthy(timeout=90)
        one, two = (Gateway(f"http://{HOST}:{p}", database_url) for p in ports.gateways)
        yield Cluster(
            supervisor, Gateway(f"http://{HOST}:{ports.gateway}", database_url), (one, two)
        )
    finally:
        supervisor.stop()
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
