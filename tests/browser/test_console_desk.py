"""The advisor console's desk in Chromium: two advisors, two people in live chats.
Attention signals, drafts, the reply box, unread counts and previews, presence and
typing both ways, canned responses and guides, keyboard shortcuts, confirmations, and
axe on every view."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.desk_steps import (
    BASE_TITLE,
    accessible,
    advisor_page,
    desk_gateway,
    hide,
    inbox,
    log_in,
    open_widget,
    person_page,
    queue_after_a_guide,
    recorded,
    screenshot,
    seen_text,
)
from tests.stack import Gateway

pytestmark = pytest.mark.browser
__all__ = ["desk_gateway", "inbox"]  # module fixtures

# axe "moderate" rules allowed on the console, with their reasons in docs/accessibility.md
ALLOWED: frozenset[str] = frozenset()


def item(advisor: Page, queue: str, index: int = 0) -> Locator:
    return advisor.locator(f"#queue-{queue} li.queue-item").nth(index)


def test_attention_unread_drafts_and_the_reply_box(browser: Browser, desk_gateway: Gateway) -> None:
    lange, brandt = advisor_page(browser), advisor_page(browser)
    anna, ben = person_page(browser), person_page(browser)

    lange.goto(desk_gateway.url + "/berater/login")
    accessible(lange, ALLOWED)  # login
    log_in(lange, desk_gateway, "Lange")
    log_in(brandt, desk_gateway, "Brandt")
    expect(lange.locator("#empty-waiting")).to_be_visible()
    accessible(lange, ALLOWED)  # empty queue
    assert lange.title() == BASE_TITLE

    # the sound is off until switched on (remembered); notifications are asked for on a click
    sound = lange.get_by_label("Ton bei neuen Nachrichten")
    expect(sound).not_to_be_checked()
    sound.check()
    assert lange.evaluate("localStorage.getItem('werkbot.berater.sound')") == "on"
    assert recorded(lange, "__asked") == 0
    lange.get_by_role("button", name="Desktop-Benachrichtigungen").click()
    assert recorded(lange, "__asked") == 1
    beeps = recorded(lange, "__beeps")

    # Lange works in another window: a new chat counts in the title, beeps and notifies
    hide(lange, True)
    say_anna = open_widget(anna, desk_gateway)
    say_anna("Ich möchte mit einem Berater sprechen")
    anna.get_by_role("button", name="Einverstanden").click()
    seen_text(anna, "Beschreiben Sie Ihr Anliegen")
    say_anna("Frage zur Kasse meiner Bäckerei")
    seen_text(anna, "Sie sind an Position 1")
    expect(lange).to_have_title(f"(1) {BASE_TITLE}")
    assert recorded(lange, "__beeps") > beeps
    assert recorded(lange, "__notes")[-1]["title"] == "Neuer Chat wartet"
    # Brandt looks at the console: the title counts the new chat, no notification
    expect(brandt).to_have_title(f"(1) {BASE_TITLE}")
    assert recorded(brandt, "__notes") == []

    hide(lange, False)
    expect(item(lange, "waiting")).to_contain_text("Zuletzt: „Frage zur Kasse meiner Bäckerei“")
    item(lange, "waiting").click()
    expect(lange).to_have_title(BASE_TITLE)
    expect(lange.locator("#presence")).to_have_text("Die Person ist im Chat.")
    accessible(lange, ALLOWED)  # a selected waiting handoff

    lange.get_by_role("button", name="Übernehmen").click()
    reply = lange.get_by_label("Antwort an die Person")
    expect(reply).to_be_focused()
    # the claim's system message is no "neue Nachricht" for Brandt
    expect(brandt).to_have_title(BASE_TITLE)
    expect(brandt.locator(".badge-new")).to_have_count(0)
    for height in (900, 720):
        lange.set_viewport_size({"width": 1280, "height": height})
        expect(reply).to_be_in_viewport()
        expect(lange.get_by_role("button", name="Senden", exact=True)).to_be_in_viewport()
    lange.set_viewport_size({"width": 1280, "height": 900})
    accessible(lange, ALLOWED)  # an active handoff with the reply box

    # typing both ways, and the person's presence
    say_anna_typing = anna.get_by_label("Ihre Nachricht")
    say_anna_typing.press_sequentially("Ha", delay=50)
    expect(lange.locator("#typing")).to_have_text("Die Person schreibt …")
    reply.press_sequentially("Moment", delay=50)
    seen_text(anna, "Frau Lange schreibt …", timeout=5_000)

    # a second person; Lange's draft for Anna stays while she works on Ben's chat
    say_ben = queue_after_a_guide(ben, desk_gateway)
    expect(lange.locator("#queue-waiting li.queue-item")).to_have_count(1)
    item(lange, "waiting").click()
    expect(lange.locator("#claim")).to_be_visible()
    ben_ticket = lange.locator("#pane-title").inner_text().removeprefix("Vorgang ")
    lange.get_by_role("button", name="Übernehmen").click()
    expect(reply).to_be_focused()
    expect(reply).to_have_value("")
    reply.fill("Entwurf für Ben")
    # Anna writes while Ben's chat is open: unread count and preview, title counter
    say_anna("Sind Sie noch da?")
    anna_item = lange.locator("#queue-active li.queue-item", has_text="Sind Sie noch da?")
    expect(anna_item).to_contain_text("1 neue Nachricht")
    expect(lange).to_have_title(f"(1) {BASE_TITLE}")
    anna_item.click()
    expect(reply).to_have_value("Moment")
    expect(lange).to_have_title(BASE_TITLE)
    ben_item = lange.locator(f'#queue-active li[data-ticket="{ben_ticket}"]')
    ben_item.click()
    expect(reply).to_have_value("Entwurf für Ben")
    lange.reload()
    ben_item.click()
    expect(reply).to_have_value("Entwurf für Ben")  # sessionStorage keeps it in this tab

    # the guide Ben was shown and a canned response, one click each
    guide = lange.get_by_role("button", name=re.compile("^Leitfaden: "))
    expect(guide.first).to_be_visible()
    reply.fill("")
    guide.first.click()
    expect(reply).to_have_value(re.compile(r".+: http://127\.0\.0\.1:\d+/wissen/.+"))
    reply.press("Enter")
    seen_text(ben, "/wissen/", timeout=5_000)
    expect(reply).to_have_value("")
    assert lange.evaluate("Object.keys(sessionStorage).filter(k => k.includes('draft'))") != []
    say_ben("Danke!")

    lange.get_by_role("button", name="Textbausteine verwalten").click()
    dialog = lange.get_by_role("dialog", name="Textbausteine verwalten")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Titel (höchstens 60 Zeichen)").fill("Öffnungszeiten")
    dialog.get_by_label("Text (höchstens 2000 Zeichen)").fill("Wir sind Mo–Fr 8–15 Uhr da.")
    dialog.get_by_role("button", name="Speichern").click()
    expect(dialog.locator(".canned-item")).to_have_count(1)
    dialog.get_by_label("Titel (höchstens 60 Zeichen)").fill("Gruß")
    dialog.get_by_label("Text (höchstens 2000 Zeichen)").fill("Viele Grüße aus der Kammer")
    dialog.get_by_role("button", name="Speichern").click()
    expect(dialog.locator(".canned-item")).to_have_count(2)
    dialog.get_by_role("button", name="„Öffnungszeiten“ bearbeiten").click()
    dialog.get_by_label("Text (höchstens 2000 Zeichen)").fill("Wir sind Mo–Fr 8–16 Uhr da.")
    dialog.get_by_role("button", name="Speichern").click()
    expect(dialog).to_contain_text("Wir sind Mo–Fr 8–16 Uhr da.")
    dialog.get_by_role("button", name="„Gruß“ löschen").click()
    expect(dialog.locator(".canned-item")).to_have_count(1)
    accessible(lange, ALLOWED)  # the canned-response manager
    dialog.get_by_role("button", name="Schließen").click()
    expect(dialog).to_be_hidden()
    lange.get_by_role("group", name="Textbaustein einfügen").get_by_role(
        "button", name="Öffnungszeiten"
    ).click()
    expect(reply).to_have_value("Wir sind Mo–Fr 8–16 Uhr da.")
    # Brandt shares the team's canned responses
    brandt.reload()
    brandt.get_by_role("button", name="Textbausteine verwalten").click()
    expect(brandt.get_by_role("dialog")).to_contain_text("Öffnungszeiten")
    reply.press("Alt+Shift+KeyR")  # the newest messages above the reply box
    screenshot(lange, "console-desk.png")

    # Anna closes her chat window, then comes back
    anna.context.close()
    anna_item = lange.locator("#queue-active li.queue-item", has_text="Sind Sie noch da?")
    anna_item.click()
    expect(lange.locator("#presence")).to_have_text("Die Person hat das Fenster geschlossen.")


def test_shortcuts_and_confirmations(browser: Browser, desk_gateway: Gateway) -> None:
    lange, brandt = advisor_page(browser), advisor_page(browser)
    anna, ben = person_page(browser), person_page(browser)
    log_in(lange, desk_gateway, "Lange")
    log_in(brandt, desk_gateway, "Brandt")
    for person, concern in ((anna, "Frage zur E-Rechnung"), (ben, "Frage zum Datenschutz")):
        say = open_widget(person, desk_gateway)
        say("Ich möchte mit einem Berater sprechen")
        person.get_by_role("button", name="Einverstanden").click()
        seen_text(person, "Beschreiben Sie Ihr Anliegen")
        say(concern)
        seen_text(person, "Sie sind an Position")
    expect(lange.locator("#queue-waiting li.queue-item")).to_have_count(2)

    # "?" opens the list, Escape closes it
    lange.locator("body").press("?")
    help_dialog = lange.get_by_role("dialog", name="Tastenkürzel")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).to_contain_text("Alt+Umschalt+N")
    accessible(lange, ALLOWED)  # the shortcut help
    lange.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    lange.get_by_role("button", name="Tastenkürzel").click()
    expect(help_dialog).to_be_visible()
    help_dialog.get_by_role("button", name="Schließen").click()

    title = lange.locator("#pane-title")
    lange.locator("body").press("Alt+Shift+KeyN")
    expect(title).to_have_text(re.compile(r"^Vorgang HK-"))
    first = title.inner_text()
    lange.locator("body").press("Alt+Shift+KeyN")
    expect(title).to_have_text(re.compile(r"^Vorgang HK-"))
    expect(title).not_to_have_text(first)
    # while typing in a field, Alt+Shift+C does nothing
    lange.get_by_label("Neue Notiz (für die Person nicht sichtbar)").press("Alt+Shift+KeyC")
    expect(lange.get_by_role("button", name="Übernehmen")).to_be_visible()
    lange.evaluate("document.activeElement.blur()")
    lange.locator("body").press("Alt+Shift+KeyC")
    reply = lange.get_by_label("Antwort an die Person")
    expect(reply).to_be_focused()
    lange.get_by_label("Neue Notiz (für die Person nicht sichtbar)").press("Alt+Shift+KeyR")
    expect(reply).to_be_focused()

    # "Beenden" asks first; Escape keeps the chat and gives focus back
    lange.get_by_role("button", name="Beenden", exact=True).click()
    confirm = lange.get_by_role("dialog", name="Gespräch beenden?")
    expect(confirm).to_be_visible()
    expect(confirm.get_by_role("button", name="Abbrechen")).to_be_focused()
    accessible(lange, ALLOWED)  # the confirmation
    lange.keyboard.press("Escape")
    expect(confirm).to_be_hidden()
    expect(lange.get_by_role("button", name="Beenden", exact=True)).to_be_focused()
    expect(lange.locator("#pane-status")).to_have_text("In Bearbeitung")
    lange.evaluate("document.activeElement.blur()")
    lange.locator("body").press("Alt+Shift+KeyE")
    expect(confirm).to_be_visible()
    confirm.get_by_role("button", name="Ja, beenden").click()
    expect(lange.locator("#pane-status")).to_have_text("Beendet")

    # Brandt takes the other chat and gives it back, after confirming
    item(brandt, "waiting").click()
    brandt.get_by_role("button", name="Übernehmen").click()
    brandt.get_by_role("button", name="An Assistenten zurückgeben").click()
    back = brandt.get_by_role("dialog", name="An den Assistenten zurückgeben?")
    back.get_by_role("button", name="Abbrechen").click()
    expect(brandt.locator("#pane-status")).to_have_text("In Bearbeitung")
    brandt.get_by_role("button", name="An Assistenten zurückgeben").click()
    back.get_by_role("button", name="Ja, zurückgeben").click()
    expect(brandt.locator("#pane-status")).to_have_text("An Assistenten zurückgegeben")
    for person in (anna, ben):
        seen_text(person, "Sie sprechen wieder mit dem digitalen Assistenten", timeout=5_000)
