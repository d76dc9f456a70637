import pytest

from bot.db.engine import async_url


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("sqlite:///var/werkbot.db", "sqlite+aiosqlite"),
        ("postgresql://u:p@127.0.0.1:5432/werkbot", "postgresql+asyncpg"),
        ("postgresql+psycopg2://u@h/db", "postgresql+asyncpg"),
    ],
)
def test_async_driver_is_chosen(given: str, driver: str) -> None:
    url = async_url(given)
    assert url.drivername == driver
    assert url.database is not None


def test_unsupported_database_is_refused_with_a_clear_error() -> None:
    with pytest.raises(ValueError, match="Nicht unterstützte Datenbank: mysql"):
        async_url("mysql://root@localhost/werkbot")
