"""Starts, watches and stops the three processes: Rasa, the action server, the gateway.

Used by `python -m bot run` (what `make run` starts), by the benchmarks and by the
integration tests, so that all three start the services the same way.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import ROOT
from bot.logfiles import DailyLog, pump
from bot.rasa_endpoints import write_endpoints

RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
APP_PYTHON = ROOT / ".venv" / "bin" / "python"
MODEL = ROOT / "models" / "werkbot.tar.gz"
# log files are kept as long as conversations (RETENTION_DAYS' default)
DEFAULT_KEEP_DAYS = 90


class ServiceError(RuntimeError):
    """A service exited early or did not become healthy in time."""


@dataclass(frozen=True)
class Ports:
    """Ports of the three services on 127.0.0.1."""

    rasa: int = 5005
    actions: int = 5055
    gateway: int = 8080

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Ports:
        """Ports from RASA_PORT, ACTION_SERVER_PORT and GATEWAY_PORT."""
        defaults = cls()
        return cls(
            rasa=int(env.get("RASA_PORT") or defaults.rasa),
            actions=int(env.get("ACTION_SERVER_PORT") or defaults.actions),
            gateway=int(env.get("GATEWAY_PORT") or defaults.gateway),
        )


@dataclass(frozen=True)
class ServiceSpec:
    """How to start one service and how to tell that it is ready."""

    name: str
    argv: list[str]
    health_url: str
    env: dict[str, str] = field(default_factory=dict)


HOST = "127.0.0.1"


def clean_env(base_env: Mapping[str, str] | None) -> dict[str, str]:
    """A copy of the environment without the caller's virtualenv marker."""
    env = dict(os.environ if base_env is None else base_env)
    env.pop("VIRTUAL_ENV", None)
    return env


def actions_spec(port: int, env: Mapping[str, str]) -> ServiceSpec:
    """The rasa-sdk action server serving the `actions` package, in one process
    (actions/__main__.py)."""
    return ServiceSpec(
        name="actions",
        argv=[str(APP_PYTHON), "-m", "actions", "-p", str(port)],
        health_url=f"http://{HOST}:{port}/health",
        env={**env, "SANIC_HOST": HOST},
    )


def rasa_spec(
    port: int,
    actions_port: int,
    api_token: str | None,
    env: Mapping[str, str],
    model: Path = MODEL,
) -> ServiceSpec:
    """The Rasa server with its REST channel, calling the action server on
    `actions_port`, with the tracker and lock store of TRACKER_STORE_URL /
    LOCK_STORE_URL. Its HTTP API (trackers, models) is on only with an `api_token`:
    the gateway needs the REST channel alone; tests and benchmarks read the slots."""
    action_url = f"http://{HOST}:{actions_port}/webhook"
    endpoints = write_endpoints(ROOT / "var" / "rasa" / f"endpoints-{port}.yml", action_url, env)
    # "--auth-token=…": a token that starts with "-" (token_urlsafe) is no option
    api = ["--enable-api", f"--auth-token={api_token}"] if api_token else []
    return ServiceSpec(
        name="rasa",
        # Rasa's command line with our speed-ups (bot/nlu/rasa_speedups.py)
        argv=[
            str(RASA_PYTHON),
            "-m",
            "bot.nlu.rasa_main",
            "run",
            *api,
            "-i",
            HOST,
            "-p",
            str(port),
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(ROOT / "credentials.yml"),
        ],
        health_url=f"http://{HOST}:{port}/",
        # telemetry off for every start, not only where `rasa telemetry disable` ran
        env={**env, "ACTION_SERVER_URL": action_url, "RASA_TELEMETRY_ENABLED": "false"},
    )


def gateway_spec(
    port: int, rasa_url: str, database_url: str, env: Mapping[str, str], name: str = "gateway"
) -> ServiceSpec:
    """The gateway on `port`, forwarding to `rasa_url`, storing in `database_url` (its
    /health also asks the action server of ACTION_SERVER_URL in `env`)."""
    return ServiceSpec(
        name=name,
        argv=[str(APP_PYTHON), "-m", "bot", "serve"],
        # up while it serves, even if Rasa is not (its /health then says "degraded")
        health_url=f"http://{HOST}:{port}/health/live",
        env={
            **env,
            "RASA_URL": rasa_url,
            "DATABASE_URL": database_url,
            "GATEWAY_HOST": HOST,
            "GATEWAY_PORT": str(port),
        },
    )


def service_specs(
    ports: Ports,
    rasa_token: str | None,
    database_url: str,
    base_env: Mapping[str, str] | None = None,
) -> list[ServiceSpec]:
    """The action server, Rasa and the gateway, wired to each other on `ports`."""
    env = clean_env(base_env)
    env.setdefault("PUBLIC_URL", f"http://{HOST}:{ports.gateway}")
    return [
        # the action server reads the events of the same database
        actions_spec(ports.actions, {**env, "DATABASE_URL": database_url}),
        rasa_spec(ports.rasa, ports.actions, rasa_token, env),
        gateway_spec(
            ports.gateway,
            f"http://{HOST}:{ports.rasa}",
            database_url,
            {**env, "ACTION_SERVER_URL": f"http://{HOST}:{ports.actions}/webhook"},
        ),
    ]


def is_healthy(url: str) -> bool:
    """True if `url` answers 200 within a second."""
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


