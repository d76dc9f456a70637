"""The widget for everyone (BITV 2.0 / WCAG 2.1 AA): axe in every state, keyboard only,
phone portrait and landscape, 400 % zoom, and a reconnect that re-reads nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.handoff_steps import advisor_logs_in, person_queues
from tests.browser.test_widget import SCREENSHOTS
from tests.stack import Gateway

pytestmark = pytest.mark.browser

# the deepest focused element: inside the widget's shadow root if the focus is there
FOCUSED = """() => {
  const host = document.querySelector('werkbot-chat');
  const inner = host && host.shadowRoot.activeElement;
  const node = inner || document.activeElement;
  return node.className || node.tagName.toLowerCase();
}"""


def open_fresh(page: Page, gateway: Gateway) -> None:
    page.goto(gateway.url + "/")
    page.evaluate("localStorage.clear(); sessionStorage.clear()")
    page.reload()


def ask(page: Page, text: str) -> None:
    page.get_by_label("Ihre Nachricht").fill(text)
    page.get_by_label("Ihre Nachricht").press("Enter")


def test_axe_finds_nothing_serious_closed_welcome_answer(page: Page, gateway: Gateway) -> None:
    open_fresh(page, gateway)
    expect(page.get_by_role("button", name="Fragen? Chat starten")).to_be_visible()
    assert_accessible(page)  # closed
    page.get_by_role("button", name="Fragen? Chat starten").click()
    expect(page.locator(".wb-welcome")).to_be_visible()
    assert_accessible(page)  # welcome
    ask(page, "Wie erkenne ich eine Phishing-Mail?")
    expect(page.locator(".wb-msg").filter(has_text="Quelle:")).to_have_count(1, timeout=15_000)
    assert_accessible(page)  # answer with quick replies and links


def test_axe_and_the_header_during_a_live_handoff_and_the_rating(
    pages: tuple[Page, Page], gateway: Gateway
) -> None:
    person, advisor = pages
    advisor_logs_in(advisor, gateway, "--name", "Jana Vogt", "--salutation", "Frau")
    person_queues(person, gateway, "Welche Kasse brauche ich für den Markt?")
    assert_accessible(person)  # waiting for an advisor
    advisor.locator("#queue-waiting li.queue-item").first.click()
    advisor.locator("#claim").click()
    expect(person.locator(".wb-who")).to_have_text(
        "Frau Vogt – Beratung der Handwerkskammer", timeout=5_000
    )
    assert_accessible(person)  # live handoff
    advisor.locator("#close").click()
    # the close may ask for a confirmation first
    confirm = advisor.get_by_role("button", name="Ja, beenden")
    if confirm.count():
        confirm.click()
    expect(person.get_by_role("button", name="5", exact=True)).to_be_visible(timeout=5_000)
    expect(person.locator(".wb-who")).to_have_text("Digitaler Assistent – kein Mensch")
    assert_accessible(person)  # rating


def test_keyboard_only(page: Page, gateway: Gateway) -> None:
    open_fresh(page, gateway)
    for _ in range(20):  # the site's links first, then the chat's launcher
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED) == "wb-launcher":
            break
    assert page.evaluate(FOCUSED) == "wb-launcher"
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "wb-input"
    page.keyboard.type("Wie erkenne ich eine Phishing-Mail?")
    page.keyboard.press("Enter")
    expect(page.locator(".wb-msg").filter(has_text="Quelle:")).to_have_count(1, timeout=15_000)
    page.keyboard.press("Shift+Tab")  # the last quick reply: "Mit Berater sprechen"
    assert page.evaluate(FOCUSED) == "wb-reply"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # another quick reply, chosen by keyboard
    assert page.evaluate(FOCUSED) == "wb-input"  # the focus stays in the chat
    expect(page.locator(".wb-msg").filter(has_text="Quelle:")).to_have_count(2, timeout=15_000)

    log = page.locator(".wb-log")
    log.focus()  # the log is reachable (tabindex) and scrolls with the keyboard
    before = log.evaluate("(node) => node.scrollTop")
    page.keyboard.press("Home")
    expect(log).to_have_js_property("scrollTop", 0)
    assert before > 0

    page.keyboard.press("Escape")
    expect(page.locator(".wb-panel")).to_be_hidden()
    assert page.evaluate(FOCUSED) == "wb-launcher"
    page.get_by_role("button", name="Fragen? Chat starten").click()
    page.reload()  # reopened as it was left, without taking the page's focus
    expect(page.locator(".wb-panel")).to_be_visible()
    assert page.evaluate("document.activeElement === document.body")


@pytest.mark.parametrize(
    ("name", "width", "height"),
    [
        ("phone-portrait", 390, 844),
        ("phone-landscape", 844, 390),
        ("zoom-400", 320, 256),
        ("desktop", 1280, 900),
    ],
)
def test_phone_and_zoom_keep_the_input_visible(
    browser: Browser, gateway: Gateway, name: str, width: int, height: int
) -> None:
    context = browser.new_context(
        locale="de-DE",
        viewport={"width": width, "height": height},
        has_touch=name.startswith("phone"),
    )
    page = context.new_page()
    open_fresh(page, gateway)
    page.get_by_role("button", name="Fragen? Chat starten").click()
    ask(page, "Wie erkenne ich eine Phishing-Mail?")
    expect(page.locator(".wb-msg").filter(has_text="Quelle:")).to_have_count(1, timeout=15_000)
    for target in (".wb-input", ".wb-send", ".wb-close"):
        box = page.locator(target).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["y"] >= 0
        assert box["x"] + box["width"] <= width
        assert box["y"] + box["height"] <= height, target
    log = page.locator(".wb-log").bounding_box()
    assert log is not None
    print(f"{name}: answer area {log['height']:.0f} px high")
    assert log["height"] >= min(0.4 * height, 300)  # room for the answer
    replies = page.locator(".wb-replies").bounding_box()
    assert replies is not None
    if width < 640:  # one scrollable row of quick replies
        assert replies["height"] < 60
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"widget-{name}.png"))
    context.close()


def test_a_reconnect_appends_only_what_is_new(page: Page, gateway: Gateway) -> None:
    open_fresh(page, gateway)
    page.get_by_role("button", name="Fragen? Chat starten").click()
    ask(page, "Hallo")
    expect(page.locator('.wb-msg[data-sender="bot"]')).to_have_count(1, timeout=15_000)
    expect(page.locator(".wb-log")).to_have_attribute("aria-live", "polite")
    page.locator(".wb-msg").first.evaluate("(node) => { node.dataset.marker = 'kept'; }")
    page.context.set_offline(True)
    expect(page.locator(".wb-banner")).to_contain_text("offline")
    page.context.set_offline(False)
    expect(page.locator(".wb-banner")).to_be_hidden(timeout=10_000)
    # the same nodes: nothing was rendered (and announced) again
    expect(page.locator('.wb-msg[data-marker="kept"]')).to_have_count(1)
    expect(page.locator(".wb-msg")).to_have_count(2)
