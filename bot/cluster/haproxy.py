"""HAProxy in front of the instances: one frontend per service, health-checked
backends, WebSockets balanced without stickiness (a reconnect may land anywhere)."""

from __future__ import annotations

from dataclasses import dataclass

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Backend:
    """A service's frontend port, its instances' ports and its health check path."""

    name: str
    port: int
    instances: tuple[int, ...]
    health_path: str


def _backend(backend: Backend) -> str:
    servers = "\n".join(
        f"  server {backend.name}-{number} {HOST}:{port} check inter 1s fall 2 rise 2"
        for number, port in enumerate(backend.instances, start=1)
    )
    return f"""
frontend {backend.name}
  bind {HOST}:{backend.port}
  default_backend {backend.name}-instances

backend {backend.name}-instances
  # the instance with the fewest open connections: WebSockets stay open for long
  balance leastconn
  option httpchk GET {backend.health_path}
  http-check expect status 200
  # only requests that never reached an instance are tried again (a message must
  # not be answered twice)
  retry-on conn-failure
  retries 2
  # each retry to another instance
  option redispatch 1
{servers}
"""


def config(backends: list[Backend], stats_port: int) -> str:
    """The whole haproxy.cfg."""
    parts = [
        f"""global
  log stdout format raw local0 notice
  # open sockets: two per connection, within the usual limit of 20000 descriptors
  maxconn 8000

defaults
  log global
  mode http
  option httplog
  option forwardfor
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # an open WebSocket (the widget pings every 20 s, the console every 30 s)
  timeout tunnel 1h
  timeout client-fin 5s

listen stats
  bind {HOST}:{stats_port}
  stats enable
  stats uri /
  stats refresh 5s
  monitor-uri /health
"""
    ]
    parts.extend(_backend(backend) for backend in backends)
    return "".join(parts)
