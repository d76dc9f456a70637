"""The dashboard "Wirkung" in Chromium with four months of seeded history: an editor
sees charts and tables, switches weeks and months, downloads a CSV and opens the
monthly report; axe finds nothing critical or serious; advisors get 403."""

from __future__ import annotations

import asyncio
import random
import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.db.engine import create_engine, session_factory
from bot.db.models import Conversation, Feedback, Handoff, Message
from bot.events.schema import load_event_files
from bot.impact.models import ImpactHit
from bot.services import HOST, Supervisor, clean_env, gateway_spec
from tests.advisors import PASSWORD
from tests.browser.axe import assert_accessible
from tests.browser.test_widget import SCREENSHOTS
from tests.integration.test_handoff import add_advisor
from tests.stack import Gateway, free_port, load_content

pytestmark = pytest.mark.browser

# each listed with its reason in docs/accessibility.md, "## Wirkung"
ALLOWED: frozenset[str] = frozenset()
GUIDES = (("kasse-tse", "kasse_tse"), ("e-rechnung", "e_rechnung"), ("webseite", "webseite"))
TRADES = ("baecker", "friseur", "tischler", "elektrotechniker", None)
CHANNELS = ("web", "web", "telegram", "whatsapp")


async def _seed(database_url: str, days: int = 120) -> None:
    """A few conversations a day for `days` days up to today, with answers, feedback,
    event recommendations, handoffs and clicks."""
    rng = random.Random(18)
    event_ids = [event.id for event in load_event_files()][:4]
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    now = datetime.now(UTC)
    for back in range(days, -1, -1):
        async with sessions.begin() as session:
            for number in range(rng.randint(1, 4)):
                when = min(now, now - timedelta(days=back, hours=number))
                cid = uuid.uuid4().hex
                channel = rng.choice(CHANNELS)
                session.add(Conversation(id=cid, channel=channel, created_at=when, updated_at=when))
                await session.flush()
                guide, topic = rng.choice(GUIDES)
                answer = {"guide_id": guide, "topics": [topic], "trade": rng.choice(TRADES)}
                rows = [
                    Message(conversation_id=cid, sender="user", text="Frage", created_at=when),
                    Message(
                        conversation_id=cid,
                        sender="bot",
                        text="Antwort",
                        custom={"answer": answer} if rng.random() < 0.8 else {"no_answer": {}},
                        created_at=when,
                    ),
                    Message(
                        conversation_id=cid,
                        sender="bot",
                        text=f"Anmeldung: http://{HOST}/r/{rng.choice(event_ids)}",
                        created_at=when,
                    ),
                ]
                session.add_all(rows)
                await session.flush()
                if rng.random() < 0.5:
                    helpful = rng.random() < 0.7
                    session.add(
                        Feedback(
                            message_id=rows[1].id,
                            conversation_id=cid,
                            helpful=helpful,
                            created_at=when,
                        )
                    )
                if rng.random() < 0.2:
                    callback = rng.random() < 0.4
                    wait = timedelta(minutes=rng.randint(1, 20) * (30 if callback else 1))
                    session.add(
                        Handoff(
                            ticket=f"HK-{uuid.uuid4().hex[:8]}",
                            conversation_id=cid,
                            channel=channel,
                            status="callback_done" if callback else "closed",
                            reason="request_human",
                            created_at=when - wait,
                            queued_at=when - wait,
                            claimed_at=None if callback else when,
                            closed_at=when,
                            rating=rng.randint(3, 5),
                            rated_at=when,
                        )
                    )
            day = (now - timedelta(days=back)).date()
            session.add(ImpactHit(day=day, kind="registration", key=event_ids[0], count=1))
            session.add(
                ImpactHit(
                    day=day, kind="case_view", key="baeckerei-bestell-app-saalekreis", count=2
                )
            )
    await engine.dispose()


@pytest.fixture(scope="module")
def impact_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    """A gateway of its own on SQLite with the seeded history (no Rasa needed: the
    dashboard only reads the database)."""
    folder = tmp_path_factory.mktemp("impact")
    database_url = f"sqlite:///{folder}/werkbot.db"
    load_content(database_url)  # migrates, loads guides and events
    with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright's loop owns this thread
        pool.submit(asyncio.run, _seed(database_url)).result()
    port = free_port()
    env = {
        **clean_env(None),
        "ACTION_SERVER_URL": f"http://{HOST}:{free_port()}/webhook",
        "TRACKER_STORE_URL": f"sqlite:///{folder}/tracker.db",
    }
    spec = gateway_spec(port, f"http://{HOST}:{free_port()}", database_url, env)
    supervisor = Supervisor([spec], folder / "logs")
    supervisor.start()
    try:
        supervisor.wait_healthy(timeout=60)
        yield Gateway(f"http://{HOST}:{port}", database_url)
    finally:
        supervisor.stop()


def logged_in(browser: Browser, gateway: Gateway, *role: str) -> Page:
    """A desktop page of an account with `role` options, logged in through the form."""
    username = f"konto-{uuid.uuid4().hex[:6]}"
    add_advisor(gateway.database_url, username, "--name", "Rita Redaktion", *role)
    context = browser.new_context(
        locale="de-DE", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.goto(gateway.url + "/berater/login")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    return page


def test_an_editor_reads_switches_downloads_and_prints(
    browser: Browser, impact_gateway: Gateway, tmp_path: Path
) -> None:
    page = logged_in(browser, impact_gateway, "--role", "redaktion")
    page.goto(impact_gateway.url + "/berater/wirkung")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wirkung")
    expect(page.locator("svg.chart")).to_have_count(13)
    expect(page.locator("table.impact-table")).to_have_count(13)
    first = page.locator("#conversations table tbody tr")
    expect(first.first.locator("th")).to_have_text(re.compile(r"^\D{3} \d{4}$"))
    assert first.count() == 12
    assert int(page.locator("#conversations tbody tr").last.locator("td").first.inner_text()) > 0
    expect(page.locator(".impact-totals")).to_contain_text("Gespräche")
    assert_accessible(page, allowed=ALLOWED)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "wirkung.png"), full_page=True)

    page.get_by_role("link", name="nach Wochen").click()
    expect(page).to_have_url(re.compile("granularity=week"))
    expect(first.first.locator("th")).to_contain_text("KW ")
    assert first.count() == 12
    page.get_by_label("Kanal").select_option("telegram")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator(".impact-range")).to_contain_text("Telegram")
    page.get_by_role("link", name="nach Monaten").click()
    expect(first.first.locator("th")).not_to_contain_text("KW ")

    with page.expect_download() as download:
        page.get_by_role("link", name="„Gespräche und Nachrichten“ als CSV").click()
    saved = tmp_path / "gespraeche.csv"
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Zeitraum;Gespräche;Nachrichten;davon von Personen"
    assert len(lines) == 13

    page.get_by_role("link", name="Monatsbericht zum Drucken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wirkungsbericht")
    expect(page.locator("table.impact-table")).to_have_count(14)
    assert_accessible(page, allowed=ALLOWED)
    page.emulate_media(media="print")
    expect(page.locator(".impact-back")).to_be_hidden()
    expect(page.locator(".impact-figure").first).to_be_visible()
    page.pdf(path=str(tmp_path / "bericht.pdf"))
    assert (tmp_path / "bericht.pdf").stat().st_size > 10_000
    page.context.close()


def test_advisors_without_the_role_get_403(browser: Browser, impact_gateway: Gateway) -> None:
    page = logged_in(browser, impact_gateway)
    response = page.goto(impact_gateway.url + "/berater/wirkung")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Keine Berechtigung")
    page.context.close()
