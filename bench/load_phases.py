"""The measured phases of `make bench-load` on one running stack: the settings from the
environment, the people (bench/load_users.py) in a subprocess per phase, and each
phase's throughput, latency, errors and resources; the REST baseline on one instance
set and the fault run (bench/load_faults.py) on two."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.load_faults import (
    SCHEDULE,
    Faults,
    client_counts,
    database_counts,
    in_flight,
    percentiles,
    postgres_ready,
    timeline,
)
from bench.load_stack import ADMIN_DSN, Stack
from bot.config import ROOT
from bot.services import APP_PYTHON, HOST, clean_env


def env_list(name: str, default: str) -> list[int]:
    return [int(part) for part in (os.environ.get(name, default) or "").split(",") if part]


@dataclass(frozen=True)
class Settings:
    seconds: float = float(os.environ.get("LOAD_SECONDS") or 60)
    warmup: float = float(os.environ.get("LOAD_WARMUP") or 10)
    users: tuple[int, ...] = tuple(env_list("LOAD_USERS", "20,50,100"))
    stacks: tuple[int, ...] = tuple(env_list("LOAD_STACKS", "1,2"))
    turns: int = int(os.environ.get("LOAD_TURNS") or 10)
    rest_users: tuple[int, ...] = tuple(env_list("LOAD_REST_USERS", "20"))
    fault: bool = os.environ.get("LOAD_FAULT", "1") != "0"
    fault_seconds: float = float(os.environ.get("LOAD_FAULT_SECONDS") or 120)
    fault_users: int = int(os.environ.get("LOAD_FAULT_USERS") or 100)


def run_users(
    stack: Stack,
    settings: Settings,
    mode: str,
    url: str,
    users: int,
    out: Path,
    seconds: float,
    drain: float,
    on_window: Callable[[float], None] | None = None,
) -> dict[str, Any]:
    """Run bench/load_users.py in a subprocess; its raw results."""
    argv = [
        str(APP_PYTHON),
        "-m",
        "bench.load_users",
        f"--mode={mode}",
        f"--url={url}",
        f"--users={users}",
        f"--seconds={seconds}",
        f"--warmup={settings.warmup}",
        f"--turns={settings.turns}",
        f"--drain={drain}",
        f"--out={out}",
    ]
    log = stack.supervisor.log_dir / f"locust-{out.stem}.log"
    with log.open("w") as errors:
        process = subprocess.Popen(
            argv, cwd=ROOT, env=clean_env(None), stdout=subprocess.PIPE, stderr=errors, text=True
        )
        stack.sampler.extra["load-generator"] = process.pid
        try:
            assert process.stdout is not None
            for line in process.stdout:
                with contextlib.suppress(ValueError):
                    event = json.loads(line)
                    if event.get("event") == "window" and on_window is not None:
                        on_window(float(event["start"]))
            code = process.wait(timeout=seconds + settings.warmup + drain + 120)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            stack.sampler.extra.pop("load-generator", None)
    if code != 0:
        raise RuntimeError(f"bench.load_users endete mit {code}, siehe {log}")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def phase_summary(stack: Stack, raw: dict[str, Any]) -> dict[str, Any]:
    """Throughput, latency, errors and resources of one phase's measured window."""
    start, end = raw["window"]["start"], raw["window"]["end"]
    turns = [t for t in raw["turns"] if start <= t["done"] <= end]
    answers = [t for t in turns if t["kind"] == "answer"]
    seconds = end - start
    names = sorted(stack.sampler.samples)
    processes = {name: stack.sampler.usage(name, start, end) for name in names}
    busy = stack.sampler.machine_busy(start, end)
    return {
        "mode": raw["mode"],
        "users": raw["users"],
        "window_s": round(seconds, 1),
        "turns": len(turns),
        "answered": len(answers),
        "answered_per_s": round(len(answers) / seconds, 2),
        "errors": len(turns) - len(answers),
        "outcomes": dict(Counter(t["kind"] for t in turns)),
        "answers_with_source": sum(1 for t in answers if t["sourced"]),
        "latency": percentiles([t["latency_s"] for t in answers]),
        "after_ack": percentiles([t["after_ack_s"] for t in answers if t["after_ack_s"]]),
        "all_responses": percentiles(
            [t["latency_s"] for t in turns if t["kind"] in ("answer", "notice")]
        ),
        "machine_busy_percent": busy,
        "others_cpu_percent": others(busy, processes),
        "processes": processes,
        "drained": raw["drained"],
        "locust": raw["locust"],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
    }


