"""`python -m bot privacy erase | export | purge`: the data protection officer's tools."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.curation.pruning import prune_items
from bot.db.engine import create_engine, session_factory
from bot.db.migrate import upgrade_schema
from bot.privacy.audit import ERASE_REASONS, AuditLog
from bot.privacy.export import export_conversation, find_conversation, handoff_of
from bot.privacy.retention import erase, purge_expired
from bot.privacy.tracker import TrackerEvents

T = TypeVar("T")
Job = Callable[[async_sessionmaker[AsyncSession], TrackerEvents], Awaitable[T]]


async def _with_stores(settings: Settings, job: Job[T]) -> T:
    engine = create_engine(settings.database_url)
    tracker = TrackerEvents.from_url(settings.tracker_store_url)
    try:
        await upgrade_schema(engine)
        return await job(session_factory(engine), tracker)
    finally:
        await tracker.close()
        await engine.dispose()


def _erase(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    conversation_id = asyncio.run(
        _with_stores(settings, lambda sessions, _: find_conversation(sessions, args.reference))
    )
    if conversation_id is None:
        print(f"Kein Gespräch und kein Ticket {args.reference!r} gefunden.", file=sys.stderr)
        return 1
    question = f"Gespräch {conversation_id} überall löschen (Gateway und Rasa)? [j/N] "
    if not args.yes and input(question).strip().lower() not in {"j", "ja", "y", "yes"}:
        print("Nichts gelöscht.")
        return 1

    async def job(sessions: async_sessionmaker[AsyncSession], tracker: TrackerEvents) -> None:
        await AuditLog(sessions).record(
            "erase",
            actor="cli",
            handoff_id=await handoff_of(sessions, args.reference),
            reason=args.reason,
        )
        await erase(sessions, tracker, conversation_id)

    asyncio.run(_with_stores(settings, job))
    print(f"Gespräch {conversation_id} gelöscht.")
    return 0


def _export(args: argparse.Namespace) -> int:
    settings = Settings.from_env()

    async def job(
        sessions: async_sessionmaker[AsyncSession], tracker: TrackerEvents
    ) -> dict[str, Any] | None:
        conversation_id = await find_conversation(sessions, args.reference)
        if conversation_id is None:
            return None
        handoff_id = await handoff_of(sessions, args.reference)
        await AuditLog(sessions).record("export", actor="cli", handoff_id=handoff_id)
        return await export_conversation(sessions, tracker, conversation_id)

    data = asyncio.run(_with_stores(settings, job))
    if data is None:
        print(f"Kein Gespräch und kein Ticket {args.reference!r} gefunden.", file=sys.stderr)
        return 1
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
        print(f"Auskunft geschrieben: {args.output}")
    else:
        print(text)
    return 0


def _purge(_args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    now = datetime.now(UTC)
    cutoff = now - timedelta(days=settings.retention_days)
    queue_cutoff = now - timedelta(days=settings.curation_retention_days)

    async def job(
        sessions: async_sessionmaker[AsyncSession], tracker: TrackerEvents
    ) -> tuple[int, int]:
        pruned = await prune_items(sessions, queue_cutoff)
        return len(await purge_expired(sessions, tracker, cutoff)), pruned

    erased, pruned = asyncio.run(_with_stores(settings, job))
    print(f"{erased} Gespräche älter als {settings.retention_days} Tage gelöscht.")
    print(
        f"{pruned} {'Frage' if pruned == 1 else 'Fragen'} der Redaktions-Warteschlange älter als "
        f"{settings.curation_retention_days} Tage gelöscht."
    )
    return 0


def _audit(args: argparse.Namespace) -> int:
    since = datetime.now(UTC) - timedelta(days=args.days)
    entries = asyncio.run(
        _with_stores(Settings.from_env(), lambda sessions, _: AuditLog(sessions).entries(since))
    )
    print("Zeitpunkt (UTC)\tWer\tBerater-Id\tAktion\tVorgangs-Id\tGrund")
    for entry in entries:
        advisor = "" if entry.advisor_id is None else str(entry.advisor_id)
        handoff = "" if entry.handoff_id is None else str(entry.handoff_id)
        reason = ERASE_REASONS.get(entry.reason or "", "")
        when = entry.at.strftime("%Y-%m-%d %H:%M:%S")
        print(f"{when}\t{entry.actor}\t{advisor}\t{entry.action}\t{handoff}\t{reason}")
    return 0


def add_parser(commands: Any) -> None:
    """Register `privacy` and its sub-commands."""
    privacy = commands.add_parser("privacy", help="Löschen und Auskunft (DSGVO)")
    jobs = privacy.add_subparsers(dest="privacy_command", required=True)
    erase_cmd = jobs.add_parser("erase", help="ein Gespräch überall löschen")
    erase_cmd.add_argument("reference", help="Gesprächs-Id oder Ticket")
    erase_cmd.add_argument("--yes", action="store_true", help="ohne Rückfrage")
    erase_cmd.add_argument(
        "--reason", default="request", choices=sorted(ERASE_REASONS), help="Grund fürs Protokoll"
    )
    erase_cmd.set_defaults(func=_erase)
    export_cmd = jobs.add_parser("export", help="alles Gespeicherte zu einem Gespräch als JSON")
    export_cmd.add_argument("reference", help="Gesprächs-Id oder Ticket")
    export_cmd.add_argument("-o", "--output", help="Datei statt Standardausgabe")
    export_cmd.set_defaults(func=_export)
    purge_cmd = jobs.add_parser("purge", help="abgelaufene Gespräche jetzt löschen")
    purge_cmd.set_defaults(func=_purge)
    audit_cmd = jobs.add_parser("audit", help="Protokoll: Einsichten, Auskünfte, Löschungen")
    audit_cmd.add_argument("--days", type=int, default=30, help="die letzten N Tage")
    audit_cmd.set_defaults(func=_audit)
