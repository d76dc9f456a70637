"""Fixtures of the browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless (one per test module: the sync API must not outlive it)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium fehlt: `make browsers` installiert es")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A phone-sized page of its own (cookies and storage)."""
    context = browser.new_context(locale="de-DE", viewport={"width": 420, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def pages(browser: Browser) -> Iterator[tuple[Page, Page]]:
    """The person's phone-sized page and the advisor's desktop page (own cookies each)."""
    person = browser.new_context(locale="de-DE", viewport={"width": 420, "height": 800})
    advisor = browser.new_context(
        locale="de-DE", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    yield person.new_page(), advisor.new_page()
    person.close()
    advisor.close()
