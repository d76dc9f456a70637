"""The editors' curation API in the real gateway app on SQLite and PostgreSQL (a
fresh database each), with a stand-in for Rasa: capture from the chat, roles,
CSRF, filters, masking, every editor action and the proposal for review."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.config import Settings
from bot.handoff.accounts import AdvisorStore
from bot.kb.guides import load_guides
from bot.kb.loading import load_into_database
from bot.keys import ENGINE, SESSIONS
from tests.advisors import PASSWORD, Advisor, login
from tests.fake_rasa import FakeRasa
from tests.stack import admin_sql, ensure_postgres_running

pytestmark = pytest.mark.integration

NO_ANSWER_TEXT = "Dazu habe ich leider keine verlässliche Antwort."
GROUPS = "/berater/api/curation/groups"


def no_answer(question: str) -> list[dict[str, Any]]:
    """Rasa's reply when the knowledge base has no reliable answer (text, then custom)."""
    return [
        {"recipient_id": "x", "text": NO_ANSWER_TEXT},
        {"recipient_id": "x", "custom": {"no_answer": {"question": question}}},
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url
        return
    ensure_postgres_running()
    name = f"werkbot_curation_{uuid.uuid4().hex[:10]}"
    admin_sql(f'CREATE DATABASE "{name}"')
    yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def client(
    aiohttp_client: Callable[..., Awaitable[TestClient]],  # type: ignore[type-arg]
    database_url: str,
    fake_rasa: FakeRasa,
    tmp_path: Path,
) -> TestClient:  # type: ignore[type-arg]
    """The gateway with the guides loaded, a review folder of its own and three accounts:
    an editor, a second editor and an advisor."""
    settings = Settings(
        database_url=database_url,
        rasa_url=fake_rasa.url,
        office_hours="Mo-So 00:00-24:00",
        kb_review_dir=str(tmp_path / "review"),
    )
    app = create_app(settings)
    test_client = await aiohttp_client(app)
    await load_into_database(app[ENGINE], load_guides(), progress=False)
    accounts = AdvisorStore(app[SESSIONS])
    await accounts.add("lehmann", PASSWORD, "Karin Lehmann", roles=["redaktion"])
    await accounts.add("vogel", PASSWORD, "Uwe Vogel", roles=["redaktion"])
    await accounts.add("schulz", PASSWORD, "Anna Schulz", roles=["beratung"])
    return test_client


@pytest.fixture
async def editor(client: TestClient) -> AsyncIterator[Advisor]:  # type: ignore[type-arg]
    advisor = await login(str(client.make_url("")).rstrip("/"), "lehmann")
    yield advisor
    await advisor.http.close()


async def ask(client: TestClient, *messages: tuple[str, str | None]) -> str:  # type: ignore[type-arg]
    """One conversation in the widget saying `messages` (text, payload); its id."""
    ws = await client.ws_connect("/ws")
    conversation_id = str((await ws.receive_json())["conversation_id"])
    for text, payload in messages:
        await ws.send_json({"type": "message", "text": text, "payload": payload})
        while (await ws.receive_json(timeout=5))["type"] != "message":
            pass
    await ws.close()
    return conversation_id


async def post(advisor: Advisor, group_id: int, action: str, body: dict[str, Any]) -> Any:
    response = await advisor.post(f"{GROUPS}/{group_id}/{action}", body)
    assert response.status == 200, await response.text()
    return await response.json()


async def test_questions_from_the_chat_are_grouped_masked_and_edited(
    client: TestClient,  # type: ignore[type-arg]
    fake_rasa: FakeRasa,
    editor: Advisor,
    tmp_path: Path,
) -> None:
    fake_rasa.replies = no_answer(
        "Darf ich in der Werkstatt eine Kamera aufhängen? Tel 0171 1234567"
    )
    first = await ask(client, ("Kamera?", None))
    fake_rasa.replies = no_answer("kamera in der werkstatt erlaubt")
    await ask(client, ("Kamera 2?", None))
    fake_rasa.replies = [
        {
            "recipient_id": "x",
            "text": "Jede elektronische Kasse braucht eine TSE.",
            "buttons": [{"title": "Hat nicht geholfen", "payload": "#feedback:not_helpful"}],
        },
        {
            "recipient_id": "x",
            "custom": {
                "answer": {
                    "guide_id": "kasse-tse-grundlagen",
                    "section": 0,
                    "question": "Brauche ich für die Kassen-App auf dem Tablet eine TSE?",
                }
            },
        },
    ]
    await ask(client, ("TSE?", None), ("Hat nicht geholfen", "#feedback:not_helpful"))

    async with editor.http.get(editor.base + GROUPS) as response:
        assert response.status == 200
        assert first not in await response.text()  # never a conversation id
        groups = (await response.json())["groups"]
    camera, tse = groups
    assert (camera["count"], camera["status"]) == (2, "open")
    assert camera["question"] == "Darf ich in der Werkstatt eine Kamera aufhängen? Tel [Telefon]"
    assert [k["kind"] for k in tse["kinds"]] == ["not_helpful"]
    only_tse = await editor.get(f"{GROUPS}?kind=not_helpful")
    assert [g["id"] for g in only_tse["groups"]] == [tse["id"]]

    detail = (await editor.get(f"{GROUPS}/{tse['id']}"))["group"]
    (item,) = detail["items"]
    assert item["answer"] == "Jede elektronische Kasse braucht eine TSE."
    assert item["guide"]["id"] == "kasse-tse-grundlagen"
    assert item["section"]["number"] == 0
    assert item["section"]["heading"]
    assert "conversation_id" not in str(detail)

    options = await editor.get("/berater/api/curation/options")
    names = {e["name"]: e["id"] for e in options["editors"]}
    assert set(names) == {"Karin Lehmann", "Uwe Vogel"}  # not the advisor
    group = (await post(editor, camera["id"], "assign", {"advisor_id": "me"}))["group"]
    assert (group["status"], group["assignee"]["name"]) == ("assigned", "Karin Lehmann")
    group = (await post(editor, camera["id"], "assign", {"advisor_id": names["Uwe Vogel"]}))[
        "group"
    ]
    assert group["assignee"]["name"] == "Uwe Vogel"
    group = (await post(editor, camera["id"], "comment", {"text": "Neuer Leitfaden nötig"}))[
        "group"
    ]
    assert group["comments"][0]["author"] == "Karin Lehmann"
    group = (await post(editor, camera["id"], "link", {"guide_id": "datenschutz-grundpflichten"}))[
        "group"
    ]
    assert (group["status"], group["guide"]["id"]) == ("linked", "datenschutz-grundpflichten")

    body = {"guide_id": "kasse-tse-grundlagen", "questions": ["TSE für die Kassen-App am Tablet?"]}
    proposed = await post(editor, tse["id"], "propose", body)
    assert proposed["proposal"]["added"] == ["TSE für die Kassen-App am Tablet?"]
    assert '+  - "TSE für die Kassen-App am Tablet?"' in proposed["proposal"]["diff"]
    assert proposed["group"]["status"] == "linked"
    assert (tmp_path / "review" / "kasse-tse-grundlagen.diff").read_text(
        encoding="utf-8"
    ) == proposed["proposal"]["diff"]
    assert "vorgeschlagen" in proposed["group"]["comments"][-1]["text"]
    # the section that answers it, from the guide's headings the options list
    guides = {g["id"]: g for g in options["guides"]}
    heading = guides["kasse-tse-grundlagen"]["sections"][0]
    body = {**body, "section": heading}
    named = (await post(editor, tse["id"], "propose", body))["proposal"]
    assert (named["added"], named["changed"]) == ([], True)
    assert f'+  "TSE für die Kassen-App am Tablet?": "{heading}"' in named["diff"]
    assert (
        f"(Abschnitt „{heading}“)"
        in (await editor.get(f"{GROUPS}/{tse['id']}"))["group"]["comments"][-1]["text"]
    )
    for wrong in ("Gibt es nicht", 3):
        response = await editor.post(f"{GROUPS}/{tse['id']}/propose", {**body, "section": wrong})
        assert response.status == 400

    assert (await post(editor, tse["id"], "resolve", {}))["group"]["status"] == "resolved"
    assert (await post(editor, camera["id"], "dismiss", {}))["group"]["status"] == "dismissed"
    assert (await editor.get(GROUPS))["groups"] == []
    assert len((await editor.get(f"{GROUPS}?status=all"))["groups"]) == 2
    assert (await post(editor, camera["id"], "reopen", {}))["group"]["status"] == "linked"

    fake_rasa.replies = no_answer("Brauche ich für die Kassen-App auf dem Tablet eine TSE?")
    await ask(client, ("TSE nochmal?", None))  # asked again after "resolved": back in the queue
    assert (await editor.get(f"{GROUPS}/{tse['id']}"))["group"]["status"] == "linked"


async def test_out_of_scope_shows_once_frequent(
    client: TestClient,  # type: ignore[type-arg]
    fake_rasa: FakeRasa,
    editor: Advisor,
) -> None:
    for number in range(3):
        fake_rasa.replies = [
            {"recipient_id": "x", "text": "Dabei kann ich Ihnen leider nicht helfen."},
            {"recipient_id": "x", "custom": {"out_of_scope": {"question": "Wie wird das Wetter?"}}},
        ]
        await ask(client, (f"Wetter {number}", None))
        shown = (await editor.get(GROUPS))["groups"]
        assert len(shown) == (1 if number == 2 else 0)
        assert len((await editor.get(f"{GROUPS}?kind=out_of_scope"))["groups"]) == 1


async def test_roles_csrf_and_errors(
    client: TestClient,  # type: ignore[type-arg]
    fake_rasa: FakeRasa,
    editor: Advisor,
) -> None:
    fake_rasa.replies = no_answer("Gäste-WLAN im Laden, hafte ich?")
    await ask(client, ("WLAN?", None))
    group_id = (await editor.get(GROUPS))["groups"][0]["id"]
    base = str(client.make_url("")).rstrip("/")
    advisor = await login(base, "schulz")
    try:
        for path in (GROUPS, f"{GROUPS}/{group_id}", "/berater/api/curation/options"):
            async with advisor.http.get(base + path) as response:
                assert response.status == 403
        assert (await advisor.post(f"{GROUPS}/{group_id}/dismiss")).status == 403
        async with advisor.http.get(base + "/berater/redaktion") as response:
            assert response.status == 403
    finally:
        await advisor.http.close()
    async with editor.http.get(base + "/berater/api/queue") as response:
        assert response.status == 403  # the handoff API is for beratung
    async with editor.http.get(base + "/berater/redaktion") as response:
        assert response.status == 200
        assert "script-src" not in response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert 'src="/static/redaktion.js"' in await response.text()
    async with editor.http.post(base + f"{GROUPS}/{group_id}/dismiss", json={}) as response:
        assert response.status == 403  # no CSRF token
    async with aiohttp.ClientSession() as anonymous, anonymous.get(base + GROUPS) as response:
        assert response.status == 401
    assert (await editor.post(f"{GROUPS}/{group_id}/explode")).status == 404
    assert (await editor.post(f"{GROUPS}/999999/dismiss")).status == 404
    wrong = await editor.post(f"{GROUPS}/{group_id}/link", {"guide_id": "gibt-es-nicht"})
    assert (wrong.status, (await wrong.json())["error"]) == (404, "Diesen Leitfaden gibt es nicht.")
    masked = await editor.post(
        f"{GROUPS}/{group_id}/propose",
        {"guide_id": "kasse-tse-grundlagen", "questions": ["Ich bin [Name], TSE nötig?"]},
    )
    assert masked.status == 400


async def test_an_editor_erases_a_question_with_personal_data(
    client: TestClient,  # type: ignore[type-arg]
    fake_rasa: FakeRasa,
    editor: Advisor,
) -> None:
    missed = "hier ist der kalle, gäste-wlan im laden, hafte ich da?"  # no capital: unmasked
    for question in (missed, "Gäste-WLAN im Laden: hafte ich als Betrieb?"):
        fake_rasa.replies = no_answer(question)
        await ask(client, (question, None))
    [group] = (await editor.get(GROUPS))["groups"]
    assert (group["count"], group["question"]) == (2, missed)
    items = (await editor.get(f"{GROUPS}/{group['id']}"))["group"]["items"]
    first = next(item for item in items if item["question"] == missed)
    after = await post(editor, group["id"], "erase-item", {"item_id": first["id"]})
    assert after["group"]["count"] == 1
    assert after["group"]["question"] == "Gäste-WLAN im Laden: hafte ich als Betrieb?"
    assert [item["question"] for item in after["group"]["items"]] == [after["group"]["question"]]
    for body, status in (({"item_id": "1"}, 400), ({"item_id": first["id"]}, 404)):
        response = await editor.post(f"{GROUPS}/{group['id']}/erase-item", body)
        assert response.status == status
    last = after["group"]["items"][0]["id"]
    gone = await post(editor, group["id"], "erase-item", {"item_id": last})
    assert gone == {"group": None, "group_erased": True}
    assert (await editor.get(f"{GROUPS}?status=all"))["groups"] == []
