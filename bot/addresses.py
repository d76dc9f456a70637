"""The address a request comes from: the person's, also behind a load balancer."""

from __future__ import annotations

from ipaddress import ip_address

from aiohttp import web

from bot.keys import SETTINGS


def client_address(request: web.Request) -> str:
    """The peer's address; behind one of TRUSTED_PROXIES, the last address of
    X-Forwarded-For (the one that proxy added: whatever came before it, the client
    may have written itself)."""
    peer = request.remote or "unknown"
    proxies = request.app[SETTINGS].trusted_proxies
    forwarded = request.headers.get("X-Forwarded-For", "")
    if not proxies or not forwarded:
        return peer
    try:
        if not any(ip_address(peer) in network for network in proxies):
            return peer
        last = forwarded.split(",")[-1].strip()
        return str(ip_address(last))
    except ValueError:
        return peer
