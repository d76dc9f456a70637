"""axe-core (npm, installed by `make browsers`) run inside a page: the WCAG 2.1 AA rules
that BITV 2.0 asks for."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from playwright.sync_api import Page

from bot.config import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"critical", "serious"}


@cache
def _source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core fehlt: `make browsers` installiert es")
    return AXE.read_text(encoding="utf-8")


def audit(page: Page, include: str | None = None) -> list[dict[str, Any]]:
    """All violations on the page (or inside the element `include` selects, open shadow
    roots included). Evaluated through the DevTools protocol, so a strict CSP on the
    host page does not stop it."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source())
    context = f"{{include: [[{include!r}]]}}" if include else "document"
    result: dict[str, Any] = page.evaluate(
        f"async () => await axe.run({context}, {{runOnly: {{type: 'tag', values: {TAGS}}}}})"
    )
    return list(result["violations"])


def blocking(violations: list[dict[str, Any]]) -> list[str]:
    """Critical and serious violations, one line each (rule, target, summary)."""
    return [
        f"{v['id']} ({v['impact']}): {node['target']} – {node.get('failureSummary', '')}"
        for v in violations
        if v["impact"] in BLOCKING
        for node in v["nodes"]
    ]


def moderate(violations: list[dict[str, Any]]) -> set[str]:
    """The rule ids of moderate and minor violations (listed with a reason in the docs)."""
    return {v["id"] for v in violations if v["impact"] not in BLOCKING}


def assert_accessible(
    page: Page, include: str | None = None, allowed: frozenset[str] = frozenset()
) -> None:
    """Fail on any critical or serious violation, and on any moderate one not in
    `allowed` (each allowed rule is listed with its reason in docs/accessibility.md)."""
    violations = audit(page, include)
    assert blocking(violations) == []
    assert moderate(violations) <= allowed, moderate(violations) - allowed
