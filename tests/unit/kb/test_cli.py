"""`python -m bot kb …` as the outside checks call it."""

import json
from pathlib import Path

import pytest

from bot.cli import main


def test_search_prints_the_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "search", "--json", "--trade", "friseur", "Kasse mit TSE"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits
    assert set(hits[0]) >= {"id", "title", "topics", "url", "score"}
    assert hits[0]["url"].endswith(f"/wissen/{hits[0]['id']}")
    assert hits == sorted(hits, key=lambda hit: -hit["score"])


def test_search_file_prints_one_list_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = tmp_path / "fragen.txt"
    queries.write_text("E-Rechnung empfangen\n\nWer wird Meister?\nPhishing\n", encoding="utf-8")
    assert main(["kb", "search", "--json", "--file", str(queries)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    results = [json.loads(line) for line in lines]
    assert results[0][0]["topics"] == ["e_rechnung"]
    assert results[1] == []


def test_search_needs_exactly_one_of_query_and_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "search"]) == 2
    assert "genau eines" in capsys.readouterr().err


def test_validate_reports_the_shipped_knowledge_base(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "validate"]) == 0
    assert "Wissensbasis gültig" in capsys.readouterr().out


def test_load_is_idempotent(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert main(["kb", "load"]) == 0
    first = capsys.readouterr().out
    assert main(["kb", "load"]) == 0
    second = capsys.readouterr().out
    assert " 0 neu" in second
    assert "0 geändert, 0 entfernt" in second
    assert "unverändert" in first
    assert first != second
