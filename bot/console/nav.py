"""The console's areas an account may open (by role), as a navigation for page headers."""

from __future__ import annotations

from html import escape

from bot.console.roles import BERATUNG, REDAKTION, has_role
from bot.db.models import Advisor

# (path, label, role that opens it)
AREAS = (
    ("/berater", "Beratung", BERATUNG),
    ("/berater/redaktion", "Redaktion", REDAKTION),
    ("/berater/wirkung", "Wirkung", REDAKTION),
)


def home_of(advisor: Advisor) -> str:
    """The first area the account may open (where a login lands)."""
    return next((path for path, _, role in AREAS if has_role(advisor, role)), "/berater")


def area_nav(advisor: Advisor, current: str) -> str:
    """`<nav>` with a link per area the account may open; the current one marked."""
    marked = ' aria-current="page"'
    links = [
        f'<a href="{path}"{marked if path == current else ""}>{escape(label)}</a>'
        for path, label, role in AREAS
        if has_role(advisor, role)
    ]
    if len(links) < 2:
        return ""
    return f'    <nav class="console-areas" aria-label="Bereiche">{" ".join(links)}</nav>\n'
