"""Roles of console accounts: advisors answer people, editors curate the knowledge base
and read the figures, admins may do everything (and read every handoff)."""

from __future__ import annotations

from bot.db.models import Advisor

BERATUNG = "beratung"
REDAKTION = "redaktion"
ADMIN = "admin"
ROLES = (BERATUNG, REDAKTION, ADMIN)
ROLE_LABELS = {BERATUNG: "Beratung", REDAKTION: "Redaktion", ADMIN: "Admin"}


def parse_roles(value: str) -> list[str]:
    """Roles from a comma list ("beratung,redaktion"); ValueError names unknown ones."""
    roles = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise ValueError(f"Unbekannte Rolle: {', '.join(unknown)} (erlaubt: {', '.join(ROLES)})")
    if not roles:
        raise ValueError(f"Mindestens eine Rolle angeben ({', '.join(ROLES)}).")
    return list(dict.fromkeys(roles))


def has_role(advisor: Advisor, role: str) -> bool:
    """Whether the account may use what `role` opens; admins may use everything."""
    roles = set(advisor.roles or [BERATUNG])
    return ADMIN in roles or advisor.admin or role in roles
