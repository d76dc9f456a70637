"""What the console desk tests share: a gateway with an SMTP inbox, advisor pages with
recorded notifications and beeps, and the people's ways into a handoff."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.advisors import PASSWORD
from tests.browser.axe import assert_accessible, audit, blocking, moderate
from tests.browser.test_widget import SCREENSHOTS
from tests.integration.test_handoff import add_advisor
from tests.mail_inbox import Inbox, running_inbox
from tests.stack import Gateway, Stack, start_gateway

BASE_TITLE = "Beraterkonsole – Handwerkskammer"
# Notifications, beeps and page visibility as the tests control them: the real ones
# need a desktop and speakers. Added before any script of the page runs.
STUBS = """
window.__notes = []; window.__asked = 0; window.__beeps = 0; window.__hidden = false;
class FakeNotification {
  static permission = "default";
  static async requestPermission() {
    window.__asked += 1; FakeNotification.permission = "granted"; return "granted";
  }
  constructor(title, options) { window.__notes.push({ title, body: options && options.body }); }
  addEventListener() {}
}
window.Notification = FakeNotification;
class FakeAudio {
  constructor() { this.currentTime = 0; this.destination = {}; }
  createOscillator() {
    return { frequency: {}, connect: (next) => next, start() { window.__beeps += 1; }, stop() {} };
  }
  createGain() {
    const gain = { setValueAtTime() {}, exponentialRampToValueAtTime() {} };
    return { gain, connect: (next) => next };
  }
}
window.AudioContext = FakeAudio;
Object.defineProperty(document, "hidden", { configurable: true, get: () => window.__hidden });
"""


@pytest.fixture(scope="module")
def inbox() -> Iterator[tuple[Inbox, int]]:
    """A local SMTP server that keeps what it receives."""
    with running_inbox() as found:
        yield found


@pytest.fixture(scope="module")
def desk_gateway(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory, inbox: tuple[Inbox, int]
) -> Iterator[Gateway]:
    """A gateway of its own on SQLite that mails through the local inbox."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('desk-db')}/werkbot.db"
    env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(inbox[1]), "SMTP_STARTTLS": "false"}
    supervisor, gateway = start_gateway(
        stack, database_url, tmp_path_factory.mktemp("desk-gw"), extra_env=env
    )
    yield gateway
    supervisor.stop()


def advisor_page(browser: Browser, height: int = 900) -> Page:
    """A desktop page of its own (cookies, storage) with the stubs above."""
    context = browser.new_context(
        locale="de-DE", viewport={"width": 1280, "height": height}, accept_downloads=True
    )
    context.add_init_script(STUBS)
    return context.new_page()


def person_page(browser: Browser) -> Page:
    """A phone-sized page of its own."""
    context = browser.new_context(locale="de-DE", viewport={"width": 420, "height": 800})
    return context.new_page()


def log_in(advisor: Page, gateway: Gateway, name: str, *options: str) -> str:
    """Create an advisor "Frau <name>" and log in; the user name."""
    username = f"berater-{uuid.uuid4().hex[:6]}"
    add_advisor(
        gateway.database_url, username, "--name", f"Anna {name}", "--salutation", "Frau", *options
    )
    advisor.goto(gateway.url + "/berater")
    advisor.get_by_label("Benutzername").fill(username)
    advisor.get_by_label("Passwort").fill(PASSWORD)
    advisor.get_by_role("button", name="Anmelden").click()
    expect(advisor.locator("#connection")).to_have_attribute("data-state", "open")
    return username


def hide(advisor: Page, hidden: bool) -> None:
    """Pretend the advisor switched to another window (or back)."""
    advisor.evaluate(
        "h => { window.__hidden = h; document.dispatchEvent(new Event('visibilitychange')); }",
        hidden,
    )


def recorded(advisor: Page, name: str) -> Any:
    """A value the stubs recorded (__notes, __asked, __beeps)."""
    return json.loads(advisor.evaluate(f"JSON.stringify(window.{name})"))


def open_widget(person: Page, gateway: Gateway) -> Callable[[str], None]:
    """The demo page with the chat open; a function that sends one message."""
    person.goto(gateway.url + "/")
    person.get_by_role("button", name="Fragen? Chat starten").click()
    box = person.get_by_label("Ihre Nachricht")

    def say(text: str) -> None:
        box.fill(text)
        box.press("Enter")

    return say


def seen_text(person: Page, text: str, timeout: float = 15_000) -> None:
    """Wait until `text` shows in the person's chat."""
    expect(person.get_by_text(text).last).to_be_visible(timeout=timeout)


def queue_after_a_guide(person: Page, gateway: Gateway) -> Callable[[str], None]:
    """Ask about the TSE (the bot answers with a guide), then ask for an advisor and
    confirm the concern; the person's `say`."""
    say = open_widget(person, gateway)
    say("Brauche ich eine TSE für meine Registrierkasse?")
    seen_text(person, "Quelle")
    say("Ich möchte mit einem Berater sprechen")
    person.get_by_role("button", name="Einverstanden").last.click()
    person.get_by_role("button", name="Ja, stimmt").last.click()
    seen_text(person, "Sie sind an Position")
    return say


def request_callback(person: Page, gateway: Gateway, contact: str) -> Callable[[str], None]:
    """With no advisor online: ask for an advisor and fill in the callback form with
    `contact` (phone or e-mail); the person's `say`."""
    say = open_widget(person, gateway)
    say("Ich möchte mit einem Berater sprechen")
    person.get_by_role("button", name="Einverstanden").last.click()
    seen_text(person, "Beschreiben Sie Ihr Anliegen")
    say("Ich brauche Hilfe bei der Tischlerei-Buchhaltung")
    box = person.get_by_label("Ihre Nachricht")
    seen_text(person, "Wie ist Ihr Name?")
    expect(box).to_have_attribute("autocomplete", "name")  # the phone offers its autofill
    say("Petra Neumann")
    seen_text(person, "Wie heißt Ihr Betrieb")
    expect(box).to_have_attribute("autocomplete", "organization")
    say("Werkstatt Neumann in Halle")
    seen_text(person, "In welchem Gewerk")
    say("Tischler")
    seen_text(person, "Unter welcher Telefonnummer")
    expect(box).to_have_attribute("inputmode", "tel")  # a callback is a call
    expect(box).to_have_attribute("autocomplete", "tel")
    person.get_by_role("button", name="E-Mail eingeben").click()  # keyboard switch
    expect(box).to_have_attribute("inputmode", "email")
    expect(box).to_have_attribute("autocomplete", "email")
    expect(box).to_be_focused()
    say(contact)
    expect(box).to_have_attribute("autocomplete", "off")  # the next step is no contact
    seen_text(person, "Wann passt es Ihnen")
    person.get_by_role("button", name="Egal").last.click()
    person.get_by_role("button", name="Absenden").last.click()
    seen_text(person, "Ihre Rückrufbitte ist angekommen")
    return say


def accessible(page: Page, allowed: frozenset[str]) -> None:
    """axe on the whole page: 0 critical and 0 serious, moderate ones only if allowed
    (named in the failure message, which assert_accessible does not give)."""
    violations = audit(page)
    assert blocking(violations) == [], blocking(violations)
    assert moderate(violations) <= allowed, moderate(violations) - allowed
    assert_accessible(page, allowed=allowed)


def screenshot(page: Page, name: str) -> Path:
    """Save a screenshot under var/screenshots (docs/screenshots holds the chosen ones)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path))
    return path
