from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.rasa_client import RasaClient, RasaUnavailableError, merge_custom, parse_reply
from tests.fake_rasa import FakeRasa


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def test_parse_reply_keeps_text_buttons_and_custom() -> None:
    reply = parse_reply(
        {
            "text": "Wählen Sie:",
            "buttons": [{"title": "Hilfe", "payload": "/help"}, {"payload": "/no_title"}],
            "custom": {"handoff": {"reason": "request_human"}},
        }
    )
    assert reply is not None
    assert reply.sender == "bot"
    assert reply.buttons == [{"title": "Hilfe", "payload": "/help"}]
    assert reply.custom == {"handoff": {"reason": "request_human"}}


def test_parse_reply_drops_empty_items_and_keeps_images() -> None:
    assert parse_reply({"recipient_id": "x"}) is None
    image = parse_reply({"image": "https://example.org/a.png"})
    assert image is not None
    assert image.custom == {"image": "https://example.org/a.png"}


async def test_send_forwards_sender_and_message(
    fake_rasa: FakeRasa, http: aiohttp.ClientSession
) -> None:
    fake_rasa.replies = [{"text": "Eins"}, {"text": "Zwei"}]
    replies = await RasaClient(http, fake_rasa.url, 2).send("abc", "Hallo")
    assert [r.text for r in replies] == ["Eins", "Zwei"]
    assert fake_rasa.received == [{"sender": "abc", "message": "Hallo"}]


async def test_http_error_is_unavailable(fake_rasa: FakeRasa, http: aiohttp.ClientSession) -> None:
    fake_rasa.status = 500
    with pytest.raises(RasaUnavailableError, match="HTTP 500"):
        await RasaClient(http, fake_rasa.url, 2).send("abc", "Hallo")


async def test_slow_rasa_is_unavailable_after_the_timeout(
    fake_rasa: FakeRasa, http: aiohttp.ClientSession
) -> None:
    fake_rasa.delay = 2
    with pytest.raises(RasaUnavailableError):
        await RasaClient(http, fake_rasa.url, 0.2).send("abc", "Hallo")


async def test_closed_port_is_unavailable_and_unhealthy(http: aiohttp.ClientSession) -> None:
    client = RasaClient(http, "http://127.0.0.1:9", 1)
    with pytest.raises(RasaUnavailableError):
        await client.send("abc", "Hallo")
    assert not await client.is_healthy()


async def test_unexpected_body_is_unavailable(
    fake_rasa: FakeRasa, http: aiohttp.ClientSession
) -> None:
    fake_rasa.replies = {"not": "a list"}  # type: ignore[assignment]
    with pytest.raises(RasaUnavailableError, match="Unerwartete Antwort"):
        await RasaClient(http, fake_rasa.url, 2).send("abc", "Hallo")


def test_custom_only_item_is_folded_into_the_message_before_it() -> None:
    replies = merge_custom(
        [
            parse_reply({"text": "Antwort"}),
            parse_reply({"custom": {"answer": {"guide_id": "x"}}}),
            parse_reply({"recipient_id": "leer"}),
            parse_reply({"text": "Zweite"}),
        ]
    )
    assert [(r.text, r.custom) for r in replies] == [
        ("Antwort", {"answer": {"guide_id": "x"}}),
        ("Zweite", None),
    ]
    [alone] = merge_custom([parse_reply({"custom": {"handoff": {}}})])
    assert alone.custom == {"handoff": {}}


def test_a_short_title_for_messengers_is_kept() -> None:
    reply = parse_reply(
        {"text": "x", "buttons": [{"title": "Langer Titel", "payload": "p", "short_title": "Kurz"}]}
    )
    assert reply is not None
    assert reply.buttons == [{"title": "Langer Titel", "payload": "p", "short_title": "Kurz"}]
