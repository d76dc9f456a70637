"""Service logs kept no longer than the retention period: today's lines in
`NAME.log`, each earlier day in `NAME.log.YYYY-MM-DD`, days past `keep_days` deleted.

Log lines can name a conversation (its id in an error, say), so they follow the same
retention as the conversation itself (docs/privacy.md).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO

DAY_SUFFIX = re.compile(r"\.(\d{4}-\d{2}-\d{2})$")


class DailyLog:
    """One service's log file, rolled over at the first write or check of a new day."""

    def __init__(self, path: Path, keep_days: int, today: Callable[[], date] = date.today) -> None:
        self.path = path
        self.keep_days = keep_days
        self._today = today
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._day = (
            datetime.fromtimestamp(path.stat().st_mtime).date() if path.exists() else today()
        )
        self._file: IO[bytes] = path.open("ab")
        self.roll()

    def write(self, data: bytes) -> None:
        """Append `data` (one or more whole lines) to today's file."""
        with self._lock:
            self._roll_locked()
            self._file.write(data)
            self._file.flush()

    def roll(self) -> None:
        """Start a new file if the day changed, and delete the days past `keep_days`."""
        with self._lock:
            self._roll_locked()

    def close(self) -> None:
        """Close today's file."""
        with self._lock:
            self._file.close()

    def _roll_locked(self) -> None:
        today = self._today()
        if today == self._day:
            return
        self._file.close()
        if self.path.exists() and self.path.stat().st_size:
            earlier = self.path.with_name(f"{self.path.name}.{self._day.isoformat()}")
            with earlier.open("ab") as target:  # never overwrite a day already rolled
                target.write(self.path.read_bytes())
            self.path.unlink()
        self._file = self.path.open("ab")
        self._day = today
        self.sweep()

    def sweep(self) -> list[Path]:
        """Delete the earlier days' files that are `keep_days` or more days old."""
        oldest_kept = self._today() - timedelta(days=self.keep_days - 1)
        deleted = []
        for candidate in self.path.parent.glob(f"{self.path.name}.*"):
            match = DAY_SUFFIX.search(candidate.name)
            if match and date.fromisoformat(match.group(1)) < oldest_kept:
                candidate.unlink(missing_ok=True)
                deleted.append(candidate)
        return deleted


def pump(stream: IO[bytes], log: DailyLog) -> None:
    """Copy a child process's output into `log` line by line until it closes."""
    with stream:
        for line in iter(stream.readline, b""):
            log.write(line)
