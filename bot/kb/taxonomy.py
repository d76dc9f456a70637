"""The shared contract of intents, trades and topics (knowledge_base/taxonomy.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.config import ROOT

TAXONOMY_FILE = ROOT / "knowledge_base" / "taxonomy.yml"


@dataclass(frozen=True)
class Taxonomy:
    """Intent names, trade ids by group, and topic ids with their descriptions."""

    intents: tuple[str, ...]
    trade_groups: dict[str, tuple[str, ...]]
    topics: dict[str, str]

    @property
    def trades(self) -> frozenset[str]:
        """All trade ids."""
        return frozenset(t for group in self.trade_groups.values() for t in group)

    def group_of(self, trade: str) -> str | None:
        """The trade group a trade id belongs to."""
        return next((g for g, members in self.trade_groups.items() if trade in members), None)


@cache
def load_taxonomy(path: Path = TAXONOMY_FILE) -> Taxonomy:
    """Read the taxonomy file once."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Taxonomy(
        intents=tuple(data["intents"]),
        trade_groups={group: tuple(ids) for group, ids in data["trades"].items()},
        topics={topic: str(text) for topic, text in data["topics"].items()},
    )
