"""Steps both handoff browser tests take: the advisor's login, and the person asking
for an advisor until their concern is queued."""

from __future__ import annotations

import uuid

from playwright.sync_api import Locator, Page, expect

from tests.advisors import PASSWORD
from tests.integration.test_handoff import add_advisor
from tests.stack import Gateway


def advisor_logs_in(advisor: Page, gateway: Gateway, *account: str) -> None:
    """Create an advisor account (`add` options) and log in through the form."""
    username = f"berater-{uuid.uuid4().hex[:6]}"
    add_advisor(gateway.database_url, username, *account)
    advisor.goto(gateway.url + "/berater")
    advisor.get_by_label("Benutzername").fill(username)
    advisor.get_by_label("Passwort").fill(PASSWORD)
    advisor.get_by_role("button", name="Anmelden").click()
    expect(advisor.locator("#connection")).to_have_attribute("data-state", "open")


def person_queues(person: Page, gateway: Gateway, concern: str) -> Locator:
    """Open the widget, ask for an advisor, consent, describe `concern`; the message box."""
    person.goto(gateway.url + "/")
    person.get_by_role("button", name="Fragen? Chat starten").click()
    box = person.get_by_label("Ihre Nachricht")
    box.fill("Ich möchte mit einem Berater sprechen")
    box.press("Enter")
    expect(person.locator(".wb-msg").last).to_contain_text("Datenschutz", timeout=15_000)
    person.get_by_role("button", name="Einverstanden").click()
    # no question asked before: the person writes the concern
    expect(person.locator(".wb-msg").last).to_contain_text("Beschreiben Sie Ihr Anliegen")
    box.fill(concern)
    box.press("Enter")
    expect(person.locator(".wb-msg").last).to_contain_text("Sie sind an Position 1")
    return box
