"""The console's privacy tools and hostile text, in two Chromium pages: an advisor
exports and erases a conversation whose person typed HTML; nothing of it runs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bot.config import ROOT
from bot.services import APP_PYTHON, clean_env
from tests.browser.handoff_steps import advisor_logs_in, person_queues
from tests.browser.test_widget import SCREENSHOTS
from tests.stack import Gateway

pytestmark = pytest.mark.browser

# each sets window.__xss if it is ever parsed as HTML or followed as a link
ATTACKS = (
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=2</script>",
    '"><svg onload="window.__xss=3">',
)
SCRIPT_LINK = "javascript:window.__xss=4"


def audit_lines(gateway: Gateway) -> list[list[str]]:
    """`python -m bot privacy audit` as the data protection officer reads it."""
    done = subprocess.run(
        [str(APP_PYTHON), "-m", "bot", "privacy", "audit", "--days", "1"],
        cwd=ROOT,
        env={**clean_env(None), "DATABASE_URL": gateway.database_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [line.split("\t") for line in done.stdout.splitlines()[1:]]


def no_script_ran(page: Page) -> None:
    assert page.evaluate("window.__xss === undefined")


def test_hostile_text_stays_text_then_the_advisor_exports_and_erases(
    pages: tuple[Page, Page], gateway: Gateway, tmp_path: Path
) -> None:
    person, advisor = pages
    # an advisor name with markup, as a careless admin might type it
    advisor_logs_in(advisor, gateway, "--name", "<i>Lange</i>", "--salutation", "Frau")
    concern = f"Kasse {ATTACKS[0]} {ATTACKS[1]}"
    box = person_queues(person, gateway, concern)
    conversation_id = person.evaluate("localStorage.getItem('werkbot.conversationId')")
    assert conversation_id

    # the summary, shown as text
    waiting = advisor.locator("#queue-waiting li.queue-item", has_text="Kasse <img src=x")
    expect(waiting).to_have_count(1, timeout=5_000)
    handoff_id = waiting.first.get_attribute("data-id")
    waiting.first.click()
    expect(advisor.locator("#pane-meta")).to_contain_text(ATTACKS[1])
    advisor.locator("#claim").click()
    expect(person.locator(".wb-msg").last).to_contain_text("Frau <i>Lange</i>", timeout=5_000)

    box.fill(ATTACKS[2])
    box.press("Enter")
    expect(advisor.locator('#transcript li[data-sender="user"]').last).to_contain_text(
        ATTACKS[2], timeout=5_000
    )
    advisor.locator("#reply-text").fill(f"{ATTACKS[0]} [Link]({SCRIPT_LINK}) {SCRIPT_LINK}")
    advisor.locator("#reply-send").click()
    reply = person.locator('.wb-msg[data-sender="advisor"]').last
    expect(reply).to_contain_text(ATTACKS[0], timeout=5_000)
    assert person.locator(".wb-msg img, .wb-msg i, .wb-msg svg, .wb-msg script").count() == 0
    assert advisor.locator("main img, main i, main svg, main script, header i").count() == 0
    for page in (person, advisor):
        assert page.locator('a[href^="javascript:"]').count() == 0
        no_script_ran(page)

    with advisor.expect_download() as download_info:
        advisor.locator("#export").click()
    download = download_info.value
    assert download.suggested_filename.startswith("auskunft-")
    saved = tmp_path / "auskunft.json"
    download.save_as(saved)
    exported = json.loads(saved.read_text(encoding="utf-8"))
    assert exported["conversation"]["id"] == conversation_id
    assert exported["handoffs"][0]["summary"] == concern
    assert any(m["text"] == ATTACKS[2] for m in exported["messages"])

    advisor.locator("#erase").click()
    dialog = advisor.locator("#erase-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Endgültig löschen").click()
    expect(dialog).to_be_visible()  # no reason chosen: nothing happens
    dialog.get_by_label("Grund").select_option("request")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    advisor.screenshot(path=str(SCREENSHOTS / "berater-loeschen.png"))
    dialog.get_by_role("button", name="Endgültig löschen").click()
    expect(advisor.locator("#pane-empty")).to_contain_text("wurde gelöscht", timeout=5_000)
    expect(advisor.locator(f'li.queue-item[data-id="{handoff_id}"]')).to_have_count(0)

    expect(person.locator(".wb-msg").last).to_contain_text(
        "von der Beratung gelöscht", timeout=5_000
    )
    assert person.evaluate("localStorage.getItem('werkbot.conversationId')") is None
    box.fill("Hallo")
    box.press("Enter")
    expect(person.locator('.wb-msg[data-sender="bot"]').last).to_contain_text(
        "Ich bin werkbot", timeout=15_000
    )
    fresh = person.evaluate("localStorage.getItem('werkbot.conversationId')")
    assert fresh
    assert fresh != conversation_id

    gone = advisor.request.get(f"{gateway.url}/berater/api/handoffs/{handoff_id}")
    assert gone.status == 404
    entries = [line for line in audit_lines(gateway) if line[4] == handoff_id]
    assert all(entry[1] == "console" and entry[2] for entry in entries)
    actions = [entry[3] for entry in entries]
    assert {"read", "export", "erase"} <= set(actions)
    erase_entry = next(entry for entry in entries if entry[3] == "erase")
    assert erase_entry[5] == "Die Person hat um Löschung gebeten"
    joined = "\n".join("\t".join(line) for line in audit_lines(gateway))
    for personal in (conversation_id, "Kasse", "Lange"):
        assert personal not in joined
