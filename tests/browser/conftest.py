"""Fixtures of the browser tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.test_widget import browser  # noqa: F401 (fixture)


@pytest.fixture
def pages(browser: Browser) -> Iterator[tuple[Page, Page]]:  # noqa: F811
    """The person's phone-sized page and the advisor's desktop page (own cookies each)."""
    person = browser.new_context(locale="de-DE", viewport={"width": 420, "height": 800})
    advisor = browser.new_context(
        locale="de-DE", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    yield person.new_page(), advisor.new_page()
    person.close()
    advisor.close()
