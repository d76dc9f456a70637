"""Callbacks at the advisor console in Chromium, two advisors and two people:
tel:/mailto: links, the outcome, the plain-text transcript, "Verlauf per E-Mail senden"
with the person's consent, and the filters and search over closed conversations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.desk_steps import (
    accessible,
    advisor_page,
    desk_gateway,
    inbox,
    log_in,
    person_page,
    request_callback,
    screenshot,
    seen_text,
)
from tests.browser.test_console_desk import ALLOWED
from tests.mail_inbox import Inbox
from tests.stack import Gateway

pytestmark = pytest.mark.browser
__all__ = ["desk_gateway", "inbox"]  # module fixtures

EMAIL = "carla@werkstatt-neumann.example"


def open_callback(advisor: Page, contact: str) -> None:
    advisor.locator("#queue-callbacks li.queue-item", has_text=contact).click()
    expect(advisor.locator("#pane-status")).to_have_text("Rückrufbitte offen")


def test_callbacks_transcript_mail_and_closed_search(
    browser: Browser, desk_gateway: Gateway, inbox: tuple[Inbox, int]
) -> None:
    carla, dieter = person_page(browser), person_page(browser)
    request_callback(carla, desk_gateway, EMAIL)
    request_callback(dieter, desk_gateway, "0345 7654321")
    lange, brandt = advisor_page(browser), advisor_page(browser)
    log_in(lange, desk_gateway, "Lange")
    log_in(brandt, desk_gateway, "Brandt")

    # Carla gave an e-mail address: a mailto: link; the transcript only with her consent
    open_callback(lange, EMAIL)
    expect(lange.get_by_role("link", name=EMAIL)).to_have_attribute(
        "href", "mailto:carla@werkstatt-neumann.example"
    )
    mail = lange.get_by_role("button", name="Verlauf per E-Mail senden")
    expect(mail).to_be_disabled()
    expect(lange.locator("#transcript-mail-note")).to_have_text(
        "Nur wer den Vorgang bearbeitet, kann den Verlauf senden."
    )
    lange.get_by_role("button", name="Übernehmen").click()
    expect(mail).to_be_enabled()
    mail.click()
    expect(lange.locator("#transcript-mail-note")).to_contain_text("wurde schon gefragt")
    expect(mail).to_be_disabled()
    seen_text(carla, f"per E-Mail an {EMAIL} senden")
    assert inbox[0].mails == []
    carla.get_by_role("button", name="Ja, bitte senden").click()
    seen_text(carla, "Danke! Der Verlauf geht")
    expect(lange.locator("#transcript-mail-note")).to_have_text(
        "Der Verlauf wurde per E-Mail gesendet.", timeout=10_000
    )
    [(recipients, message)] = inbox[0].mails
    assert recipients == [EMAIL]
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert "Werkstatt Neumann in Halle" in body.decode()

    # the outcome, then done
    lange.get_by_label("Ergebnis des Rückrufs").select_option(label="Termin vereinbart")
    lange.get_by_role("button", name="Ergebnis speichern").click()
    expect(lange.locator("#pane-meta")).to_contain_text("Termin vereinbart")
    with lange.expect_download() as download_info:
        lange.get_by_role("button", name="Verlauf als Text").click()
    download = download_info.value
    assert download.suggested_filename.startswith("verlauf-HK-")
    path = download.path()
    assert path is not None
    text = path.read_text(encoding="utf-8")
    assert "Person:\n  Werkstatt Neumann in Halle" in text
    lange.get_by_role("button", name="Rückruf erledigt").click()
    expect(lange.locator("#pane-status")).to_have_text("Rückruf erledigt")

    # Dieter gave a phone number: a tel: link, and no transcript by e-mail
    open_callback(brandt, "0345 7654321")
    expect(brandt.get_by_role("link", name="0345 7654321")).to_have_attribute(
        "href", "tel:03457654321"
    )
    brandt.get_by_role("button", name="Übernehmen").click()
    expect(brandt.locator("#transcript-mail-note")).to_have_text(
        "Die Person hat keine E-Mail-Adresse angegeben."
    )
    expect(brandt.get_by_role("button", name="Verlauf per E-Mail senden")).to_be_disabled()
    brandt.get_by_label("Ergebnis des Rückrufs").select_option("not_reached")
    brandt.get_by_role("button", name="Ergebnis speichern").click()
    expect(brandt.locator("#pane-meta")).to_contain_text("nicht erreicht")
    brandt.get_by_role("button", name="Rückruf erledigt").click()
    expect(brandt.locator("#pane-status")).to_have_text("Rückruf erledigt")

    # closed conversations: only one's own, by text, date and topic
    search = lange.get_by_role("search").filter(has=lange.get_by_label("Suche im Verlauf"))
    search.get_by_label("Suche im Verlauf").fill("werkstatt neumann")
    search.get_by_role("button", name="Filtern").click()
    results = lange.locator("#closed-results li.queue-item")
    expect(results).to_have_count(1)
    expect(lange.locator("#closed-status")).to_have_text("1 Vorgang gefunden.")
    accessible(lange, ALLOWED)  # filters with results
    results.first.scroll_into_view_if_needed()
    screenshot(lange, "console-search.png")
    search.get_by_label("Vorgänge").select_option("all")
    search.get_by_role("button", name="Filtern").click()
    expect(results).to_have_count(1)  # not an admin: Brandt's callback stays his
    search.get_by_label("Thema").select_option("kasse_tse")
    search.get_by_role("button", name="Filtern").click()
    expect(lange.locator("#closed-status")).to_have_text("Keine Vorgänge gefunden.")
    search.get_by_role("button", name="Zurücksetzen").click()
    search.get_by_label("Von").fill("2020-01-02")
    search.get_by_label("Bis").fill("2020-01-01")
    search.get_by_role("button", name="Filtern").click()
    expect(lange.locator("#closed-status")).to_have_text("„Von“ liegt nach „bis“.")
    results_b = brandt.locator("#closed-results li.queue-item")
    brandt.get_by_label("Suche im Verlauf").fill("Werkstatt")
    brandt.get_by_role("button", name="Filtern").click()
    expect(results_b).to_have_count(1)
    results_b.first.click()
    expect(brandt.locator("#pane-meta")).to_contain_text("0345 7654321")