def others(busy: float | None, processes: dict[str, dict[str, float] | None]) -> float | None:
    """CPU of everything else on the machine (% of one core): busy cores minus ours."""
    if busy is None:
        return None
    ours = sum(usage["cpu_percent"] for usage in processes.values() if usage)
    return round(max(0.0, busy * (os.cpu_count() or 1) - ours), 1)


def print_phase(label: str, phase: dict[str, Any]) -> None:
    latency = phase["latency"]
    print(
        f"  {label}: {phase['users']} Personen: {phase['answered_per_s']} beantwortet/s, "
        f"p50 {latency['p50_ms']} / p95 {latency['p95_ms']} / p99 {latency['p99_ms']} ms, "
        f"Fehler {phase['errors']} {phase['outcomes']}, Maschine {phase['machine_busy_percent']} %",
        flush=True,
    )


def measure_stack(stack: Stack, settings: Settings, scratch: Path) -> dict[str, Any]:
    """The phases of one stack (and the baseline on one instance set, the fault run on
    two)."""
    result: dict[str, Any] = {
        "instances": stack.instances,
        "startup_s": stack.startup_s,
        "startup_notes": stack.startup_notes,
        "phases": [],
    }
    for users in settings.users:
        out = scratch / f"{stack.label}-widget-{users}.json"
        raw = run_users(stack, settings, "widget", stack.ws_url, users, out, settings.seconds, 40)
        phase = phase_summary(stack, raw)
        print_phase(f"Stack {stack.label}", phase)
        result["phases"].append(phase)
        time.sleep(3)
    if stack.instances == 1:
        result["rest_baseline"] = []
        for users in settings.rest_users:
            rasa = f"http://{HOST}:{stack.ports.rasas[0]}"
            out = scratch / f"{stack.label}-rest-{users}.json"
            raw = run_users(stack, settings, "rest", rasa, users, out, settings.seconds, 40)
            phase = phase_summary(stack, raw)
            print_phase("Rasa REST", phase)
            result["rest_baseline"].append(phase)
            time.sleep(3)
    if stack.instances > 1 and settings.fault:
        result["fault"] = fault_run(stack, settings, scratch)
    result["restarts"] = stack.restarts
    return result


def fault_run(stack: Stack, settings: Settings, scratch: Path) -> dict[str, Any]:
    """100 people while instances die and the stores restart; then the database."""
    faults = Faults(stack.supervisor, settings.fault_seconds, ADMIN_DSN, stack.databases)
    out = scratch / f"{stack.label}-fault.json"
    raw = run_users(
        stack,
        settings,
        "fault",
        stack.ws_url,
        settings.fault_users,
        out,
        settings.fault_seconds,
        150,
        on_window=faults.begin,
    )
    faults.join()
    start, end = raw["window"]["start"], raw["window"]["end"]
    conversations = raw["conversations"]
    for _ in range(60):  # the stores are back before the count
        if postgres_ready():
            break
        time.sleep(1)
    result = {
        "users": raw["users"],
        "window_s": round(end - start, 1),
        "drained": raw["drained"],
        "schedule": [
            {"at_s": round(share * settings.fault_seconds), "what": w} for share, w in SCHEDULE
        ],
        "events": faults.events,
        "restarts": [
            {**r, "t": round(r["t"] - start, 1)} for r in stack.restarts if r["t"] >= start
        ],
        "client": client_counts(conversations),
        "in_flight": in_flight(conversations, start, faults.events),
        "database": database_counts(stack.urls["DATABASE_URL"], conversations),
        "timeline": timeline(conversations, start, end + 60),
        "processes": {
            name: stack.sampler.usage(name, start, end) for name in sorted(stack.sampler.samples)
        },
    }
    print(f"  Fehlerlauf: {json.dumps(result['client'], ensure_ascii=False)}", flush=True)
    print(f"  Datenbank: {json.dumps(result['database'], ensure_ascii=False)}", flush=True)
    return result
