"""The action server imports no gateway module: shared helpers live in modules both
may use (bot.urls, bot.texts, bot.kb, bot.events …)."""

from __future__ import annotations

import ast
from pathlib import Path

ACTIONS = Path(__file__).resolve().parents[3] / "actions"
GATEWAY_ONLY = (
    "bot.app",
    "bot.routes",
    "bot.pages",
    "bot.views",
    "bot.websocket",
    "bot.chat",
    "bot.handoff",
    "bot.console",
    "bot.channels",
)


def test_actions_import_no_gateway_module() -> None:
    found = []
    for path in sorted(ACTIONS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            found += [
                f"{path.name}: {name}"
                for name in names
                if any(name == m or name.startswith(m + ".") for m in GATEWAY_ONLY)
            ]
    assert found == []
