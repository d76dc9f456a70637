import pytest

from bot.config import DEFAULT_DATABASE_URL, Settings
from bot.errors import ConfigError


def test_defaults_without_environment() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.database_url.endswith("/var/werkbot.db")
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert (settings.gateway_host, settings.gateway_port) == ("127.0.0.1", 8080)
    assert settings.max_message_chars == 2000


def test_environment_overrides_and_trailing_slash_is_dropped() -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://u@h/db",
            "RASA_URL": "http://127.0.0.1:6000/",
            "GATEWAY_PORT": "9000",
            "RASA_TIMEOUT_SECONDS": "2.5",
        }
    )
    assert settings.database_url == "postgresql://u@h/db"
    assert settings.rasa_url == "http://127.0.0.1:6000"
    assert settings.gateway_port == 9000
    assert settings.rasa_timeout_seconds == 2.5


def test_empty_values_fall_back_to_defaults() -> None:
    assert Settings.from_env({"DATABASE_URL": "", "GATEWAY_PORT": ""}) == Settings()


def test_public_url_follows_the_gateway_port_unless_set() -> None:
    assert Settings.from_env({"GATEWAY_PORT": "9000"}).public_url == "http://127.0.0.1:9000"
    custom = Settings.from_env({"PUBLIC_URL": "https://hwk.example/chat/"})
    assert custom.public_url == "https://hwk.example/chat"


def test_retention_applies_to_everything_and_keeps_its_old_name() -> None:
    assert Settings.from_env({}).retention_days == 90
    assert Settings.from_env({"RETENTION_DAYS": "30"}).retention_days == 30
    assert Settings.from_env({"HANDOFF_RETENTION_DAYS": "45"}).retention_days == 45


@pytest.mark.parametrize("days", ["0", "-5", "neunzig"])
def test_retention_of_zero_or_nonsense_is_a_clear_error(days: str) -> None:
    with pytest.raises(ValueError, match="RETENTION_DAYS"):
        Settings.from_env({"RETENTION_DAYS": days})


@pytest.mark.parametrize(
    ("variable", "value"),
    [("GATEWAY_PORT", "achtzig"), ("MAX_MESSAGE_CHARS", "0"), ("SMTP_STARTTLS", "vielleicht")],
)
def test_a_wrong_value_names_its_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=variable):
        Settings.from_env({variable: value})


def test_an_explicit_environment_is_all_that_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_PORT", "1234")
    assert Settings.from_env({}).gateway_port == 8080
    assert Settings.from_env().gateway_port == 1234
    assert Settings.from_env().public_url == "http://127.0.0.1:1234"
