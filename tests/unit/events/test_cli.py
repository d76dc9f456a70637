"""`python -m bot events load | import`."""

from pathlib import Path

import pytest

from bot.cli import main
from tests.unit.events.test_ical import CALENDAR


def test_import_is_idempotent_and_names_what_it_skipped(
    tmp_path: Path,
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    calendar = tmp_path / "kalender.ics"
    calendar.write_text(CALENDAR, encoding="utf-8")
    assert main(["events", "import", str(calendar)]) == 0
    first = capsys.readouterr().out
    assert "Kalender importiert: 2 neu, 0 geändert, 0 unverändert, 3 übersprungen." in first
    assert "übersprungen: Ohne UID [–]: keine UID" in first
    assert main(["events", "import", str(calendar)]) == 0
    assert "0 neu, 0 geändert, 2 unverändert" in capsys.readouterr().out


def test_import_refuses_missing_and_broken_files(
    tmp_path: Path,
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert main(["events", "import", str(tmp_path / "fehlt.ics")]) == 1
    broken = tmp_path / "kaputt.ics"
    broken.write_text("das ist kein Kalender", encoding="utf-8")
    assert main(["events", "import", str(broken)]) == 1
    assert "keine gültige iCalendar-Datei" in capsys.readouterr().err


def test_demo_files_load(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    assert main(["events", "load"]) == 0
    assert "Veranstaltungen geladen: " in capsys.readouterr().out
