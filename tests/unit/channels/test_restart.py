"""A gateway restart between storing and answering, or between answering and sending,
loses nothing and duplicates nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.channels import TELEGRAM
from bot.keys import CHANNELS
from tests.unit.channels.conftest import CHAT, Setup, eventually


async def test_a_message_stored_before_a_crash_is_answered_after_it(
    start_gateway: Callable[..., Awaitable[Setup]],
) -> None:
    first = await start_gateway()
    update = first.telegram.message_update(CHAT, "Hallo")
    events = first.app[CHANNELS].telegram.parse(update)  # type: ignore[union-attr]
    stored = await first.app[CHANNELS].inbox.store(TELEGRAM, list(events))
    assert len(stored) == 1  # committed, as the webhook does, but never handed on
    await first.server.close()
    assert first.rasa.received == []
    second = await start_gateway()
    await eventually(lambda: second.telegram.texts_to(CHAT))
    assert len(second.rasa.received) == 1
    assert await second.telegram.push(update) == [200]  # Telegram's late retry: a no-op
    assert len(second.rasa.received) == 1


async def test_an_answer_waiting_for_a_retry_is_sent_after_a_restart(
    start_gateway: Callable[..., Awaitable[Setup]],
) -> None:
    first = await start_gateway()
    # the first call is "typing…", the second the answer
    first.telegram.fail_next(2, status=502, body={"ok": False, "error_code": 502})
    await first.telegram.push(first.telegram.message_update(CHAT, "Hallo"))
    await eventually(lambda: any(c[0] == "sendMessage" for c in first.telegram.calls))
    await first.server.close()
    assert first.telegram.texts_to(CHAT) == []
    second = await start_gateway()
    await eventually(lambda: second.telegram.texts_to(CHAT), within=10)
    assert len(second.telegram.texts_to(CHAT)) == 1
    assert len(second.rasa.received) == 1


async def test_a_send_cut_off_by_a_shutdown_is_given_back_at_once(
    start_gateway: Callable[..., Awaitable[Setup]],
) -> None:
    first = await start_gateway()
    error = {"ok": False, "error_code": 502}
    first.telegram.fail_next(1, status=502, body=error)  # "typing…"
    first.telegram.fail_next(1, status=502, body=error, delay=5)  # the answer, in flight
    await first.telegram.push(first.telegram.message_update(CHAT, "Hallo"))
    await eventually(lambda: any(c[0] == "sendMessage" for c in first.telegram.calls))
    await first.server.close()  # during the call: its lease (60 s) is given back
    second = await start_gateway()
    await eventually(lambda: second.telegram.texts_to(CHAT), within=10)
    assert len(second.telegram.texts_to(CHAT)) == 1
