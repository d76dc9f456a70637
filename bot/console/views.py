"""The advisor console's pages: login, logout and the console itself."""

from __future__ import annotations

import secrets

from aiohttp import web

from bot.addresses import client_address
from bot.console.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    check_post,
    cookie_options,
    current_login,
    same_origin,
    tokens_match,
)
from bot.console.nav import area_nav, home_of
from bot.console.pages import console_page, login_page
from bot.console.roles import BERATUNG, has_role
from bot.handoff.accounts import LoginBusyError
from bot.handoff.routing import advisor_title
from bot.keys import ADVISORS, CONSOLES, LOGIN_THROTTLE, SETTINGS

# not cached, not framed (clickjacking), scripts and connections only from here
NO_STORE = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'"
    ),
}

BUSY = "Gerade gehen sehr viele Anmeldungen ein. Bitte versuchen Sie es in einer Minute erneut."


def _login_form(
    request: web.Request, status: int = 200, error: str | None = None, username: str = ""
) -> web.Response:
    csrf = secrets.token_urlsafe(24)
    response = web.Response(
        text=login_page(csrf, error, username),
        content_type="text/html",
        status=status,
        headers=NO_STORE,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, csrf, **cookie_options(request, "/berater"))  # type: ignore[arg-type]
    return response


async def login_form(request: web.Request) -> web.Response:
    """The login form (with a fresh double-submit CSRF token)."""
    if await current_login(request) is not None:
        raise web.HTTPSeeOther("/berater")
    return _login_form(request)


async def login(request: web.Request) -> web.Response:
    """Check user name and password; on success set the session cookie."""
    form = await request.post()
    username = str(form.get("username", ""))[:100]
    password = str(form.get("password", ""))[:200]
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if (
        not same_origin(request)
        or not expected
        or not tokens_match(expected, str(form.get("csrf", "")))
    ):
        return _login_form(
            request, 403, "Sicherheitsprüfung fehlgeschlagen. Bitte erneut versuchen."
        )
    throttle = request.app[LOGIN_THROTTLE]
    address = client_address(request)
    if await throttle.blocked(username, address):
        return _login_form(
            request, 429, "Zu viele Fehlversuche. Bitte in 15 Minuten erneut.", username
        )
    try:
        advisor = await request.app[ADVISORS].authenticate(username, password)
    except LoginBusyError:
        return _login_form(request, 429, BUSY, username)
    if advisor is None:
        await throttle.failed(username, address)
        return _login_form(request, 401, "Benutzername oder Passwort ist falsch.", username)
    await throttle.succeeded(username, address)
    hours = request.app[SETTINGS].advisor_session_hours
    token, _csrf = await request.app[ADVISORS].open_session(advisor, hours)
    response = web.HTTPSeeOther("/berater")
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(hours * 3600),
        **cookie_options(request, "/berater"),  # type: ignore[arg-type]
    )
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/berater")
    raise response


async def logout(request: web.Request) -> web.Response:
    """End the session (CSRF-protected) and go back to the login form."""
    login_state = await current_login(request)
    if login_state is not None:
        form = await request.post()
        check_post(request, login_state, str(form.get("csrf", "")) or None)
        await request.app[ADVISORS].close_session(login_state.token)
        await request.app[CONSOLES].end_session(login_state.token)
    response = web.HTTPSeeOther("/berater/login")
    response.del_cookie(SESSION_COOKIE, path="/berater")
    raise response


async def console(request: web.Request) -> web.Response:
    """The console, or a redirect to the login form."""
    login_state = await current_login(request)
    if login_state is None:
        raise web.HTTPSeeOther("/berater/login")
    advisor = login_state.advisor
    if not has_role(advisor, BERATUNG):  # an editor's account lands in its own area
        raise web.HTTPSeeOther(home_of(advisor))
    nav = area_nav(advisor, "/berater")
    page = console_page(login_state.csrf, advisor_title(advisor), nav)
    return web.Response(text=page, content_type="text/html", headers=NO_STORE)
