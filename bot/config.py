"""Settings read from the environment (and `.env`), with local defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'var' / 'werkbot.db'}"


@dataclass(frozen=True)
class Settings:
    """Gateway settings; every field has an environment variable of the same name."""

    database_url: str = DEFAULT_DATABASE_URL
    rasa_url: str = "http://127.0.0.1:5005"
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8080
    rasa_timeout_seconds: float = 4.0
    max_message_chars: int = 2000
    # where people reach the gateway; default: its own host and port
    public_url: str = "http://127.0.0.1:8080"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `env` (default: the process environment)."""
        env = os.environ if env is None else env
        defaults = cls()
        host = env.get("GATEWAY_HOST") or defaults.gateway_host
        port = int(env.get("GATEWAY_PORT") or defaults.gateway_port)
        return cls(
            database_url=env.get("DATABASE_URL") or defaults.database_url,
            rasa_url=(env.get("RASA_URL") or defaults.rasa_url).rstrip("/"),
            gateway_host=host,
            gateway_port=port,
            rasa_timeout_seconds=float(
                env.get("RASA_TIMEOUT_SECONDS") or defaults.rasa_timeout_seconds
            ),
            max_message_chars=int(env.get("MAX_MESSAGE_CHARS") or defaults.max_message_chars),
            public_url=(env.get("PUBLIC_URL") or f"http://{host}:{port}").rstrip("/"),
        )
