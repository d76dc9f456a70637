"""Failed logins are throttled per address, never for a name everywhere."""

from bot.console.throttle import (
    MAX_FAILURES_PER_ADDRESS,
    MAX_FAILURES_PER_NAME,
    LoginThrottle,
)


def test_wrong_passwords_from_one_address_do_not_lock_the_advisor_elsewhere() -> None:
    throttle = LoginThrottle()
    for _ in range(MAX_FAILURES_PER_NAME):
        throttle.failed("schulz", "203.0.113.9")
    assert throttle.blocked("schulz", "203.0.113.9")
    assert not throttle.blocked("Schulz ", "198.51.100.4")  # the real advisor, elsewhere
    throttle.succeeded("schulz", "198.51.100.4")
    assert throttle.blocked("schulz", "203.0.113.9")


def test_an_address_guessing_many_names_is_stopped() -> None:
    throttle = LoginThrottle()
    for number in range(MAX_FAILURES_PER_ADDRESS):
        assert not throttle.blocked(f"name{number}", "203.0.113.9")
        throttle.failed(f"name{number}", "203.0.113.9")
    assert throttle.blocked("noch-ein-name", "203.0.113.9")


def test_memory_stays_bounded_under_a_flood_of_random_names() -> None:
    throttle = LoginThrottle(max_keys=100)
    for number in range(10_000):
        throttle.failed(f"zufall{number}", f"10.0.{number // 250}.{number % 250}")
    assert len(throttle._failures) <= 100
