"""Service logs roll over daily and are kept no longer than the retention period."""

from __future__ import annotations

import io
import os
from datetime import date, datetime, time, timedelta
from pathlib import Path

from bot.logfiles import DailyLog, pump


class Clock:
    """A settable `today`."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


def test_each_day_gets_its_own_file(tmp_path: Path) -> None:
    clock = Clock(date(2026, 12, 1))
    log = DailyLog(tmp_path / "gateway.log", keep_days=90, today=clock)
    log.write(b"am ersten\n")
    clock.day = date(2026, 12, 2)
    log.write(b"am zweiten\n")
    log.close()
    assert (tmp_path / "gateway.log.2026-12-01").read_bytes() == b"am ersten\n"
    assert (tmp_path / "gateway.log").read_bytes() == b"am zweiten\n"


def test_days_past_the_retention_period_are_deleted_even_without_new_lines(
    tmp_path: Path,
) -> None:
    clock = Clock(date(2026, 12, 1))
    log = DailyLog(tmp_path / "rasa.log", keep_days=3, today=clock)
    for offset in range(3):
        clock.day = date(2026, 12, 1) + timedelta(days=offset)
        log.write(f"Tag {offset}\n".encode())
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "rasa.log",
        "rasa.log.2026-12-01",
        "rasa.log.2026-12-02",
    ]
    clock.day = date(2026, 12, 5)  # nothing written since the 3rd
    log.roll()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rasa.log", "rasa.log.2026-12-03"]
    assert (tmp_path / "rasa.log").read_bytes() == b""
    (tmp_path / "rasa.log.notes").write_text("kein Tagesprotokoll")
    clock.day = date(2026, 12, 9)
    log.roll()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rasa.log", "rasa.log.notes"]
    log.close()


def test_a_file_left_from_an_earlier_day_rolls_over_at_start(tmp_path: Path) -> None:
    path = tmp_path / "actions.log"
    path.write_bytes(b"von gestern\n")
    yesterday = date.today() - timedelta(days=1)
    noon = datetime.combine(yesterday, time(12)).timestamp()
    os.utime(path, (noon, noon))
    log = DailyLog(path, keep_days=90)
    log.write(b"von heute\n")
    log.close()
    assert (tmp_path / f"actions.log.{yesterday.isoformat()}").read_bytes() == b"von gestern\n"
    assert path.read_bytes() == b"von heute\n"


def test_pump_copies_every_line(tmp_path: Path) -> None:
    log = DailyLog(tmp_path / "x.log", keep_days=1)
    pump(io.BytesIO(b"eins\nzwei\ndrei ohne Zeilenende"), log)
    log.close()
    assert (tmp_path / "x.log").read_bytes() == b"eins\nzwei\ndrei ohne Zeilenende"


def test_a_day_rolled_twice_keeps_both_parts(tmp_path: Path) -> None:
    clock = Clock(date(2026, 12, 1))
    (tmp_path / "gateway.log.2026-12-01").write_bytes(b"erster Teil\n")
    log = DailyLog(tmp_path / "gateway.log", keep_days=90, today=clock)
    log.write(b"zweiter Teil\n")
    clock.day = date(2026, 12, 2)
    log.roll()
    log.close()
    assert (tmp_path / "gateway.log.2026-12-01").read_bytes() == b"erster Teil\nzweiter Teil\n"
