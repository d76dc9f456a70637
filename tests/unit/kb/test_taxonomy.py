"""The project's copy of the taxonomy must stay the shared contract."""

from pathlib import Path

import pytest

from bot.kb.labels import TRADE_GROUP_LABELS, TRADE_LABELS
from bot.kb.taxonomy import TAXONOMY_FILE, load_taxonomy

SHARED = Path(__file__).resolve().parents[4] / "shared" / "spec" / "taxonomy.yml"


def ids_and_values(text: str) -> list[str]:
    """Lines that carry content, with quotes removed (the copy quotes one value)."""
    return [
        line.replace('"', "")
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ is not beside this checkout")
def test_copy_matches_the_shared_contract() -> None:
    assert ids_and_values(TAXONOMY_FILE.read_text()) == ids_and_values(SHARED.read_text())


def test_taxonomy_has_every_id_of_the_contract() -> None:
    taxonomy = load_taxonomy()
    assert len(taxonomy.intents) == 14
    assert len(taxonomy.trades) == 44
    assert len(taxonomy.topics) == 22
    assert taxonomy.group_of("baecker") == "lebensmittel"
    assert taxonomy.group_of("unbekannt") is None


def test_every_trade_and_group_has_a_german_label() -> None:
    taxonomy = load_taxonomy()
    assert set(TRADE_LABELS) == taxonomy.trades
    assert set(TRADE_GROUP_LABELS) == set(taxonomy.trade_groups)
