"""The held-out NLU split stays out of the training data."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.config import ROOT

MARKUP = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")


def examples(path: Path) -> set[str]:
    """Example texts of a Rasa NLU file, without entity markup, normalised."""
    texts = set()
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            text = MARKUP.sub(r"\1", line.strip().removeprefix("- "))
            if text:
                texts.add(" ".join(text.lower().split()).strip(" .!?"))
    return texts


def test_no_held_out_example_is_trained_on() -> None:
    training = set().union(*(examples(path) for path in (ROOT / "data" / "nlu").glob("*.yml")))
    heldout = examples(ROOT / "tests" / "nlu" / "heldout.yml")
    assert len(heldout) > 250
    assert sorted(heldout & training) == []
