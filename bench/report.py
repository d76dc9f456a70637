"""Writing a benchmark's results: bench/results/<name>.json and <name>.md."""

from __future__ import annotations

import json
from typing import Any

from bot.config import ROOT

RESULTS = ROOT / "bench" / "results"


def save(name: str, results: dict[str, Any], text: str) -> None:
    """Write the results as JSON and their Markdown table, and print the table."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (RESULTS / f"{name}.md").write_text(text, encoding="utf-8")
    print(text)
