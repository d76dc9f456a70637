"""Roles of console accounts: beratung answers people, redaktion curates and reads the
figures, admin may do everything."""

from __future__ import annotations

import re

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.console.nav import area_nav, home_of
from bot.console.roles import has_role, parse_roles
from bot.db.models import Advisor as Account
from bot.handoff.accounts import AdvisorStore
from bot.keys import SESSIONS
from tests.advisors import PASSWORD


def account(roles: list[str], admin: bool = False) -> Account:
    return Account(username="x", display_name="X", roles=roles, admin=admin)


def test_roles_are_parsed_and_checked() -> None:
    assert parse_roles("Beratung, redaktion,beratung") == ["beratung", "redaktion"]
    for bad in ("", "chef", "beratung,chef"):
        with pytest.raises(ValueError, match="Rolle"):
            parse_roles(bad)
    editor = account(["redaktion"])
    assert has_role(editor, "redaktion")
    assert not has_role(editor, "beratung")
    assert all(has_role(account(["admin"]), role) for role in ("beratung", "redaktion"))
    assert has_role(account(["beratung"], admin=True), "redaktion")  # the old admin flag


def test_an_account_sees_the_areas_of_its_roles() -> None:
    assert area_nav(account(["beratung"]), "/berater") == ""  # one area: no navigation
    both = area_nav(account(["beratung", "redaktion"]), "/berater")
    assert re.findall(r'href="([^"]+)"', both) == [
        "/berater",
        "/berater/redaktion",
        "/berater/wirkung",
    ]
    assert 'href="/berater" aria-current="page"' in both
    assert home_of(account(["redaktion"])) == "/berater/redaktion"
    assert home_of(account(["beratung"])) == "/berater"


async def test_an_editor_may_not_use_the_advisors_console(client: TestClient) -> None:  # type: ignore[type-arg]
    store = AdvisorStore(client.app[SESSIONS])
    editor = await store.add("meyer", PASSWORD, "Eva Meyer", roles=["redaktion"])
    assert (editor.roles, editor.admin) == (["redaktion"], False)
    boss = await store.add("chef", PASSWORD, "Chefin", admin=True)
    assert (boss.roles, boss.admin) == (["beratung", "admin"], True)

    base = str(client.make_url("")).rstrip("/")
    http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with http.get(base + "/berater/login") as response:
        token = (await response.text()).split('name="csrf" value="')[1].split('"')[0]
    form = {"username": "meyer", "password": PASSWORD, "csrf": token}
    async with http.post(base + "/berater/login", data=form, allow_redirects=False) as response:
        assert response.status == 303
    async with http.get(base + "/berater", allow_redirects=False) as response:
        assert (response.status, response.headers["Location"]) == (303, "/berater/redaktion")
    async with http.get(base + "/berater/api/queue") as response:
        assert response.status == 403
        assert (await response.json())["error"] == "Ihr Konto hat dafür keine Berechtigung."
    async with http.get(base + "/berater/ws") as response:
        assert response.status == 403  # an editor never counts as an advisor online
    await http.close()
