"""`python -m bot kb validate | audit | load | search`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import date

from bot.clock import today
from bot.config import Settings
from bot.db.engine import create_engine
from bot.kb.guides import GuideError, load_guides
from bot.kb.loading import load_into_database
from bot.kb.validate import validate_knowledge_base


def validate(_args: argparse.Namespace) -> int:
    """Print every problem of the knowledge base; non-zero exit if there is one."""
    problems = validate_knowledge_base()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} Fehler in der Wissensbasis.", file=sys.stderr)
        return 1
    print(f"Wissensbasis gültig: {len(load_guides())} Leitfäden.")
    return 0


def audit(args: argparse.Namespace) -> int:
    """Print what is due in the guides on a day; non-zero exit if something is."""
    from bot.kb.audit import audit_guides, load_authorities

    on = date.fromisoformat(args.on) if args.on else today()
    findings = audit_guides(load_guides(), on, load_authorities())
    for finding in findings:
        print(finding)
    due = sum(finding.due for finding in findings)
    print(f"Prüfung zum {on.strftime('%d.%m.%Y')}: {due} fällig, {len(findings) - due} Hinweise.")
    return 1 if due else 0


def load(_args: argparse.Namespace) -> int:
    """Load the guides into the database of DATABASE_URL."""
    try:
        guides = load_guides()
    except GuideError as error:
        print(f"{error} – bitte zuerst `python -m bot kb validate`.", file=sys.stderr)
        return 1

    async def run() -> str:
        engine = create_engine(Settings.from_env().database_url)
        try:
            report = await load_into_database(engine, guides, progress=sys.stderr.isatty())
        finally:
            await engine.dispose()
        return (
            f"Wissensbasis geladen: {report.added} neu, {report.updated} geändert, "
            f"{report.removed} entfernt, {report.unchanged} unverändert."
        )

    print(asyncio.run(run()))
    return 0


def search(args: argparse.Namespace) -> int:
    """Print ranked guides for one query, or one JSON list per line of `--file`."""
    if (args.query is None) == (args.file is None):
        print("Bitte genau eines angeben: QUERY oder --file PATH.", file=sys.stderr)
        return 2
    # imported here: the search brings spaCy and scikit-learn, which the gateway,
    # started through the same command line, does not need
    from bot.kb.search import KnowledgeIndex

    index = KnowledgeIndex.from_files()
    base_url = Settings.from_env().public_url
    if args.file:
        with open(args.file, encoding="utf-8") as lines:
            queries = [line.rstrip("\n") for line in lines]
    else:
        queries = [args.query]
    for query in queries:
        trades = [args.trade] if args.trade else []
        hits = index.search(query, trades, limit=args.limit) if query.strip() else []
        if args.json:
            print(json.dumps([hit.to_json(base_url) for hit in hits], ensure_ascii=False))
        else:
            for rank, hit in enumerate(hits, 1):
                print(f"{rank}. {hit.score:6.2f}  {hit.guide.meta.title} – {hit.section.heading}")
            if not hits:
                print("Keine Treffer.")
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `kb` and its sub-commands."""
    kb = commands.add_parser("kb", help="Wissensbasis prüfen, laden, durchsuchen")
    kb_commands = kb.add_subparsers(dest="kb_command", required=True)
    kb_commands.add_parser("validate", help="alle Leitfäden prüfen").set_defaults(func=validate)
    kb_commands.add_parser("load", help="Leitfäden in die Datenbank laden").set_defaults(func=load)
    auditor = kb_commands.add_parser("audit", help="was in den Leitfäden fällig ist")
    auditor.add_argument("--on", help="Stichtag JJJJ-MM-TT (Standard: heute)")
    auditor.set_defaults(func=audit)
    finder = kb_commands.add_parser("search", help="Leitfäden suchen")
    finder.add_argument("query", nargs="?", help="die Frage")
    finder.add_argument("--file", help="eine Frage pro Zeile")
    finder.add_argument("--trade", help="Gewerk-Id, z. B. friseur")
    finder.add_argument("--json", action="store_true", help="Ausgabe als JSON")
    finder.add_argument("--limit", type=int, default=5)
    finder.set_defaults(func=search)
