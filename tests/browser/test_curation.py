"""The editors' curation queue in Chromium: people talk to the real bot (questions it
cannot answer, "Hat nicht geholfen"), an editor sees the groups, assigns, comments,
links, adds a question for review, dismisses; axe on every view. Beratung-only accounts
get 403 here, editor-only accounts 403 on the handoff API."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.advisors import PASSWORD
from tests.browser.desk_steps import accessible, open_widget, person_page, seen_text
from tests.integration.test_handoff import add_advisor
from tests.stack import Gateway, Stack, start_gateway

pytestmark = pytest.mark.browser

# axe "moderate" rules allowed on the editors' page (docs/accessibility.md, "Redaktion")
ALLOWED: frozenset[str] = frozenset()
CAMERA = "Darf ich in meiner Werkstatt eine Kamera aufhängen?"


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kb-review")


@pytest.fixture(scope="module")
def curation_gateway(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory, review: Path
) -> Iterator[Gateway]:
    """A gateway of its own on SQLite, writing proposals into a temporary folder."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('curation-db')}/werkbot.db"
    supervisor, gateway = start_gateway(
        stack,
        database_url,
        tmp_path_factory.mktemp("curation-gw"),
        extra_env={"KB_REVIEW_DIR": str(review)},
    )
    yield gateway
    supervisor.stop()


def account_page(browser: Browser, gateway: Gateway, role: str) -> Page:
    """A desktop page logged in as a new account with `role`."""
    username = f"konto-{uuid.uuid4().hex[:6]}"
    add_advisor(gateway.database_url, username, "--name", "Karin Lehmann", "--role", role)
    page = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(gateway.url + "/berater/login")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    return page


def seed(browser: Browser, gateway: Gateway) -> None:
    """Two people ask what the bot cannot answer; one names the trade the bot asks for
    and marks the answer unhelpful."""
    for question in (CAMERA, "Videoüberwachung in der Werkstatt erlaubt?"):
        person = person_page(browser)
        say = open_widget(person, gateway)
        say(question)
        seen_text(person, "keine verlässliche Antwort")
        person.context.close()
    person = person_page(browser)
    say = open_widget(person, gateway)
    say("Brauche ich eine TSE für meine Registrierkasse?")
    seen_text(person, "Quelle")
    # the bot asks the trade after the general answer; the bakery's answer follows
    person.get_by_role("button", name="Lebensmittel").click()
    person.get_by_role("button", name="Hat nicht geholfen").last.click()
    seen_text(person, "ehrliche Rückmeldung")
    person.context.close()


def test_an_editor_works_through_the_queue(
    browser: Browser, curation_gateway: Gateway, review: Path
) -> None:
    seed(browser, curation_gateway)
    editor = account_page(browser, curation_gateway, "redaktion")
    expect(editor).to_have_url(curation_gateway.url + "/berater/redaktion")
    groups = editor.locator("#groups li")
    expect(groups).to_have_count(2)
    expect(editor.locator("#groups-status")).to_have_text("2 Gruppen")
    camera = groups.filter(has_text="Kamera")
    expect(camera).to_contain_text("2×")
    accessible(editor, ALLOWED)  # the list

    camera.get_by_role("button").click()
    expect(editor.locator("#group-question")).to_contain_text("Kamera")
    expect(editor.locator("#group-items li")).to_have_count(2)
    accessible(editor, ALLOWED)  # a group
    editor.once("dialog", lambda dialog: dialog.accept())  # "endgültig löschen?"
    editor.get_by_role("button", name="Frage löschen: Videoüberwachung").click()
    expect(editor.locator("#group-notice")).to_have_text("Frage gelöscht.")
    expect(editor.locator("#group-items li")).to_have_count(1)
    expect(camera).to_contain_text("1×")
    editor.get_by_role("button", name="Mir zuweisen").click()
    expect(editor.locator("#group-meta")).to_contain_text("Karin Lehmann")
    editor.get_by_label("Neuer Kommentar").fill("Braucht einen Leitfaden zur Videoüberwachung.")
    editor.get_by_role("button", name="Kommentar speichern").click()
    expect(editor.locator("#group-comments")).to_contain_text("Videoüberwachung")
    editor.get_by_label("Mit Leitfaden verknüpfen").select_option("datenschutz-grundpflichten")
    editor.get_by_role("button", name="Verknüpfen").click()
    expect(editor.locator("#group-meta")).to_contain_text("Mit Leitfaden verknüpft")

    editor.get_by_label("Leitfaden", exact=True).select_option("datenschutz-grundpflichten")
    section = "Gilt die DSGVO auch für meinen kleinen Betrieb?"
    editor.get_by_label("Abschnitt, der die Frage beantwortet").select_option(section)
    editor.get_by_label("Frage (so, wie Betriebe fragen").fill(CAMERA)
    editor.get_by_role("button", name="Als Frage hinzufügen").click()
    expect(editor.locator("#proposal-diff")).to_contain_text(f'+  - "{CAMERA}"')
    expect(editor.locator("#proposal-diff")).to_contain_text(f'+  "{CAMERA}": "{section}"')
    assert CAMERA in (review / "datenschutz-grundpflichten.md").read_text(encoding="utf-8")
    assert (review / "datenschutz-grundpflichten.diff").exists()
    accessible(editor, ALLOWED)  # the proposal

    tse = groups.filter(has_text="TSE")
    tse.get_by_role("button").click()
    expect(editor.locator("#group-items")).to_contain_text("Hat nicht geholfen")
    expect(editor.locator("#group-items")).to_contain_text("Antwort aus")
    editor.get_by_role("button", name="Verwerfen").click()
    expect(editor.locator("#group-notice")).to_have_text("Gruppe verworfen.")
    expect(groups).to_have_count(1)
    editor.get_by_label("Status").select_option("dismissed")
    editor.get_by_role("button", name="Filtern").click()
    expect(groups).to_have_count(1)
    expect(groups).to_contain_text("TSE")
    accessible(editor, ALLOWED)  # filtered
    tse.get_by_role("button").click()
    editor.once("dialog", lambda dialog: dialog.accept())
    editor.get_by_role("button", name="Frage löschen").click()
    expect(editor.locator("#groups-status")).to_contain_text("die Gruppe hatte keine weiteren")
    expect(groups).to_have_count(0)
    expect(editor.locator("#group-empty")).to_be_visible()
    assert editor.request.get(curation_gateway.url + "/berater/api/queue").status == 403


def test_advisors_without_the_role_get_403(browser: Browser, curation_gateway: Gateway) -> None:
    advisor = account_page(browser, curation_gateway, "beratung")
    response = advisor.goto(curation_gateway.url + "/berater/redaktion")
    assert response is not None
    assert response.status == 403
    accessible(advisor, ALLOWED)
    for path in ("/groups", "/groups/1", "/options"):
        api = advisor.request.get(curation_gateway.url + "/berater/api/curation" + path)
        assert api.status == 403
