"""Settings read from the environment (and `.env`), validated by pydantic-settings, with
local defaults; a wrong value stops the start with an error that names the variable."""

from __future__ import annotations

import os
from collections.abc import Mapping
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Any

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.channels.settings import ChannelSettings
from bot.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'var' / 'werkbot.db'}"
DEFAULT_TRACKER_STORE_URL = f"sqlite:///{ROOT / 'var' / 'rasa-tracker.db'}"
# RETENTION_DAYS had this name before it applied to everything
RETENTION_ALIASES = AliasChoices("retention_days", "RETENTION_DAYS", "HANDOFF_RETENTION_DAYS")
Positive = Annotated[int, Field(ge=1)]


class Settings(BaseSettings):
    """Gateway settings; every field has an environment variable of the same name
    (upper case). Empty variables count as unset."""

    model_config = SettingsConfigDict(
        frozen=True, extra="ignore", env_ignore_empty=True, populate_by_name=True
    )

    database_url: str = DEFAULT_DATABASE_URL
    rasa_url: str = "http://127.0.0.1:5005"
    # the action server's webhook, as Rasa calls it; /health is checked beside it
    action_server_url: str = "http://127.0.0.1:5055/webhook"
    gateway_host: str = "127.0.0.1"
    gateway_port: int = Field(default=8080, ge=1, le=65535)
    rasa_timeout_seconds: float = Field(default=4.0, gt=0)
    max_message_chars: Positive = 2000
    # widget sockets per address; new conversations per address and minute; messages
    # per connection and ten seconds
    max_sockets_per_address: Positive = 20
    max_new_conversations_per_minute: Positive = 60
    max_messages_per_10_seconds: Positive = 20
    # other sites that may embed the widget (full origins, "https://www.hwk-example.de",
    # comma-separated in the environment); the gateway's own origin is always allowed
    allowed_origins: Annotated[tuple[str, ...], NoDecode] = ()
    # load balancers whose X-Forwarded-For is believed (addresses or networks,
    # comma-separated: "127.0.0.1,10.0.0.0/8"); the limits count per person's address
    trusted_proxies: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = ()
    # where people reach the gateway; default: its own host and port
    public_url: str = ""
    # where "Als Frage hinzufügen" writes proposed guide changes (empty: var/kb-review/)
    kb_review_dir: str = ""
    # human handoff
    office_hours: str = "Mo-Fr 08:00-16:00"
    timezone: str = "Europe/Berlin"
    # days after a conversation's last message until it is deleted everywhere
    retention_days: Positive = Field(default=90, validation_alias=RETENTION_ALIASES)
    # days the audit log (ids and reason codes only) is kept
    audit_retention_days: Positive = 365
    # days a masked question stays in the editors' queue (its group goes with its last)
    curation_retention_days: Positive = 365
    tracker_store_url: str = DEFAULT_TRACKER_STORE_URL
    # shared by several gateway instances (pushes, presence, limits, locks); empty:
    # one instance, all of it in memory
    redis_url: str = ""
    routing_exclusive_seconds: float = Field(default=60.0, ge=0)
    advisor_session_hours: float = Field(default=12.0, gt=0)
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    mail_from: str = "werkbot@localhost"
    handoff_mail_to: str = ""
    # name, contact and concern in the callback e-mail (mailboxes keep them beyond
    # RETENTION_DAYS); off: the mail names the ticket, the console shows the rest
    callback_mail_details: bool = False
    # WhatsApp and Telegram (TELEGRAM_*, WHATSAPP_*, CHANNEL_KEY); off unless set
    channels: ChannelSettings = Field(default_factory=ChannelSettings)

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(o.strip().rstrip("/") for o in value.split(",") if o.strip())
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(ip_network(n.strip()) for n in value.split(",") if n.strip())
        return value

    @field_validator("rasa_url", "public_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _public_url_default(self) -> Settings:
        if not self.public_url:  # frozen: set once, while validating
            object.__setattr__(
                self, "public_url", f"http://{self.gateway_host}:{self.gateway_port}"
            )
        return self

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `env` (default: the process environment); ConfigError
        names the variable of a value that cannot be used."""
        env = os.environ if env is None else env
        fields = {name.upper(): name for name in cls.model_fields if name != "channels"}
        # every field given (the default where `env` has none): nothing else of the
        # process environment leaks in
        values: dict[str, Any] = {
            name: cls.model_fields[name].get_default(call_default_factory=True)
            for name in fields.values()
        }
        values |= {
            fields[var.upper()]: value
            for var, value in env.items()
            if var.upper() in fields and value != ""
        }
        for alias in ("HANDOFF_RETENTION_DAYS", "RETENTION_DAYS"):  # the new name wins
            if env.get(alias):
                values["retention_days"] = env[alias]
        try:
            return cls.model_validate({**values, "channels": ChannelSettings.from_env(env)})
        except ValidationError as error:
            problems = "; ".join(
                f"{str(issue['loc'][0]).upper()}: {issue['msg']} (Wert: {issue.get('input')!r})"
                for issue in error.errors()
            )
            raise ConfigError(f"Einstellung nicht verwendbar: {problems}") from None
