"""A messenger is on when its settings are present, and refuses to start half-configured."""

from __future__ import annotations

import pytest

from bot.channels.settings import ChannelSettings
from bot.config import Settings
from bot.errors import ConfigError

TELEGRAM = {
    "TELEGRAM_BOT_TOKEN": "123456:" + "A" * 35,
    "TELEGRAM_SECRET_TOKEN": "s3cr3t-" + "x" * 20,
}
WHATSAPP = {
    "WHATSAPP_TOKEN": "EAAG" + "t" * 40,
    "WHATSAPP_APP_SECRET": "a" * 32,
    "WHATSAPP_VERIFY_TOKEN": "v" * 24,
    "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
}
KEY = {"CHANNEL_KEY": "k" * 40}


def test_off_without_settings() -> None:
    settings = Settings.from_env({})
    assert not settings.channels.any_on


def test_both_on_with_their_settings() -> None:
    channels = ChannelSettings.from_env({**TELEGRAM, **WHATSAPP, **KEY})
    assert channels.telegram is not None
    assert channels.telegram.bot_id == "123456"
    assert channels.whatsapp is not None
    assert channels.whatsapp.api_url.startswith("https://graph.facebook.com/")
    assert channels.whatsapp.template_reply == ""


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({**TELEGRAM, **KEY, "TELEGRAM_SECRET_TOKEN": ""}, "TELEGRAM_SECRET_TOKEN"),
        ({**TELEGRAM, **KEY, "TELEGRAM_SECRET_TOKEN": "kurz"}, "TELEGRAM_SECRET_TOKEN"),
        ({**WHATSAPP, **KEY, "WHATSAPP_APP_SECRET": ""}, "WHATSAPP_APP_SECRET"),
        ({**WHATSAPP, **KEY, "WHATSAPP_PHONE_NUMBER_ID": "+49 345"}, "WHATSAPP_PHONE_NUMBER_ID"),
        ({**WHATSAPP, **KEY, "WHATSAPP_API_URL": "graph.local"}, "WHATSAPP_API_URL"),
        ({**TELEGRAM}, "CHANNEL_KEY"),
    ],
)
def test_half_configured_refuses_and_names_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        ChannelSettings.from_env(env)
