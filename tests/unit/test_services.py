"""The supervisor that `make run`, the benchmarks and the integration tests share."""

import argparse
import sys
from pathlib import Path

import pytest

from bot.rasa_endpoints import endpoints
from bot.services import (
    Ports,
    Restarter,
    ServiceError,
    ServiceSpec,
    Supervisor,
    clean_env,
    service_specs,
)
from tests.stack import free_port


def test_ports_from_environment() -> None:
    assert Ports.from_env({}) == Ports(5005, 5055, 8080)
    assert Ports.from_env({"RASA_PORT": "6005", "GATEWAY_PORT": "9090"}) == Ports(6005, 5055, 9090)


def test_services_are_wired_to_each_other_on_loopback() -> None:
    actions, rasa, gateway = service_specs(
        Ports(6005, 6055, 9090), "geheim", "sqlite:///x.db", {"PATH": "/bin", "VIRTUAL_ENV": "v"}
    )
    assert actions.env["SANIC_HOST"] == "127.0.0.1"
    assert actions.health_url == "http://127.0.0.1:6055/health"
    assert rasa.env["ACTION_SERVER_URL"] == "http://127.0.0.1:6055/webhook"
    assert rasa.env["RASA_TELEMETRY_ENABLED"] == "false"
    # Rasa's command line with our speed-ups first (bot/nlu/rasa_main.py)
    assert rasa.argv[1:4] == ["-m", "bot.nlu.rasa_main", "run"]
    assert rasa.argv[6:10] == ["-i", "127.0.0.1", "-p", "6005"]
    assert "--enable-api" in rasa.argv
    assert "--auth-token=geheim" in rasa.argv
    assert gateway.env["RASA_URL"] == "http://127.0.0.1:6005"
    _, without_api, _ = service_specs(Ports(6005, 6055, 9090), None, "sqlite:///x.db", {})
    assert "--enable-api" not in without_api.argv
    assert not any(arg.startswith("--auth-token") for arg in without_api.argv)
    assert gateway.env["DATABASE_URL"] == "sqlite:///x.db"
    assert gateway.env["GATEWAY_PORT"] == "9090"
    assert actions.env["PUBLIC_URL"] == "http://127.0.0.1:9090"
    assert "VIRTUAL_ENV" not in clean_env({"VIRTUAL_ENV": "v"})


