"""The one-tag embed on a chamber's site on another origin: a hostile CMS theme and a
strict CSP change nothing; a site not in ALLOWED_ORIGINS gets no widget."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.host_site import HostSite, host_site
from tests.stack import Gateway, Stack, start_gateway

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sites(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[HostSite, HostSite, Gateway]]:
    """An allowed and a refused site, and a gateway that allows the first."""
    with host_site() as allowed, host_site() as refused:
        database = f"sqlite:///{tmp_path_factory.mktemp('embed')}/werkbot.db"
        supervisor, gateway = start_gateway(
            stack,
            database,
            Path(tmp_path_factory.mktemp("embed-gw")),
            extra_env={"ALLOWED_ORIGINS": f"{allowed.origin}, https://www.hwk-beispiel.de"},
        )
        allowed.gateway = refused.gateway = gateway.url
        try:
            yield allowed, refused, gateway
        finally:
            supervisor.stop()


def test_one_tag_on_a_themed_site_with_a_strict_csp(
    page: Page, sites: tuple[HostSite, HostSite, Gateway]
) -> None:
    allowed, _, _ = sites
    violations: list[str] = []
    page.on("console", lambda message: _csp_errors(message, violations))
    page.goto(allowed.origin + "/")
    launcher = page.get_by_role("button", name="Fragen? Chat starten")
    expect(launcher).to_be_visible()
    box = launcher.bounding_box()
    assert box is not None
    assert box["x"] < 100
    launcher.click()
    expect(page.get_by_role("heading", name="Kammer-Assistent")).to_be_visible()  # data-title

    # the theme does not reach in: readable sizes, no capitals, inside the screen
    reply = page.locator(".wb-reply").first
    expect(reply).to_be_visible()
    assert _style(page, ".wb-reply", "fontSize") == "15px"
    assert _style(page, ".wb-send", "textTransform") == "none"
    assert _style(page, ".wb-input", "fontSize") == "16px"
    panel = page.locator(".wb-panel").bounding_box()
    assert panel is not None
    assert panel["x"] >= 0
    assert panel["x"] + panel["width"] <= 420
    assert panel["y"] >= 0
    assert panel["y"] + panel["height"] <= 800
    # and the widget does not reach out: the site's own button keeps its theme
    assert _style(page, "#host-button", "textTransform") == "uppercase"

    page.get_by_label("Ihre Nachricht").fill("Wie erkenne ich eine Phishing-Mail?")
    page.get_by_label("Ihre Nachricht").press("Enter")
    expect(page.locator(".wb-msg").filter(has_text="Quelle:")).to_have_count(1, timeout=15_000)
    assert violations == []


def test_a_site_not_allowed_gets_no_widget(
    page: Page, sites: tuple[HostSite, HostSite, Gateway]
) -> None:
    _, refused, gateway = sites
    warnings: list[str] = []
    page.on("console", lambda message: warnings.append(message.text))
    page.goto(refused.origin + "/")
    page.wait_for_load_state("networkidle")
    expect(page.locator("werkbot-chat")).to_have_count(0)
    assert any("nicht freigegeben" in text for text in warnings)
    # the socket refuses that Origin as well (a copied widget cannot talk)
    status = page.request.get(gateway.url + "/widget/config", headers={"Origin": refused.origin})
    assert status.status == 403


def _style(page: Page, selector: str, prop: str) -> str:
    value = page.locator(selector).first.evaluate(f"(node) => getComputedStyle(node).{prop}")
    return str(value)


def _csp_errors(message: ConsoleMessage, found: list[str]) -> None:
    if "Content Security Policy" in message.text:
        found.append(message.text)
