"""Advisor login state: session cookie, CSRF token, same-origin check."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from aiohttp import web

from bot.console.roles import BERATUNG, has_role
from bot.db.models import Advisor
from bot.keys import ADVISORS

SESSION_COOKIE = "werkbot_berater"
LOGIN_CSRF_COOKIE = "werkbot_login_csrf"


@dataclass(frozen=True)
class Login:
    """The advisor behind a request and the CSRF token of their session."""

    advisor: Advisor
    csrf: str
    token: str


async def current_login(request: web.Request) -> Login | None:
    """The logged-in advisor of this request, if the session cookie is valid."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    found = await request.app[ADVISORS].resolve(token, datetime.now(UTC))
    if found is None:
        return None
    advisor, csrf = found
    return Login(advisor, csrf, token)


async def require_login(request: web.Request, role: str = BERATUNG) -> Login:
    """The logged-in account if it has `role` (the handoff API: beratung), else 401 or
    403 (JSON) for the API."""
    login = await current_login(request)
    if login is None:
        raise web.HTTPUnauthorized(
            text='{"error": "Bitte melden Sie sich an."}', content_type="application/json"
        )
    if not has_role(login.advisor, role):
        raise web.HTTPForbidden(
            text='{"error": "Ihr Konto hat dafür keine Berechtigung."}',
            content_type="application/json",
        )
    return login


def same_origin(request: web.Request) -> bool:
    """True if the request has no Origin header or one of this host."""
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def tokens_match(expected: str, given: str | None) -> bool:
    """Constant-time comparison of CSRF tokens."""
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


def check_post(request: web.Request, login: Login, form_token: str | None = None) -> None:
    """Reject a state-changing request without the session's CSRF token or from
    another origin (403)."""
    given = request.headers.get("X-CSRF-Token") or form_token
    if not same_origin(request) or not tokens_match(login.csrf, given):
        raise web.HTTPForbidden(
            text='{"error": "Sicherheitsprüfung fehlgeschlagen. Bitte Seite neu laden."}',
            content_type="application/json",
        )


def cookie_options(request: web.Request, path: str) -> dict[str, object]:
    """HttpOnly, SameSite=Strict; Secure when the gateway is reached over HTTPS."""
    secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
    return {"httponly": True, "samesite": "Strict", "secure": secure, "path": path}