def http_server(port: int) -> ServiceSpec:
    return ServiceSpec(
        name="web",
        argv=[sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        health_url=f"http://127.0.0.1:{port}/",
    )


def test_supervisor_starts_waits_and_stops(tmp_path: Path) -> None:
    supervisor = Supervisor([http_server(free_port())], tmp_path)
    supervisor.start()
    try:
        ready = supervisor.wait_healthy(timeout=20)
        assert set(ready) == {"web"}
        assert supervisor.first_exited() is None
    finally:
        supervisor.stop()
    assert supervisor.processes == {}


def test_supervisor_reports_an_early_exit_with_its_log(tmp_path: Path) -> None:
    failing = ServiceSpec(
        name="broken",
        argv=[sys.executable, "-c", "print('kaputt'); raise SystemExit(3)"],
        health_url="http://127.0.0.1:9/",
    )
    supervisor = Supervisor([failing], tmp_path)
    supervisor.start()
    with pytest.raises(ServiceError, match="broken exited early"):
        supervisor.wait_healthy(timeout=20)
    assert "kaputt" in supervisor.log_tail("broken")
    supervisor.stop()


def test_rasa_keeps_its_dialogue_state_in_sqlite_by_default() -> None:
    config = endpoints("http://127.0.0.1:5055/webhook", {})
    assert config["action_endpoint"] == {"url": "http://127.0.0.1:5055/webhook"}
    assert config["tracker_store"]["type"] == "SQL"
    assert config["tracker_store"]["dialect"] == "sqlite"
    assert "lock_store" not in config


def test_production_tracker_and_lock_store() -> None:
    env = {
        "TRACKER_STORE_URL": "postgresql://werkbot:geheim@db.example:5433/tracker",
        "LOCK_STORE_URL": "redis://:pw@cache.example:6380/2",
    }
    config = endpoints("http://a/webhook", env)
    assert config["tracker_store"] == {
        "type": "SQL",
        "dialect": "postgresql",
        "url": "db.example",
        "port": 5433,
        "db": "tracker",
        "username": "werkbot",
        "password": "geheim",
    }
    assert config["lock_store"] == {
        "type": "redis",
        "url": "cache.example",
        "port": 6380,
        "db": 2,
        "key_prefix": "werkbot",
        "password": "pw",
    }


def test_a_crashed_rasa_is_restarted_with_backoff_the_gateway_is_not(tmp_path: Path) -> None:
    crash = [sys.executable, "-c", "raise SystemExit(3)"]
    specs = [
        ServiceSpec(name="rasa", argv=crash, health_url="http://127.0.0.1:9/", env={}),
        ServiceSpec(name="gateway", argv=crash, health_url="http://127.0.0.1:9/", env={}),
    ]
    supervisor = Supervisor(specs, tmp_path)
    supervisor.start("rasa")
    supervisor.processes["rasa"].wait()
    restarter = Restarter(supervisor)
    assert restarter.tick(now=100.0) == ["rasa wurde beendet (Code 3); Neustart in 1 s"]
    assert restarter.tick(now=100.5) == []
    assert restarter.tick(now=101.0) == ["rasa wird neu gestartet"]
    supervisor.processes["rasa"].wait()
    assert restarter.tick(now=102.0) == ["rasa wurde beendet (Code 3); Neustart in 2 s"]
    supervisor.start("gateway")
    supervisor.processes["gateway"].wait()
    with pytest.raises(ServiceError, match="gateway exited"):
        restarter.tick(now=103.0)
    supervisor.stop()


def test_the_backoff_starts_over_once_a_restarted_service_stays_up(tmp_path: Path) -> None:
    crash = [sys.executable, "-c", "raise SystemExit(3)"]
    supervisor = Supervisor(
        [ServiceSpec(name="rasa", argv=crash, health_url="http://127.0.0.1:9/", env={})], tmp_path
    )
    supervisor.start("rasa")
    supervisor.processes["rasa"].wait()
    restarter = Restarter(supervisor)
    assert restarter.tick(now=0.0) == ["rasa wurde beendet (Code 3); Neustart in 1 s"]
    assert restarter.tick(now=1.0) == ["rasa wird neu gestartet"]
    supervisor.processes["rasa"].wait()
    assert restarter.tick(now=2.0) == ["rasa wurde beendet (Code 3); Neustart in 2 s"]
    stays_up = [sys.executable, "-c", "import time; time.sleep(60)"]
    supervisor.specs["rasa"] = ServiceSpec("rasa", stays_up, "http://127.0.0.1:9/", {})
    assert restarter.tick(now=4.0) == ["rasa wird neu gestartet"]
    assert restarter.tick(now=4.0 + Restarter.STABLE_SECONDS) == []
    supervisor.processes["rasa"].kill()
    supervisor.processes["rasa"].wait()
    assert restarter.tick(now=400.0) == ["rasa wurde beendet (Code -9); Neustart in 1 s"]
    supervisor.stop()


def test_a_services_output_reaches_its_log_file(tmp_path: Path) -> None:
    talk = [sys.executable, "-c", "print('erste Zeile'); print('zweite Zeile')"]
    supervisor = Supervisor(
        [ServiceSpec(name="actions", argv=talk, health_url="http://127.0.0.1:9/", env={})],
        tmp_path,
        keep_days=7,
    )
    supervisor.start()
    supervisor.processes["actions"].wait()
    supervisor.stop()
    assert supervisor.log_tail("actions").splitlines() == ["erste Zeile", "zweite Zeile"]


def test_a_token_that_starts_with_a_dash_reaches_rasa_as_the_token() -> None:
    """token_urlsafe() starts with "-" about once in 64 draws; passed as a separate
    argument, Rasa's argparse took it for an option and exited (a benchmark run died)."""
    _, rasa, _ = service_specs(Ports(6005, 6055, 9090), "-x7Q", "sqlite:///x.db", {})
    parser = argparse.ArgumentParser()
    parser.add_argument("-t", "--auth-token")
    parser.add_argument("--enable-api", action="store_true")
    known, _ = parser.parse_known_args([a for a in rasa.argv if a.startswith("--")])
    assert known.auth_token == "-x7Q"
