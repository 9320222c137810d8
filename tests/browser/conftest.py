"""Playwright driving the system's Chromium against Django's live test server.

Playwright's own browser download is not used: the tests launch the Chromium the system
provides (PEERLEARN_CHROMIUM, default /usr/bin/chromium)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.checks import VIEWPORTS, PageChecks

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=os.environ.get("PEERLEARN_CHROMIUM", "/usr/bin/chromium"),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def allow_orm_beside_playwright() -> Iterator[None]:
    # Playwright's sync API runs an event loop in the test thread; the tests' own ORM calls
    # there (and the database flush after each test) are synchronous and safe. Tests that
    # start subprocesses remove the variable from the child's environment.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def reference_data(allow_orm_beside_playwright: None, transactional_db: Any) -> None:
    """Browser tests run in transactional tests, which empty every table after each test;
    the reference data the migrations loaded must come back."""
    from peerlearn.core.reference import ensure_reference_data

    ensure_reference_data()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request: Any) -> dict[str, int]:
    """A journey runs once on a laptop's screen and once on a phone's."""
    return VIEWPORTS[request.param]


@pytest.fixture
def checks(page: Any, viewport: dict[str, int]) -> Iterator[PageChecks]:
    """``page`` at ``viewport``; the test checks each page it goes through (no sideways
    scroll, no serious axe violation), and a page it forgot to check fails it here."""
    page.set_viewport_size(viewport)
    # The live server's first answer in a process (imports, templates) can be slow on a
    # loaded machine; later waits keep the 15 s default.
    page.set_default_navigation_timeout(60_000)
    checks = PageChecks(page)
    yield checks
    checks.assert_every_page_checked()
