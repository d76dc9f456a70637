"""The widget's limits per address count the sockets and new conversations of every
instance sharing Redis."""

from __future__ import annotations

from bot.cluster.slots import RedisSlots
from bot.cluster.windows import RedisWindows
from bot.limits import SocketLimits
from tests.unit.cluster.support import MakeClient


def limits(make_client: MakeClient) -> SocketLimits:
    """One instance's limits: two sockets, two new conversations a minute per address."""
    client = make_client(None)
    return SocketLimits(2, 2, 10, windows=RedisWindows(client), slots=RedisSlots(client))


async def test_sockets_per_address_count_on_every_instance(make_client: MakeClient) -> None:
    first, second = limits(make_client), limits(make_client)
    token = await first.open("203.0.113.9")
    assert token is not None
    assert await second.open("203.0.113.9") is not None
    assert await first.open("203.0.113.9") is None
    assert await second.open("203.0.113.9") is None
    assert await second.open("198.51.100.4") is not None  # another address
    await first.close("203.0.113.9", token)
    assert await second.open("203.0.113.9") is not None


async def test_new_conversations_per_address_count_on_every_instance(
    make_client: MakeClient,
) -> None:
    first, second = limits(make_client), limits(make_client)
    assert await first.new_conversation("203.0.113.9")
    assert await second.new_conversation("203.0.113.9")
    assert not await first.new_conversation("203.0.113.9")
    assert not await second.new_conversation("203.0.113.9")
    assert await second.new_conversation("198.51.100.4")


async def test_messages_are_limited_per_connection(make_client: MakeClient) -> None:
    first, second = limits(make_client), limits(make_client)
    window, other = first.message_window(), second.message_window()
    assert all(window.allow("ws") for _ in range(10))
    assert not window.allow("ws")
    assert other.allow("ws")  # each connection counts its own messages
