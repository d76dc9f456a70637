"""The dashboard over HTTP (roles, JSON, CSV, page, report) and the counting redirect
(on SQLite; tests/integration/test_impact.py runs the API on PostgreSQL too)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.app import create_app
from bot.best_practices import shipped_cases
from bot.config import Settings
from bot.db.models import EventRow
from bot.handoff.accounts import AdvisorStore
from bot.impact.models import ImpactHit
from bot.keys import SESSIONS
from tests.advisors import PASSWORD, Advisor, login
from tests.fake_rasa import FakeRasa
from tests.unit.impact.seed import seed

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36"
Client = TestClient[web.Request, web.Application]


@pytest.fixture
async def client(
    aiohttp_client: Callable[..., Awaitable[Client]], sqlite_url: str, fake_rasa: FakeRasa
) -> Client:
    """The gateway with the seed, an event and three accounts of different roles."""
    app = create_app(Settings(database_url=sqlite_url, rasa_url=fake_rasa.url))
    test_client = await aiohttp_client(app)
    await seed(app[SESSIONS])
    advisors = AdvisorStore(app[SESSIONS])
    for name, roles in (("red", ["redaktion"]), ("ber", ["beratung"]), ("adm", ["admin"])):
        await advisors.add(name, PASSWORD, name.title(), roles=roles)
    start = datetime.now(UTC) + timedelta(days=30)
    async with app[SESSIONS].begin() as session:
        session.add(
            EventRow(
                id="webinar-1",
                uid="webinar-1@test",
                origin="datei",
                title="Webinar E-Rechnung",
                format="webinar",
                start=start,
                end=start + timedelta(hours=1),
                location="online",
                region="online",
                topics=["e_rechnung"],
                trades=[],
                registration_url="https://example.org/anmeldung/webinar-1",
                cost="kostenlos",
                organiser="HWK",
                description="Test",
                demo=True,
            )
        )
    return test_client


@pytest.fixture
async def editor(client: Client) -> AsyncIterator[Advisor]:
    advisor = await login(str(client.make_url("")).rstrip("/"), "red")
    yield advisor
    await advisor.http.close()


async def hits(client: Client, kind: str) -> dict[tuple[str, str], int]:
    async with client.app[SESSIONS]() as session:
        rows = await session.scalars(select(ImpactHit).where(ImpactHit.kind == kind))
        return {(row.key, row.channel): row.count for row in rows}


async def test_registration_links_count_clicks_of_people_only(client: Client) -> None:
    for agent in (BROWSER, BROWSER, "TelegramBot (like TwitterBot)", "WhatsApp/2.23"):
        response = await client.get(
            "/r/webinar-1", headers={"User-Agent": agent}, allow_redirects=False
        )
        assert response.status == 302
        assert response.headers["Location"] == "https://example.org/anmeldung/webinar-1"
        assert "Set-Cookie" not in response.headers
    assert (await client.get("/r/gibt-es-nicht", headers={"User-Agent": BROWSER})).status == 404
    for via in ("telegram", "telegram", "fax"):  # the channel the link was sent in
        response = await client.get(
            f"/r/webinar-1?via={via}", headers={"User-Agent": BROWSER}, allow_redirects=False
        )
        assert response.status == 302
    assert await hits(client, "registration") == {
        ("webinar-1", ""): 3,
        ("webinar-1", "telegram"): 2,
    }


async def test_case_pages_count_views(client: Client) -> None:
    case = shipped_cases()[0]
    assert (await client.get(f"/praxis/{case.id}", headers={"User-Agent": BROWSER})).status == 200
    assert (
        await client.get("/praxis/gibt-es-nicht", headers={"User-Agent": BROWSER})
    ).status == 404
    page = await client.get(f"/praxis/{case.id}?via=whatsapp", headers={"User-Agent": BROWSER})
    assert page.status == 200
    assert await hits(client, "case_view") == {(case.id, ""): 1, (case.id, "whatsapp"): 1}


async def test_only_editors_and_admins_see_the_figures(client: Client) -> None:
    base = str(client.make_url("")).rstrip("/")
    assert (await client.get("/berater/api/impact")).status == 401
    page = await client.get("/berater/wirkung", allow_redirects=False)
    assert page.status == 303
    assert page.headers["Location"] == "/berater/login"
    adviser = await login(base, "ber")
    try:
        for path in ("/berater/api/impact", "/berater/api/impact/topics.csv"):
            async with adviser.http.get(base + path) as response:
                assert response.status == 403
        for path in ("/berater/wirkung", "/berater/wirkung/bericht?monat=2026-11"):
            async with adviser.http.get(base + path) as response:
                assert response.status == 403
                assert "Keine Berechtigung" in await response.text()
    finally:
        await adviser.http.close()
    admin = await login(base, "adm")
    try:
        assert (await admin.get("/berater/api/impact"))["granularity"] == "month"
    finally:
        await admin.http.close()


async def test_the_api_answers_per_range_granularity_and_channel(editor: Advisor) -> None:
    found: dict[str, Any] = await editor.get(
        "/berater/api/impact?from=2026-11-01&to=2026-11-30&granularity=week&channel=web"
    )
    assert [p["label"] for p in found["periods"]] == [
        "KW 44/2026",
        "KW 45/2026",
        "KW 46/2026",
        "KW 47/2026",
        "KW 48/2026",
        "KW 49/2026",  # 30 November is a Monday
    ]
    figures = {figure["id"]: figure for figure in found["figures"]}
    assert figures["conversations"]["rows"][1] == ["KW 45/2026", 1, 5, 2]
    assert found["totals"]["conversations"] == 1
    for bad in ("granularity=day", "from=gestern", "from=2026-12-01&to=2026-11-01", "channel=fax"):
        async with editor.http.get(f"{editor.base}/berater/api/impact?{bad}") as response:
            assert response.status == 400
            assert "error" in await response.json()


async def test_csv_download_and_unknown_figures(editor: Advisor) -> None:
    url = f"{editor.base}/berater/api/impact/handoffs.csv?from=2026-11-01&to=2026-11-30"
    async with editor.http.get(url) as response:
        assert response.status == 200
        assert response.content_type == "text/csv"
        assert (
            "wirkung-handoffs-2026-11-01-2026-11-30.csv" in response.headers["Content-Disposition"]
        )
        text = (await response.read()).decode("utf-8-sig")
    assert text == "Zeitraum;Live-Chat;Rückruf\r\nNov 2026;1;1\r\n"
    async with editor.http.get(f"{editor.base}/berater/api/impact/gibtsnicht.csv") as response:
        assert response.status == 404


async def test_page_and_report_are_html_with_charts_and_tables(editor: Advisor) -> None:
    async with editor.http.get(
        f"{editor.base}/berater/wirkung?from=2026-11-01&to=2026-11-30&granularity=week"
    ) as response:
        assert response.status == 200
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        page = await response.text()
    assert page.count("<svg") == page.count("<table") == 13
    assert "<script" not in page
    assert "style=" not in page
    assert 'aria-current="page">Wirkung' in page
    async with editor.http.get(f"{editor.base}/berater/wirkung/bericht?monat=2026-11") as response:
        report = await response.text()
    assert "Wirkungsbericht November 2026" in report
    assert "Kennzahlen je Kanal" in report
    assert "@media print" not in report
    async with editor.http.get(f"{editor.base}/berater/wirkung/bericht?monat=11-2026") as response:
        assert response.status == 400
