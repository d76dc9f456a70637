"""Settings read from the environment (and `.env`), with local defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.channels.settings import ChannelSettings
from bot.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'var' / 'werkbot.db'}"
DEFAULT_TRACKER_STORE_URL = f"sqlite:///{ROOT / 'var' / 'rasa-tracker.db'}"


def retention_days(env: Mapping[str, str], default: int) -> int:
    """RETENTION_DAYS (or its old name HANDOFF_RETENTION_DAYS); at least 1."""
    raw = env.get("RETENTION_DAYS") or env.get("HANDOFF_RETENTION_DAYS") or str(default)
    try:
        days = int(raw)
    except ValueError:
        raise ConfigError(f"RETENTION_DAYS muss eine ganze Zahl sein, nicht {raw!r}") from None
    if days < 1:
        raise ConfigError(
            f"RETENTION_DAYS muss mindestens 1 sein (nicht {days}): Gespräche werden nach "
            "so vielen Tagen ohne neue Nachricht gelöscht."
        )
    return days


def positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of at least 1 from `env[name]`, or `default` if unset."""
    raw = env.get(name) or str(default)
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} muss eine ganze Zahl sein, nicht {raw!r}") from None
    if value < 1:
        raise ConfigError(f"{name} muss mindestens 1 sein (nicht {value}).")
    return value


@dataclass(frozen=True)
class Settings:
    """Gateway settings; every field has an environment variable of the same name."""

    database_url: str = DEFAULT_DATABASE_URL
    rasa_url: str = "http://127.0.0.1:5005"
    # the action server's webhook, as Rasa calls it; /health is checked beside it
    action_server_url: str = "http://127.0.0.1:5055/webhook"
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8080
    rasa_timeout_seconds: float = 4.0
    max_message_chars: int = 2000
    # widget sockets per address; new conversations per address and minute; messages
    # per connection and ten seconds
    max_sockets_per_address: int = 20
    max_new_conversations_per_minute: int = 60
    max_messages_per_10_seconds: int = 20
    # other sites that may embed the widget (full origins, "https://www.hwk-example.de");
    # the gateway's own origin is always allowed
    allowed_origins: tuple[str, ...] = ()
    # where people reach the gateway; default: its own host and port
    public_url: str = "http://127.0.0.1:8080"
    # human handoff
    office_hours: str = "Mo-Fr 08:00-16:00"
    timezone: str = "Europe/Berlin"
    # days after a conversation's last message until it is deleted everywhere
    retention_days: int = 90
    # days the audit log (ids and reason codes only) is kept
    audit_retention_days: int = 365
    tracker_store_url: str = DEFAULT_TRACKER_STORE_URL
    routing_exclusive_seconds: float = 60.0
    advisor_session_hours: float = 12.0
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    mail_from: str = "werkbot@localhost"
    handoff_mail_to: str = ""
    # name, contact and concern in the callback e-mail (mailboxes keep them beyond
    # RETENTION_DAYS); off: the mail names the ticket, the console shows the rest
    callback_mail_details: bool = False
    # WhatsApp and Telegram (TELEGRAM_*, WHATSAPP_*, CHANNEL_KEY); off unless set
    channels: ChannelSettings = field(default_factory=ChannelSettings)

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
            action_server_url=env.get("ACTION_SERVER_URL") or defaults.action_server_url,
            gateway_host=host,
            gateway_port=port,
            rasa_timeout_seconds=float(
                env.get("RASA_TIMEOUT_SECONDS") or defaults.rasa_timeout_seconds
            ),
            max_message_chars=int(env.get("MAX_MESSAGE_CHARS") or defaults.max_message_chars),
            max_sockets_per_address=int(
                env.get("MAX_SOCKETS_PER_ADDRESS") or defaults.max_sockets_per_address
            ),
            max_new_conversations_per_minute=int(
                env.get("MAX_NEW_CONVERSATIONS_PER_MINUTE")
                or defaults.max_new_conversations_per_minute
            ),
            max_messages_per_10_seconds=int(
                env.get("MAX_MESSAGES_PER_10_SECONDS") or defaults.max_messages_per_10_seconds
            ),
            allowed_origins=tuple(
                origin.strip().rstrip("/")
                for origin in (env.get("ALLOWED_ORIGINS") or "").split(",")
                if origin.strip()
            ),
            public_url=(env.get("PUBLIC_URL") or f"http://{host}:{port}").rstrip("/"),
            office_hours=env.get("OFFICE_HOURS") or defaults.office_hours,
            timezone=env.get("TIMEZONE") or defaults.timezone,
            retention_days=retention_days(env, defaults.retention_days),
            audit_retention_days=positive_int(
                env, "AUDIT_RETENTION_DAYS", defaults.audit_retention_days
            ),
            tracker_store_url=env.get("TRACKER_STORE_URL") or defaults.tracker_store_url,
            routing_exclusive_seconds=float(
                env.get("ROUTING_EXCLUSIVE_SECONDS") or defaults.routing_exclusive_seconds
            ),
            advisor_session_hours=float(
                env.get("ADVISOR_SESSION_HOURS") or defaults.advisor_session_hours
            ),
            smtp_host=env.get("SMTP_HOST") or defaults.smtp_host,
            smtp_port=int(env.get("SMTP_PORT") or defaults.smtp_port),
            smtp_user=env.get("SMTP_USER") or defaults.smtp_user,
            smtp_password=env.get("SMTP_PASSWORD") or defaults.smtp_password,
            smtp_starttls=(env.get("SMTP_STARTTLS") or "1").lower() not in {"0", "false", "no"},
            mail_from=env.get("MAIL_FROM") or defaults.mail_from,
            handoff_mail_to=env.get("HANDOFF_MAIL_TO") or defaults.handoff_mail_to,
            callback_mail_details=(env.get("CALLBACK_MAIL_DETAILS") or "0").lower()
            in {"1", "true", "yes"},
            channels=ChannelSettings.from_env(env),
        )
