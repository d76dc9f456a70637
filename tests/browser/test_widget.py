"""The chat page in Debian's Chromium, driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from bot.config import ROOT
from tests.stack import Gateway

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "var" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium fehlt: `make browsers` installiert es")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="de-DE", viewport={"width": 420, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def test_greeting_survives_a_reload(page: Page, gateway: Gateway) -> None:
    page.goto(gateway.url + "/")
    expect(page).to_have_title("Handwerk digital – Handwerkskammer (Demo)")
    page.get_by_role("button", name="Fragen? Chat starten").click()
    page.get_by_label("Ihre Nachricht").fill("Hallo")
    page.get_by_label("Ihre Nachricht").press("Enter")

    bot_messages = page.locator('.wb-msg[data-sender="bot"]')
    expect(bot_messages.first).to_contain_text("Ich bin werkbot", timeout=15_000)
    page.get_by_role("button", name="Frage zur Digitalisierung").click()
    expect(bot_messages.nth(1)).to_contain_text("Stellen Sie Ihre Frage", timeout=15_000)

    page.reload()
    messages = page.locator(".wb-msg")
    expect(messages).to_have_count(4, timeout=15_000)
    expect(messages.nth(0)).to_have_text("Hallo")
    expect(messages.nth(0)).to_have_attribute("data-sender", "user")
    expect(messages.nth(1)).to_contain_text("Ich bin werkbot")
    expect(messages.nth(2)).to_have_text("Frage zur Digitalisierung")
    expect(messages.nth(3)).to_contain_text("Stellen Sie Ihre Frage")


def test_answer_links_to_the_guide_page(page: Page, gateway: Gateway) -> None:
    page.goto(gateway.url + "/")
    page.evaluate("localStorage.clear()")
    page.reload()
    page.get_by_role("button", name="Fragen? Chat starten").click()
    page.get_by_label("Ihre Nachricht").fill("Wie erkenne ich eine Phishing-Mail?")
    page.get_by_label("Ihre Nachricht").press("Enter")
    answer = page.locator('.wb-msg[data-sender="bot"]').first
    expect(answer).to_contain_text("Quelle:", timeout=15_000)
    expect(page.get_by_role("button", name="Hat geholfen")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    backend = gateway.database_url.split(":")[0]
    page.screenshot(path=str(SCREENSHOTS / f"answer-{backend}.png"))
    href = answer.locator("a").first.get_attribute("href")
    assert href is not None
    assert "/wissen/" in href
    page.goto(href.replace("http://127.0.0.1:8080", gateway.url))
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_text("Stand der Fakten")).to_be_visible()


def test_user_text_is_shown_as_text_not_html(page: Page, gateway: Gateway) -> None:
    page.goto(gateway.url + "/")
    page.evaluate("localStorage.clear()")
    page.reload()
    page.get_by_role("button", name="Fragen? Chat starten").click()
    page.get_by_label("Ihre Nachricht").fill('<img src=x onerror="window.pwned=1">')
    page.get_by_label("Ihre Nachricht").press("Enter")
    expect(page.locator('.wb-msg[data-sender="user"]')).to_have_text(
        '<img src=x onerror="window.pwned=1">'
    )
    expect(page.locator('.wb-msg[data-sender="bot"]').first).to_be_visible(timeout=15_000)
    assert page.evaluate("window.pwned") is None
    assert page.locator(".wb-msg img").count() == 0


def test_privacy_note_erase_and_end_on_a_shared_computer(page: Page, gateway: Gateway) -> None:
    page.goto(gateway.url + "/")
    page.get_by_role("button", name="Fragen? Chat starten").click()
    note = page.locator(".wb-privacy")
    expect(note).to_contain_text("nach 90 Tagen ohne neue Nachricht gelöscht")
    expect(note.get_by_role("link", name="Datenschutz")).to_have_attribute("href", "/datenschutz")
    stored = "() => localStorage.getItem('werkbot.conversationId')"

    page.get_by_label("Ihre Nachricht").fill("Hallo")
    page.get_by_label("Ihre Nachricht").press("Enter")
    expect(page.locator('.wb-msg[data-sender="bot"]').first).to_be_visible(timeout=15_000)
    assert page.evaluate(stored)
    page.get_by_role("button", name="Daten löschen").click()
    expect(page.locator('.wb-msg[data-sender="system"]').last).to_contain_text(
        "Soll ich alles löschen?", timeout=10_000
    )
    page.get_by_role("button", name="Ja, alles löschen").click()
    expect(page.locator('.wb-msg[data-sender="system"]').last).to_contain_text(
        "überall gelöscht", timeout=10_000
    )
    assert page.evaluate(stored) is None
    page.reload()
    expect(page.locator(".wb-panel")).to_be_visible()
    page.wait_for_timeout(1000)
    expect(page.locator(".wb-msg")).to_have_count(0)

    page.get_by_label("Ihre Nachricht").fill("Hallo")
    page.get_by_label("Ihre Nachricht").press("Enter")
    expect(page.locator('.wb-msg[data-sender="bot"]').first).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Beenden").click()
    expect(page.locator(".wb-msg")).to_have_count(0)
    assert page.evaluate(stored) is None
    page.reload()
    page.wait_for_timeout(1000)
    expect(page.locator(".wb-msg")).to_have_count(0)
