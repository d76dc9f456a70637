"""The dashboard's API against the real gateway and Rasa, on SQLite and PostgreSQL:
today's conversations, answers and registration clicks show up at once (live part)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import aiohttp
import pytest

from tests.advisors import login
from tests.integration.test_conversation import open_chat
from tests.integration.test_handoff import add_advisor
from tests.stack import Gateway

pytestmark = pytest.mark.integration
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36"


def today_query(granularity: str = "week") -> str:
    # a day either side: the gateway counts days in Berlin, the test runs in UTC
    now = datetime.now(UTC)
    first, last = (now - timedelta(days=1)).date(), (now + timedelta(days=1)).date()
    return f"from={first}&to={last}&granularity={granularity}"


async def test_todays_figures_come_from_the_live_tables(gateway: Gateway) -> None:
    username = f"redaktion-{uuid.uuid4().hex[:6]}"
    add_advisor(gateway.database_url, username, "--name", "Rita Redaktion", "--role", "redaktion")
    editor = await login(gateway.url, username)
    try:
        before = await editor.get(f"/berater/api/impact?{today_query()}")
        channels = ("web", "telegram")
        before_in = {
            c: await editor.get(f"/berater/api/impact?{today_query()}&channel={c}")
            for c in channels
        }
        async with aiohttp.ClientSession() as session:
            chat = await open_chat(session, gateway)
            await chat.say("Brauche ich eine TSE für meine Kasse?")
            _intro, *events = await chat.say("Gibt es Webinare zur E-Rechnung?")
            link = events[0]["text"].split("Anmeldung: ")[1].split()[0]
            path = urlsplit(link)  # the action server's PUBLIC_URL, not this gateway's
            assert path.query == "via=web"
            hop = await session.get(
                f"{gateway.url}{path.path}?{path.query}",
                headers={"User-Agent": BROWSER},
                allow_redirects=False,
            )
            assert hop.status == 302
            await chat.ws.close()
        after = await editor.get(f"/berater/api/impact?{today_query()}")
        counts = ("conversations", "messages", "registrations")
        grew = {key: after["totals"][key] - before["totals"][key] for key in counts}
        assert after["totals"]["answered_share"] > 0
        assert grew["conversations"] == 1
        assert grew["messages"] >= 4
        assert grew["registrations"] == 1
        for channel, clicks in (("web", 1), ("telegram", 0)):  # the link said ?via=web
            now_in = await editor.get(f"/berater/api/impact?{today_query()}&channel={channel}")
            registrations = now_in["totals"]["registrations"]
            assert registrations - before_in[channel]["totals"]["registrations"] == clicks
        figures = {figure["id"]: figure for figure in after["figures"]}
        assert any(row[0] for row in figures["event_list"]["rows"])
        async with editor.http.get(
            f"{gateway.url}/berater/api/impact/knowledge_base.csv?{today_query('month')}"
        ) as response:
            assert response.status == 200
            lines = (await response.read()).decode("utf-8-sig").splitlines()
        assert lines[0] == "Zeitraum;Beantwortet;Ohne verlässliche Antwort;Anteil beantwortet (%)"
        assert sum(int(line.split(";")[1]) for line in lines[1:]) >= 1
    finally:
        await editor.http.close()
