"""Failed logins are throttled per address, never for a name everywhere; the
failures count on every gateway instance sharing Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis

from bot.cluster.windows import LocalWindows, RedisWindows
from bot.console.throttle import (
    MAX_FAILURES_PER_ADDRESS,
    MAX_FAILURES_PER_NAME,
    LoginThrottle,
)
from tests.unit.cluster.support import fresh_redis


@pytest.fixture
async def redis_clients() -> AsyncIterator[tuple[redis.Redis, redis.Redis]]:
    """Two instances' clients of Redis database 9, emptied."""
    url = fresh_redis()
    first, second = redis.Redis.from_url(url), redis.Redis.from_url(url)
    yield first, second
    await first.aclose()
    await second.aclose()


@pytest.fixture(params=["local", "redis"])
async def throttle(
    request: pytest.FixtureRequest, redis_clients: tuple[redis.Redis, redis.Redis]
) -> LoginThrottle:
    """A throttle counting in this process, or in Redis."""
    if request.param == "local":
        return LoginThrottle(LocalWindows())
    return LoginThrottle(RedisWindows(redis_clients[0]))


async def test_wrong_passwords_from_one_address_do_not_lock_the_advisor_elsewhere(
    throttle: LoginThrottle,
) -> None:
    for _ in range(MAX_FAILURES_PER_NAME - 1):
        await throttle.failed("schulz", "203.0.113.9")
    assert not await throttle.blocked("schulz", "203.0.113.9")
    await throttle.failed("schulz", "203.0.113.9")
    assert await throttle.blocked("schulz", "203.0.113.9")
    assert await throttle.blocked(" Schulz", "203.0.113.9")  # the same name
    assert not await throttle.blocked("Schulz ", "198.51.100.4")  # the real advisor, elsewhere
    assert not await throttle.blocked("brandt", "203.0.113.9")  # another name
    await throttle.succeeded("schulz", "198.51.100.4")
    assert await throttle.blocked("schulz", "203.0.113.9")


async def test_a_success_forgets_the_failures_of_the_name(throttle: LoginThrottle) -> None:
    for _ in range(MAX_FAILURES_PER_NAME - 1):
        await throttle.failed("schulz", "203.0.113.9")
    await throttle.succeeded("Schulz", "203.0.113.9")
    for _ in range(MAX_FAILURES_PER_NAME - 1):
        await throttle.failed("schulz", "203.0.113.9")
    assert not await throttle.blocked("schulz", "203.0.113.9")


async def test_an_address_guessing_many_names_is_stopped(throttle: LoginThrottle) -> None:
    for number in range(MAX_FAILURES_PER_ADDRESS):
        assert not await throttle.blocked(f"name{number}", "203.0.113.9")
        await throttle.failed(f"name{number}", "203.0.113.9")
    assert await throttle.blocked("noch-ein-name", "203.0.113.9")
    assert not await throttle.blocked("noch-ein-name", "198.51.100.4")


async def test_memory_stays_bounded_under_a_flood_of_random_names() -> None:
    windows = LocalWindows(max_keys=100)
    throttle = LoginThrottle(windows)
    for _ in range(MAX_FAILURES_PER_NAME):
        await throttle.failed("schulz", "203.0.113.9")
    assert await throttle.blocked("schulz", "203.0.113.9")
    for number in range(10_000):
        await throttle.failed(f"zufall{number}", f"10.0.{number // 250}.{number % 250}")
    assert len(windows._events) <= 100
    # the oldest keys made room: their failures are forgotten, the newest kept
    assert not await throttle.blocked("schulz", "203.0.113.9")
    for _ in range(MAX_FAILURES_PER_NAME - 1):
        await throttle.failed("zufall9999", "10.0.39.249")
    assert await throttle.blocked("zufall9999", "10.0.39.249")


async def test_failures_on_one_instance_block_the_login_on_another(
    redis_clients: tuple[redis.Redis, redis.Redis],
) -> None:
    first = LoginThrottle(RedisWindows(redis_clients[0]))
    second = LoginThrottle(RedisWindows(redis_clients[1]))
    for _ in range(MAX_FAILURES_PER_NAME - 2):
        await first.failed("schulz", "203.0.113.9")
    for _ in range(2):
        await second.failed("schulz", "203.0.113.9")
    assert await first.blocked("schulz", "203.0.113.9")
    assert await second.blocked("schulz", "203.0.113.9")
    assert not await second.blocked("schulz", "198.51.100.4")
    await second.succeeded("schulz", "203.0.113.9")
    assert not await first.blocked("schulz", "203.0.113.9")
