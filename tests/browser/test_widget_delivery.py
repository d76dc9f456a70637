"""No message is lost or stored twice: offline, on a half-open connection, with a lost
acknowledgement, and with a second tab. Counted in the database."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.flaky_link import flaky_link
from tests.browser.stored import stored_count, user_texts
from tests.stack import Gateway

pytestmark = pytest.mark.browser

NOT_SENT = '.wb-msg[data-delivery="pending"], .wb-msg[data-delivery="failed"]'


def start_chat(page: Page, url: str) -> None:
    """A fresh conversation, answered once (so it is stored)."""
    page.goto(url + "/")
    page.evaluate("localStorage.clear(); sessionStorage.clear()")
    page.reload()
    page.get_by_role("button", name="Fragen? Chat starten").click()
    say(page, "Hallo")
    expect(page.locator('.wb-msg[data-sender="bot"]').last).to_contain_text(
        "Ich bin werkbot", timeout=15_000
    )


def say(page: Page, text: str) -> None:
    box = page.get_by_label("Ihre Nachricht")
    box.fill(text)
    box.press("Enter")


def conversation_of(page: Page) -> str:
    found = page.evaluate("localStorage.getItem('werkbot.conversationId')")
    assert isinstance(found, str)
    return found


def test_messages_typed_offline_go_out_once_when_back_online(page: Page, gateway: Gateway) -> None:
    start_chat(page, gateway.url)
    page.context.set_offline(True)
    banner = page.locator(".wb-banner")
    expect(banner).to_contain_text("Sie sind offline")
    texts = [f"Offline eins {uuid.uuid4().hex[:6]}", f"Offline zwei {uuid.uuid4().hex[:6]}"]
    for text in texts:
        say(page, text)
    waiting = page.locator('.wb-msg[data-delivery="pending"]')
    expect(waiting).to_have_count(2)
    expect(waiting.first).to_contain_text("wird gesendet …")
    page.wait_for_timeout(500)
    assert [stored_count(gateway.database_url, text) for text in texts] == [0, 0]

    page.context.set_offline(False)
    expect(page.locator(NOT_SENT)).to_have_count(0, timeout=20_000)
    expect(banner).to_be_hidden()
    assert user_texts(gateway.database_url, conversation_of(page))[-2:] == texts
    assert [stored_count(gateway.database_url, text) for text in texts] == [1, 1]
    for text in texts:  # one bubble each, no duplicate after the resend
        expect(page.locator(".wb-msg .wb-text").filter(has_text=text)).to_have_count(1)
    expect(page.locator('.wb-msg[data-sender="bot"]')).to_have_count(3, timeout=15_000)


@pytest.mark.parametrize("only_back", [False, True], ids=["frame-lost", "ack-lost"])
def test_half_open_connection_loses_and_doubles_nothing(
    page: Page, gateway: Gateway, only_back: bool
) -> None:
    port = urlsplit(gateway.url).port
    assert port is not None
    with flaky_link(port) as link:
        start_chat(page, f"http://127.0.0.1:{link.port}")
        link.stall(only_back=only_back)  # the phone's socket stays "open", nothing flows
        text = f"Halb offen {uuid.uuid4().hex[:6]}: Wie erkenne ich Phishing?"
        say(page, text)
        bubble = page.locator(".wb-msg").filter(has_text=text)
        expect(bubble).to_have_attribute("data-delivery", "pending")
        # the widget notices within seconds, reconnects and sends (or confirms) it
        expect(bubble).to_have_attribute("data-delivery", "sent", timeout=20_000)
        answer = page.locator('.wb-msg[data-sender="bot"]').last
        expect(answer).to_contain_text("Quelle:", timeout=15_000)
        assert stored_count(gateway.database_url, text) == 1
        expect(page.locator(".wb-msg .wb-text").filter(has_text=text)).to_have_count(1)
        expect(page.locator(".wb-msg").filter(has_text="Quelle:")).to_have_count(1)


def test_a_second_tab_shows_the_same_conversation_live(browser: Browser, gateway: Gateway) -> None:
    context = browser.new_context(locale="de-DE", viewport={"width": 420, "height": 800})
    first, second = context.new_page(), context.new_page()
    for page in (first, second):
        page.goto(gateway.url + "/")
        page.evaluate("localStorage.clear()")
    for page in (first, second):
        page.reload()
    for page in (first, second):
        page.get_by_role("button", name="Fragen? Chat starten").click()
    # the first message of a new conversation: the other tab joins it
    say(first, "Hallo")
    for page in (first, second):
        expect(page.locator('.wb-msg[data-sender="bot"]').first).to_contain_text(
            "Ich bin werkbot", timeout=15_000
        )
        expect(page.locator('.wb-msg[data-sender="user"]')).to_have_count(1)
    say(second, "Wie erkenne ich eine Phishing-Mail?")
    for page in (first, second):
        expect(page.locator(".wb-msg").filter(has_text="Quelle:")).to_have_count(1, timeout=15_000)
        expect(page.locator('.wb-msg[data-sender="user"]')).to_have_count(2)
    assert conversation_of(first) == conversation_of(second)
    assert len(user_texts(gateway.database_url, conversation_of(first))) == 2
    context.close()
