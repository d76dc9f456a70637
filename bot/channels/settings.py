"""Messenger settings from the environment, validated; a channel is on when its
settings are present, and refuses to start half-configured (fail closed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.errors import ConfigError

DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"
DEFAULT_WHATSAPP_API_URL = "https://graph.facebook.com/v23.0"

Model = TypeVar("Model", bound=BaseModel)


class TelegramSettings(BaseModel):
    """TELEGRAM_*: the bot's token, the webhook's secret header, the API's address."""

    model_config = ConfigDict(frozen=True)

    bot_token: str = Field(pattern=r"^\d+:[A-Za-z0-9_-]{20,}$")
    secret_token: str = Field(pattern=r"^[A-Za-z0-9_-]{16,256}$")
    api_url: str = Field(default=DEFAULT_TELEGRAM_API_URL, pattern=r"^https?://")

    @property
    def bot_id(self) -> str:
        """The numeric id before the colon (update ids are unique per bot)."""
        return self.bot_token.split(":", 1)[0]


class WhatsAppSettings(BaseModel):
    """WHATSAPP_*: the Cloud API's token, app secret, verify token and number; the
    approved template for replies outside the 24-hour window (empty: none)."""

    model_config = ConfigDict(frozen=True)

    token: str = Field(min_length=20)
    app_secret: str = Field(min_length=16)
    verify_token: str = Field(min_length=16)
    phone_number_id: str = Field(pattern=r"^\d{5,20}$")
    api_url: str = Field(default=DEFAULT_WHATSAPP_API_URL, pattern=r"^https?://")
    template_reply: str = Field(default="", pattern=r"^[a-z0-9_]{0,512}$")
    template_language: str = Field(default="de", pattern=r"^[a-z]{2}(_[A-Z]{2})?$")


class ChannelSettings(BaseModel):
    """The messengers that are on, and CHANNEL_KEY (hashes and encrypts addresses)."""

    model_config = ConfigDict(frozen=True)

    telegram: TelegramSettings | None = None
    whatsapp: WhatsAppSettings | None = None
    key: str = ""

    @property
    def any_on(self) -> bool:
        """Whether any messenger is configured."""
        return self.telegram is not None or self.whatsapp is not None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ChannelSettings:
        """Read TELEGRAM_*, WHATSAPP_* and CHANNEL_KEY; ConfigError names the variable."""
        telegram = _section(env, "TELEGRAM_", TelegramSettings, ("BOT_TOKEN",))
        whatsapp = _section(env, "WHATSAPP_", WhatsAppSettings, ("TOKEN", "PHONE_NUMBER_ID"))
        key = env.get("CHANNEL_KEY", "")
        if (telegram or whatsapp) and len(key) < 32:
            raise ConfigError(
                "CHANNEL_KEY fehlt oder ist kürzer als 32 Zeichen: Ohne ihn können "
                "Telefonnummern und Chat-Ids nicht verschlüsselt gespeichert werden."
            )
        return cls(telegram=telegram, whatsapp=whatsapp, key=key)


def _section(
    env: Mapping[str, str], prefix: str, model: type[Model], switches: tuple[str, ...]
) -> Model | None:
    """The settings under `prefix`, or None if none of the `switches` is set."""
    if not any(env.get(prefix + name) for name in switches):
        return None
    names = {name.upper(): name for name in model.model_fields}
    values = {
        names[var.removeprefix(prefix)]: value
        for var, value in env.items()
        if var.startswith(prefix) and var.removeprefix(prefix) in names and value
    }
    try:
        return model.model_validate(values)
    except ValidationError as error:
        problems = "; ".join(
            f"{prefix}{str(issue['loc'][0]).upper()}: {issue['msg']}" for issue in error.errors()
        )
        raise ConfigError(f"Messenger-Einstellungen unvollständig: {problems}") from None
