"""`python -m bot advisors add | list | deactivate | reset-password`: accounts for the
console (roles beratung, redaktion, admin)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.config import Settings
from bot.console.roles import ROLE_LABELS, ROLES, parse_roles
from bot.db.engine import create_engine, session_factory
from bot.db.migrate import upgrade_schema
from bot.handoff.accounts import REGIONS, AccountError, AdvisorStore
from bot.kb.taxonomy import load_taxonomy

T = TypeVar("T")


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


async def _with_store(job: Callable[[AdvisorStore], Awaitable[T]]) -> T:
    engine = create_engine(Settings.from_env().database_url)
    try:
        await upgrade_schema(engine)
        return await job(AdvisorStore(session_factory(engine)))
    finally:
        await engine.dispose()


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Passwort (mindestens 10 Zeichen): ")
    if getpass.getpass("Passwort wiederholen: ") != first:
        raise AccountError("Die Passwörter stimmen nicht überein.")
    return first


def add(args: argparse.Namespace) -> int:
    """Create a console account."""
    topics = _split(args.topics)
    unknown = set(topics) - set(load_taxonomy().topics)
    try:
        roles = parse_roles(args.role)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    try:
        if unknown:
            raise AccountError(f"Unbekannte Themen: {', '.join(sorted(unknown))}")
        password = _password(args)
        asyncio.run(
            _with_store(
                lambda store: store.add(
                    args.username,
                    password,
                    args.name,
                    salutation=args.salutation,
                    email=args.email,
                    regions=_split(args.regions),
                    topics=topics,
                    admin=args.admin,
                    roles=roles,
                )
            )
        )
    except AccountError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Beraterkonto {args.username!r} angelegt.")
    return 0


def deactivate(args: argparse.Namespace) -> int:
    """Switch an account off; its sessions end."""
    try:
        asyncio.run(_with_store(lambda store: store.deactivate(args.username)))
    except AccountError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Beraterkonto {args.username!r} deaktiviert; alle Sitzungen sind beendet.")
    return 0


def reset_password(args: argparse.Namespace) -> int:
    """Set a new password; the account's sessions end."""
    try:
        password = _password(args)
        asyncio.run(_with_store(lambda store: store.reset_password(args.username, password)))
    except AccountError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Neues Passwort für {args.username!r} gesetzt; alle Sitzungen sind beendet.")
    return 0


def list_advisors(_args: argparse.Namespace) -> int:
    """Print the advisor accounts."""
    advisors = asyncio.run(_with_store(lambda store: store.all_active()))
    for advisor in advisors:
        regions = ",".join(advisor.regions) or "alle"
        topics = ",".join(advisor.topics) or "alle"
        role = "+".join(ROLE_LABELS.get(r, r) for r in advisor.roles or ["beratung"])
        print(
            f"{advisor.username}\t{advisor.display_name}\t{role}\t{regions}\t{topics}"
            f"\t{advisor.email}"
        )
    return 0


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `advisors` and its sub-commands."""
    advisors = commands.add_parser("advisors", help="Konten der Beraterkonsole")
    sub = advisors.add_subparsers(dest="advisors_command", required=True)
    adder = sub.add_parser("add", help="Konto anlegen (fragt nach dem Passwort)")
    adder.add_argument("username")
    adder.add_argument("--name", required=True, help='Anzeigename, z. B. "Anna Schulz"')
    adder.add_argument("--salutation", default="", choices=["", "Frau", "Herr"])
    adder.add_argument("--email", default="", help="für Rückrufbitten per E-Mail")
    adder.add_argument("--regions", default="", help=f"kommagetrennt: {', '.join(REGIONS)}")
    adder.add_argument("--topics", default="", help="kommagetrennte Themen-Ids; leer = alle")
    adder.add_argument("--password-stdin", action="store_true", help="Passwort aus stdin")
    adder.add_argument(
        "--role",
        default="beratung",
        help=f"kommagetrennt: {', '.join(ROLES)} (Admin darf alles und sieht alle Vorgänge)",
    )
    adder.add_argument("--admin", action="store_true", help="wie --role admin")
    adder.set_defaults(func=add)
    sub.add_parser("list", help="Konten auflisten").set_defaults(func=list_advisors)
    off = sub.add_parser("deactivate", help="Konto abschalten, Sitzungen beenden")
    off.add_argument("username")
    off.set_defaults(func=deactivate)
    reset = sub.add_parser("reset-password", help="neues Passwort, Sitzungen beenden")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", help="Passwort aus stdin")
    reset.set_defaults(func=reset_password)
