"""Load benchmark (`make bench-load`): HAProxy in front of one and then two instance
sets (gateway, Rasa, action server) on PostgreSQL and Redis, as `make run-cluster`
starts them; 20, 50 and 100 people asking knowledge questions in the chat widget at
the same time (closed loop, no think time, 10 turns per conversation).

Per stack and number of people: answered messages per second, latency (send → first
reply bubble) p50/p95/p99, errors, CPU and RSS per process. In the same run, the
baseline: 20 people straight to Rasa's REST channel. Then, on two instance sets, the
fault run: 100 people while one gateway, one Rasa and one action server are killed
(SIGKILL) and PostgreSQL and Redis restart; afterwards the database is checked against
what the people sent (lost, duplicated, out of order, unanswered).

The people are simulated by locust (bench/load_users.py) in a subprocess of its own.
Fresh databases werkbot_bench_<hex> (dropped afterwards), Redis databases 5 and 6
(flushed). Settings from the environment: LOAD_SECONDS (measured seconds per phase,
60), LOAD_WARMUP (10), LOAD_USERS ("20,50,100"), LOAD_STACKS ("1,2"), LOAD_TURNS (10),
LOAD_REST_USERS ("20"; empty: no baseline), LOAD_FAULT ("1"; "0": no fault run),
LOAD_FAULT_SECONDS (120), LOAD_FAULT_USERS (100). Writes bench/results/load.json and
load.md; service logs under var/log/bench-load/<time>/.

This module runs it (main); the parts: bench/load_stack.py (stacks and databases),
bench/load_sampling.py (CPU and RSS), bench/load_phases.py (the measured phases),
bench/load_machine.py (machine and code state), bench/load_report.py and
bench/load_report_fault.py (load.md).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Any

from bench.load_machine import code_state, machine, wait_for_quiet
from bench.load_phases import Settings, measure_stack
from bench.load_report import TARGET, markdown, target_check
from bench.load_stack import LIMITS, running_stack
from bench.report import RESULTS, save
from bot.config import ROOT


def main() -> None:
    if sys.argv[1:] == ["--report-only"]:  # the Markdown again from load.json
        stored = json.loads((RESULTS / "load.json").read_text(encoding="utf-8"))
        save("load", stored, markdown(stored))
        return
    settings = Settings()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    log_root = ROOT / "var" / "log" / "bench-load" / stamp
    scratch = ROOT / "var" / "bench-load" / stamp
    scratch.mkdir(parents=True, exist_ok=True)
    loadavg = wait_for_quiet()
    code = code_state()
    started = datetime.now(UTC)
    stacks: dict[str, Any] = {}
    fault: dict[str, Any] | None = None
    for instances in settings.stacks:
        label = "A" if instances == 1 else "B"
        print(f"Stack {label}: {instances} Instanz(en) je Dienst …", flush=True)
        with running_stack(instances, log_root / f"stack-{label}") as stack:
            measured = measure_stack(stack, settings, scratch)
        fault = measured.pop("fault", None) or fault
        stacks[label] = measured
    results: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "code": code,
        "loadavg_start": loadavg,
        "settings": {
            "seconds": settings.seconds,
            "warmup": settings.warmup,
            "users": list(settings.users),
            "turns": settings.turns,
            "rest_users": list(settings.rest_users),
            "fault_seconds": settings.fault_seconds if settings.fault else None,
            "limits": LIMITS,
        },
        "logs": str(log_root.relative_to(ROOT)),
        "stacks": stacks,
        "target": TARGET,
        "target_check": target_check(stacks),
        "fault": fault,
    }
    save("load", results, markdown(results))


if __name__ == "__main__":
    main()