class Supervisor:
    """Runs a set of services as child processes with their logs under `log_dir`,
    kept for `keep_days` days (the retention period) and rolled over daily."""

    def __init__(
        self, specs: list[ServiceSpec], log_dir: Path, keep_days: int = DEFAULT_KEEP_DAYS
    ) -> None:
        self.specs = {spec.name: spec for spec in specs}
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.log_dir = log_dir
        self.keep_days = keep_days
        self._logs: dict[str, DailyLog] = {}
        self._pumps: dict[str, list[threading.Thread]] = {}

    def log_path(self, name: str) -> Path:
        """Where the output of service `name` goes."""
        return self.log_dir / f"{name}.log"

    def start(self, *names: str) -> None:
        """Start the named services (all if none is named)."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for name in names or tuple(self.specs):
            spec = self.specs[name]
            if name not in self._logs:
                self._logs[name] = DailyLog(self.log_path(name), self.keep_days)
            process = subprocess.Popen(
                spec.argv,
                env=spec.env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self.processes[name] = process
            assert process.stdout is not None
            copier = threading.Thread(
                target=pump, args=(process.stdout, self._logs[name]), daemon=True
            )
            copier.start()
            alive = [t for t in self._pumps.get(name, []) if t.is_alive()]
            self._pumps[name] = [*alive, copier]

    def roll_logs(self) -> None:
        """Start the new day's log files and delete those past the retention period
        (the logs also roll over at the first line of a new day)."""
        for log in self._logs.values():
            log.roll()

    def wait_healthy(self, *names: str, timeout: float = 240.0) -> dict[str, float]:
        """Wait until each named service is healthy; return seconds each took."""
        started = time.monotonic()
        pending = set(names or self.processes)
        ready: dict[str, float] = {}
        while pending:
            for name in sorted(pending):
                if self.processes[name].poll() is not None:
                    raise ServiceError(f"{name} exited early:\n{self.log_tail(name)}")
                if is_healthy(self.specs[name].health_url):
                    ready[name] = time.monotonic() - started
                    pending.discard(name)
            if pending and time.monotonic() - started > timeout:
                tails = "\n".join(self.log_tail(name) for name in pending)
                raise ServiceError(f"not healthy after {timeout:.0f} s: {pending}\n{tails}")
            if pending:
                time.sleep(0.25)
        return ready

    def log_tail(self, name: str, lines: int = 30) -> str:
        """The last lines of a service's log."""
        path = self.log_path(name)
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, *names: str, grace: float = 15.0) -> None:
        """Terminate the named services (all if none is named), killing after `grace`."""
        chosen = [n for n in (names or tuple(self.processes)) if n in self.processes]
        for name in chosen:
            if self.processes[name].poll() is None:
                os.killpg(self.processes[name].pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for name in chosen:
            process = self.processes.pop(name)
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        # the last lines reach the files before the logs are closed
        for name in chosen:
            for copier in self._pumps.pop(name, []):
                copier.join(timeout=5)
        if not self.processes:
            for log in self._logs.values():
                log.close()
            self._logs.clear()

    def first_exited(self) -> str | None:
        """Name of a service whose process has ended, if any."""
        return next((n for n, p in self.processes.items() if p.poll() is not None), None)


def supervise(supervisor: Supervisor, restarter: Restarter, stopping: Callable[[], bool]) -> None:
    """Restart crashed services and roll the logs until `stopping()` says so."""
    while not stopping():
        for note in restarter.tick():
            print(note, file=sys.stderr)
        supervisor.roll_logs()
        time.sleep(0.5)


class Restarter:
    """Restarts a crashed Rasa or action server with backoff (1, 2, 4 … 60 s); the
    gateway stays up meanwhile and its /health says "degraded". A service that runs
    for STABLE_SECONDS after a restart starts over at the first delay."""

    RESTARTABLE = ("rasa", "actions")
    FIRST_DELAY = 1.0
    MAX_DELAY = 60.0
    STABLE_SECONDS = 300.0

    def __init__(self, supervisor: Supervisor, restartable: tuple[str, ...] = RESTARTABLE) -> None:
        self._supervisor = supervisor
        self._restartable = restartable
        self._delay: dict[str, float] = {}
        self._due: dict[str, float] = {}
        self._restarted_at: dict[str, float] = {}

    def tick(self, now: float | None = None) -> list[str]:
        """Schedule restarts of exited services and start those that are due; what
        happened, for the log. Raises ServiceError if a service that cannot be
        restarted (the gateway) has exited."""
        now = time.monotonic() if now is None else now
        notes = []
        for name, process in list(self._supervisor.processes.items()):
            if process.poll() is None:
                if now - self._restarted_at.get(name, now) >= self.STABLE_SECONDS:
                    self._delay.pop(name, None)
                    self._restarted_at.pop(name, None)
                continue
            if name in self._due:
                continue
            if name not in self._restartable:
                raise ServiceError(f"{name} exited:\n{self._supervisor.log_tail(name)}")
            delay = self._delay.get(name, self.FIRST_DELAY)
            self._due[name] = now + delay
            self._delay[name] = min(delay * 2, self.MAX_DELAY)
            notes.append(
                f"{name} wurde beendet (Code {process.returncode}); Neustart in {delay:.0f} s"
            )
        for name, due in list(self._due.items()):
            if due <= now:
                del self._due[name]
                self._supervisor.start(name)
                self._restarted_at[name] = now
                notes.append(f"{name} wird neu gestartet")
        return notes
