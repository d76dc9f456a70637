"""The chat page in Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from bot.config import ROOT
from tests.stack import Gateway

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "var" / "screenshots"


def test_welcome_without_typing_then_the_conversation_survives_a_reload(
    page: Page, gateway: Gateway
) -> None:
    page.goto(gateway.url + "/")
    expect(page).to_have_title("Handwerk digital – Handwerkskammer (Demo)")
    page.get_by_role("button", name="Fragen? Chat starten").click()
    # the welcome: a digital assistant, what it can and cannot do, privacy, four starters
    welcome = page.locator(".wb-welcome")
    expect(welcome).to_contain_text("Sie chatten mit werkbot, dem digitalen Assistenten")
    expect(welcome).to_contain_text("Rechts- oder Steuerberatung kann ich nicht geben")
    expect(welcome).to_contain_text("nach 90 Tagen ohne neue Nachricht gelöscht")
    privacy = welcome.get_by_role("link", name="Datenschutz")
    assert (privacy.get_attribute("href") or "").endswith("/datenschutz")
    starters = page.get_by_role("group", name="Antwortvorschläge").get_by_role("button")
    expect(starters).to_have_text(
        ["Frage zur Digitalisierung", "Veranstaltungen", "Praxisbeispiele", "Beratung"]
    )
    expect(page.locator(".wb-msg")).to_have_count(0)  # nothing stored before the person acts

    page.get_by_role("button", name="Frage zur Digitalisierung").click()
    bot_messages = page.locator('.wb-msg[data-sender="bot"]')
    expect(bot_messages.first).to_contain_text("Stellen Sie Ihre Frage", timeout=15_000)
    expect(page.get_by_label("Ihre Nachricht")).to_be_focused()  # focus stays in the chat
    page.get_by_label("Ihre Nachricht").fill("Hallo")
    page.get_by_label("Ihre Nachricht").press("Enter")
    expect(bot_messages.nth(1)).to_contain_text("Ich bin werkbot", timeout=15_000)

    page.reload()
    texts = page.locator(".wb-msg .wb-text")
    expect(texts).to_have_count(4, timeout=15_000)
    expect(texts.nth(0)).to_have_text("Frage zur Digitalisierung")
    expect(page.locator(".wb-msg").nth(0)).to_have_attribute("data-sender", "user")
    expect(texts.nth(1)).to_contain_text("Stellen Sie Ihre Frage")
    expect(texts.nth(2)).to_have_text("Hallo")
    expect(texts.nth(3)).to_contain_text("Ich bin werkbot")
    # screen readers hear who wrote each message
    expect(page.locator(".wb-msg").nth(0)).to_contain_text("Sie: Frage zur Digitalisierung")
    expect(page.locator(".wb-msg").nth(1)).to_contain_text("Assistent: Gern! Stellen Sie")


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
    # "Mehr lesen" names the guide; the address stays in the messengers' text
    link = answer.locator("a").first
    expect(link).not_to_contain_text("http")
    href = link.get_attribute("href")
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
    expect(page.locator('.wb-msg[data-sender="user"] .wb-text')).to_have_text(
        '<img src=x onerror="window.pwned=1">'
    )
    expect(page.locator('.wb-msg[data-sender="bot"]').first).to_be_visible(timeout=15_000)
    assert page.evaluate("window.pwned") is None
    assert page.locator(".wb-msg img").count() == 0


def test_privacy_note_erase_and_end_on_a_shared_computer(page: Page, gateway: Gateway) -> None:
    page.goto(gateway.url + "/")
    page.get_by_role("button", name="Fragen? Chat starten").click()
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
