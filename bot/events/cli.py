"""`python -m bot events load | import FILE.ics`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.config import Settings
from bot.db.engine import create_engine
from bot.events.ical import read_calendar
from bot.events.schema import Event, EventFileError, load_event_files
from bot.events.store import UpsertReport, upsert_events


def _upsert(events: list[tuple[Event, str]], origin: str) -> UpsertReport:
    async def run() -> UpsertReport:
        engine = create_engine(Settings.from_env().database_url)
        try:
            return await upsert_events(engine, events, origin)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _summary(report: UpsertReport) -> str:
    return f"{report.added} neu, {report.updated} geändert, {report.unchanged} unverändert"


def load(_args: argparse.Namespace) -> int:
    """Load the event files of knowledge_base/events/ into the database."""
    try:
        events = load_event_files()
    except EventFileError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Veranstaltungen geladen: {_summary(_upsert([(e, e.id) for e in events], 'datei'))}.")
    return 0


def import_ics(args: argparse.Namespace) -> int:
    """Import an iCalendar file; idempotent by UID; report what was skipped and why."""
    path = Path(args.file)
    if not path.is_file():
        print(f"Datei nicht gefunden: {path}", file=sys.stderr)
        return 1
    try:
        events, skipped = read_calendar(path, args.organiser)
    except ValueError as error:
        print(f"{path.name} ist keine gültige iCalendar-Datei: {error}", file=sys.stderr)
        return 1
    print(f"Kalender importiert: {_summary(_upsert(events, 'ical'))}, {len(skipped)} übersprungen.")
    for entry in skipped:
        print(f"  übersprungen: {entry.summary or '(ohne Titel)'} [{entry.uid}]: {entry.reason}")
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `events` and its sub-commands."""
    events = commands.add_parser("events", help="Veranstaltungen laden und importieren")
    sub = events.add_subparsers(dest="events_command", required=True)
    sub.add_parser("load", help="knowledge_base/events/ in die Datenbank").set_defaults(func=load)
    importer = sub.add_parser("import", help="iCalendar-Export (.ics) importieren")
    importer.add_argument("file", help="Pfad der .ics-Datei")
    importer.add_argument("--organiser", default="Handwerkskammer", help="Veranstalter")
    importer.set_defaults(func=import_ics)
