"""The embeddable widget: one script (`/widget.js`, bundled from bot/static/widget/) and
its settings for the host page (`/widget/config`, CORS only for allowed sites)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from aiohttp import web

from bot import texts
from bot.keys import SETTINGS
from bot.websocket import origin_allowed

SOURCES = Path(__file__).parent / "static" / "widget"
PRIVACY_LINE = (
    "Der Chat wird gespeichert, damit wir antworten können, und nach {days} Tagen ohne "
    "neue Nachricht gelöscht."
)


@cache
def bundle() -> tuple[str, str]:
    """The widget's source files in name order, in one function scope; (code, ETag)."""
    parts = [path.read_text(encoding="utf-8") for path in sorted(SOURCES.glob("*.js"))]
    code = "// werkbot chat widget\n(() => {\n" + "\n".join(parts) + "})();\n"
    return code, '"' + hashlib.sha256(code.encode()).hexdigest()[:20] + '"'


async def script(request: web.Request) -> web.Response:
    """The widget script a host page embeds with one tag."""
    code, etag = bundle()
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    if request.headers.get("If-None-Match") == etag:
        return web.Response(status=304, headers=headers)
    return web.Response(text=code, content_type="text/javascript", headers=headers)


async def config(request: web.Request) -> web.Response:
    """Texts and settings of the widget, readable only from the gateway's own pages and
    ALLOWED_ORIGINS (a refused site's widget stays hidden)."""
    if not origin_allowed(request):
        return web.json_response(
            {"error": "Diese Website ist für den Chat nicht freigegeben (ALLOWED_ORIGINS)."},
            status=403,
        )
    settings = request.app[SETTINGS]
    body = {
        "welcome": texts.WELCOME,
        "privacy": PRIVACY_LINE.format(days=settings.retention_days),
        "privacy_url": f"{settings.public_url}/datenschutz",
        "starters": [
            {"title": starter["title"], "payload": starter["payload"]} for starter in texts.STARTERS
        ],
    }
    headers = {"Vary": "Origin", "Cache-Control": "no-cache"}
    origin = request.headers.get("Origin")
    if origin:
        headers["Access-Control-Allow-Origin"] = origin
    return web.json_response(body, headers=headers)
