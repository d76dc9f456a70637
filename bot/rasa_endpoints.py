"""Rasa's endpoints file, written at start: action server, tracker store, lock store.

The dialogue state (slots such as the trade) lives in a SQL tracker store so that a
restart of Rasa forgets nothing: SQLite under var/ by default, PostgreSQL in
production (TRACKER_STORE_URL). Several Rasa processes need the Redis lock store
(LOCK_STORE_URL); without it Rasa locks in memory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url

from bot.config import DEFAULT_TRACKER_STORE_URL


def tracker_store(url: str) -> dict[str, Any]:
    """Rasa's SQL tracker store settings for a sqlite:// or postgresql:// URL."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return {"type": "SQL", "dialect": "sqlite", "db": parsed.database}
    if backend != "postgresql":
        raise ValueError(f"Tracker-Store: sqlite oder postgresql, nicht {backend}")
    settings: dict[str, Any] = {
        "type": "SQL",
        "dialect": "postgresql",
        "url": parsed.host or "127.0.0.1",
        "port": parsed.port or 5432,
        "db": parsed.database,
        "username": parsed.username or "postgres",
    }
    if parsed.password:
        settings["password"] = parsed.password
    return settings


def lock_store(url: str) -> dict[str, Any]:
    """Rasa's Redis lock store settings for a redis:// URL."""
    parsed = make_url(url)
    settings: dict[str, Any] = {
        "type": "redis",
        "url": parsed.host or "127.0.0.1",
        "port": parsed.port or 6379,
        "db": int(parsed.database or 0),
        "key_prefix": "werkbot",
    }
    if parsed.password:
        settings["password"] = parsed.password
    return settings


def endpoints(action_url: str, env: Mapping[str, str]) -> dict[str, Any]:
    """The endpoints for Rasa from the environment."""
    config: dict[str, Any] = {
        "action_endpoint": {"url": action_url},
        "tracker_store": tracker_store(env.get("TRACKER_STORE_URL") or DEFAULT_TRACKER_STORE_URL),
    }
    if env.get("LOCK_STORE_URL"):
        config["lock_store"] = lock_store(env["LOCK_STORE_URL"])
    return config


def write_endpoints(path: Path, action_url: str, env: Mapping[str, str]) -> Path:
    """Write the endpoints file Rasa is started with."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    # it may hold database passwords: readable by the owner only, from the start
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(yaml.safe_dump(endpoints(action_url, env), sort_keys=False))
    return path
