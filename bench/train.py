"""Training-time benchmark: full Rasa trainings, interleaved, against a baseline.

A full training on this machine varies by up to ±20 % from run to run, so one
measurement decides nothing. Each round trains every variant once, in
turn, with an empty training cache; the table gives median, minimum and maximum:

- `make train`: the command of the Makefile (config.yml, validation left to
  `make validate`, which `make test` runs before it),
- `rasa train --force`: the same config with Rasa's own validation,
- baseline: `rasa train --force` with the DIET epochs of the previous config.

Writes bench/results/train.json and train.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from bench.report import save
from bot.config import ROOT

RASA = str(ROOT / ".venv-rasa" / "bin" / "rasa")
BASELINE_EPOCHS = 60


def with_epochs(config: Path, epochs: int, target: Path) -> Path:
    """A copy of `config` whose DIETClassifier trains for `epochs` epochs."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for component in data["pipeline"]:
        if component["name"] == "DIETClassifier":
            component["epochs"] = epochs
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def diet_epochs(config: Path) -> int:
    """The DIET epochs of a config."""
    pipeline = yaml.safe_load(config.read_text(encoding="utf-8"))["pipeline"]
    return int(next(c["epochs"] for c in pipeline if c["name"] == "DIETClassifier"))


def train(config: Path, out: Path, *extra: str) -> float:
    """Seconds of one full training with an empty cache."""
    cache = out / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "RASA_CACHE_DIRECTORY": str(cache),
    }
    argv = [RASA, "train", "--config", str(config), "--out", str(out), "--quiet", *extra]
    started = time.monotonic()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.monotonic() - started


def run(rounds: int) -> dict[str, Any]:
    """Train every variant `rounds` times, interleaved."""
    config = ROOT / "config.yml"
    seconds: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        baseline = with_epochs(config, BASELINE_EPOCHS, work / "baseline.yml")
        variants = {
            "make train": (config, ("--force", "--skip-validation")),
            "rasa train --force": (config, ("--force",)),
            f"baseline: {BASELINE_EPOCHS} epochs, rasa train --force": (baseline, ("--force",)),
        }
        for _ in range(rounds):
            for name, (path, extra) in variants.items():
                seconds.setdefault(name, []).append(round(train(path, work, *extra), 1))
    return {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "epochs": diet_epochs(config),
        "rounds": rounds,
        "seconds": seconds,
    }


def markdown(results: dict[str, Any]) -> str:
    """The results as a table."""
    lines = [
        "# Training-time benchmark",
        "",
        f"Measured {results['date']} (`make bench-train`), {results['rounds']} interleaved "
        f"rounds, empty training cache each time. config.yml: {results['epochs']} DIET epochs.",
        "",
        "| variant | median s | min s | max s | runs |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, values in results["seconds"].items():
        lines.append(
            f"| {name} | {statistics.median(values):.1f} | {min(values):.1f} | "
            f"{max(values):.1f} | {', '.join(f'{v:.1f}' for v in values)} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run and write bench/results/train.json and train.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results = run(args.rounds)
    save("train", results, markdown(results))


if __name__ == "__main__":
    main()
