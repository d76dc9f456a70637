"""Command line: `serve` (gateway only), `run` (all three services), `cluster` (two of
each behind HAProxy), `migrate` (schema only), `kb …` (knowledge),
`events …` (calendar), `advisors …` (console accounts), `privacy …` (erase, export),
`channels …` (messenger webhooks)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import signal
import sys
from collections.abc import Callable, Sequence
from types import FrameType

from aiohttp import web
from dotenv import load_dotenv

from bot.app import create_app
from bot.channels import cli as channels_cli
from bot.cluster import launcher
from bot.config import ROOT, Settings
from bot.db.engine import create_engine
from bot.db.migrate import upgrade_schema
from bot.errors import ConfigError
from bot.events import cli as events_cli
from bot.handoff import cli as advisors_cli
from bot.kb import cli as kb_cli
from bot.privacy import cli as privacy_cli
from bot.services import (
    MODEL,
    Ports,
    Restarter,
    ServiceError,
    Supervisor,
    service_specs,
    supervise,
)

# commands whose output is for people: only warnings from the libraries
QUIET_COMMANDS = {"kb", "events", "advisors", "privacy", "channels"}


def serve(_args: argparse.Namespace) -> int:
    """Run the gateway in this process."""
    settings = Settings.from_env()
    web.run_app(
        create_app(settings),
        host=settings.gateway_host,
        port=settings.gateway_port,
        print=lambda _: None,
    )
    return 0


def run_all(args: argparse.Namespace) -> int:
    """Start Rasa, the action server and the gateway; stop all three on Ctrl-C."""
    env = dict(os.environ)
    # Rasa's HTTP API only on request (RASA_ENABLE_API=1); the gateway does not need it
    enable_api = env.get("RASA_ENABLE_API", "").lower() in {"1", "true", "yes"}
    # hex: a token starting with "-" would be read by Rasa's argparse as an option
    token = (env.get("RASA_AUTH_TOKEN") or secrets.token_hex(24)) if enable_api else None
    settings = Settings.from_env(env)
    ports = Ports.from_env(env)
    if not MODEL.exists():
        print(f"Kein Rasa-Modell unter {MODEL}: bitte `make run` verwenden.", file=sys.stderr)
        return 1
    supervisor = Supervisor(
        service_specs(ports, token, settings.database_url, base_env=env),
        ROOT / "var" / "log",
        keep_days=settings.retention_days,
    )

    def started(ready: dict[str, float]) -> list[str]:
        api = "mit HTTP-API" if enable_api else "nur REST-Kanal, HTTP-API aus"
        return [
            f"werkbot läuft ({', '.join(f'{n} {s:.0f} s' for n, s in ready.items())}):",
            f"  Chat-Seite     http://127.0.0.1:{ports.gateway}/",
            f"  Beraterkonsole http://127.0.0.1:{ports.gateway}/berater"
            "   (Konten: python -m bot advisors add)",
            f"  Rasa           http://127.0.0.1:{ports.rasa}/   ({api})",
            f"  Action-Server  http://127.0.0.1:{ports.actions}/health",
            f"  Datenbank      {settings.database_url}",
        ]

    return run_until_stopped(supervisor, Restarter(supervisor), args.timeout, started)


def run_until_stopped(
    supervisor: Supervisor,
    restarter: Restarter,
    timeout: float,
    started: Callable[[dict[str, float]], list[str]],
) -> int:
    """Start the services, print `started` once all are healthy, restart crashed ones
    until SIGINT/SIGTERM, then stop them all."""
    stopping = False

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    supervisor.start()
    try:
        for line in started(supervisor.wait_healthy(timeout=timeout)):
            print(line)
        print(f"  Logs           {supervisor.log_dir}/   (Strg-C beendet alle Dienste)")
        supervise(supervisor, restarter, lambda: stopping)
        return 0
    except ServiceError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        print("Dienste werden beendet …")
        supervisor.stop()


def migrate(_args: argparse.Namespace) -> int:
    """Bring the database of DATABASE_URL to the newest schema and exit (a deployment's
    migration job; instances starting together wait for each other's migration)."""
    settings = Settings.from_env()

    async def upgrade() -> None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade_schema(engine)
        finally:
            await engine.dispose()

    asyncio.run(upgrade())
    print("Datenbankschema ist aktuell.")
    return 0


def run_cluster(args: argparse.Namespace) -> int:
    """HAProxy in front of two gateways, two Rasa and two action servers, on
    PostgreSQL and Redis; restart crashed instances; stop all on Ctrl-C."""
    if not MODEL.exists():
        print(
            f"Kein Rasa-Modell unter {MODEL}: bitte `make run-cluster` verwenden.", file=sys.stderr
        )
        return 1
    env = dict(os.environ)
    urls = launcher.cluster_urls(env)
    launcher.prepare(urls, env)
    ports = launcher.ClusterPorts()
    specs = launcher.cluster_specs(ports, urls, env)
    supervisor = Supervisor(specs, ROOT / "var" / "log" / "cluster")

    def started(ready: dict[str, float]) -> list[str]:
        return [
            f"werkbot-Cluster läuft ({max(ready.values()):.0f} s bis alle gesund):",
            f"  Chat-Seite     http://127.0.0.1:{ports.gateway}/   (HAProxy, 2 Gateways)",
            f"  Beraterkonsole http://127.0.0.1:{ports.gateway}/berater",
            f"  HAProxy        http://127.0.0.1:{ports.stats}/   (Statistik)",
            f"  Datenbank      {urls['DATABASE_URL']}",
            f"  Redis          {urls['REDIS_URL']}",
        ]

    restarter = Restarter(supervisor, launcher.restartable(specs))
    return run_until_stopped(supervisor, restarter, args.timeout, started)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per job."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="werkbot")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="nur das Gateway starten").set_defaults(func=serve)
    run = commands.add_parser("run", help="Rasa, Action-Server und Gateway starten")
    run.add_argument("--timeout", type=float, default=240.0, help="Sekunden bis gesund")
    run.set_defaults(func=run_all)
    cluster = commands.add_parser("cluster", help="je zwei Instanzen hinter HAProxy starten")
    cluster.add_argument("--timeout", type=float, default=300.0, help="Sekunden bis gesund")
    cluster.set_defaults(func=run_cluster)
    commands.add_parser("migrate", help="Datenbankschema aktualisieren").set_defaults(func=migrate)
    kb_cli.add_parser(commands)
    events_cli.add_parser(commands)
    advisors_cli.add_parser(commands)
    privacy_cli.add_parser(commands)
    channels_cli.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m bot`."""
    load_dotenv(ROOT / ".env")
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.command in QUIET_COMMANDS else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    try:
        result: int = args.func(args)
    except ConfigError as error:
        print(f"Konfigurationsfehler: {error}", file=sys.stderr)
        return 2
    return result
