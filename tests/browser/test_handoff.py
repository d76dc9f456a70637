"""Human handoff in two Chromium pages: the person in the widget, the advisor in the
console."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.handoff_steps import advisor_logs_in, person_queues
from tests.browser.test_widget import SCREENSHOTS
from tests.stack import Gateway

pytestmark = pytest.mark.browser


def test_person_and_advisor_talk_then_the_bot_takes_over(
    pages: tuple[Page, Page], gateway: Gateway
) -> None:
    person, advisor = pages
    advisor_logs_in(advisor, gateway, "--name", "Heike Lange", "--salutation", "Frau")
    box = person_queues(person, gateway, "Welche TSE passt zu meiner alten Kasse?")

    started = time.monotonic()
    waiting = advisor.locator("#queue-waiting li.queue-item")
    expect(waiting).to_have_count(1, timeout=1_000)  # visible within a second
    assert time.monotonic() - started < 1.0
    waiting.first.click()
    advisor.locator("#claim").click()
    expect(person.locator(".wb-msg .wb-text").last).to_have_text(
        "Frau Lange von der Handwerkskammer ist jetzt für Sie da.", timeout=5_000
    )

    advisor.locator("#reply-text").fill("Guten Tag! Wobei kann ich helfen?")
    advisor.locator("#reply-send").click()
    reply = person.locator('.wb-msg[data-sender="advisor"]')
    expect(reply).to_contain_text("Guten Tag! Wobei kann ich helfen?", timeout=5_000)
    expect(reply).to_contain_text("Frau Lange")
    # the console says the reply reached the person's open chat, and warns of nothing
    sent = advisor.locator('#transcript li[data-sender="advisor"] .msg-delivery').last
    expect(sent).to_have_text("zugestellt", timeout=5_000)
    expect(advisor.locator("#reply-notice")).to_be_hidden()
    expect(advisor.locator("#pane-meta")).to_contain_text("Website-Chat")

    bot_messages = person.locator('.wb-msg[data-sender="bot"]')
    before = bot_messages.count()
    box.fill("<b>Kasse</b> & TSE")
    box.press("Enter")
    own = advisor.locator('#transcript li[data-sender="user"]').last
    expect(own).to_contain_text("<b>Kasse</b> & TSE", timeout=5_000)  # shown as text
    assert advisor.locator("#transcript b").count() == 0
    person.wait_for_timeout(1_500)
    assert bot_messages.count() == before  # the bot stayed silent
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    advisor.screenshot(path=str(SCREENSHOTS / "berater-konsole.png"))
    person.screenshot(path=str(SCREENSHOTS / "widget-handoff.png"))

    advisor.locator("#close").click()
    advisor.get_by_role("dialog", name="Gespräch beenden?").get_by_role(
        "button", name="Ja, beenden"
    ).click()
    expect(person.locator(".wb-msg").last).to_contain_text(
        "Sie sprechen wieder mit dem digitalen Assistenten", timeout=5_000
    )
    person.get_by_role("button", name="5", exact=True).click()
    expect(person.locator(".wb-msg .wb-text").last).to_have_text("Danke für Ihre Bewertung!")

    box.fill("Hallo")
    box.press("Enter")
    expect(bot_messages.last).to_contain_text("Ich bin werkbot", timeout=15_000)

    closed = advisor.locator("#queue-closed li.queue-item").first
    expect(closed).to_have_attribute("data-status", "closed")
    handoff_id = closed.get_attribute("data-id")
    detail = advisor.request.get(f"{gateway.url}/berater/api/handoffs/{handoff_id}").json()
    assert detail["handoff"]["rating"] == 5
