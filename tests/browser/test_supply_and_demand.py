"""Supply and demand's month-by-month chart on a phone, with and without JavaScript: it
opens on its latest months, and its scale stays in view while it scrolls back in time."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser

PASSWORD = "peerlearn-demo"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_trend_keeps_its_scale_in_view_while_it_scrolls(
    reference_data: None, browser: Any, live_server: Any, settings: Any, javascript: bool
) -> None:
    settings.PEERLEARN_MATCHING_ENCODER = "tfidf"  # no sentence model to load
    call_command("demo", verbosity=0)
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        java_script_enabled=javascript,
        locale="en-GB",
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("facilitator")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main [type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/supply-and-demand/")
    figure = page.locator("figure.latest-first")
    scroller = figure.locator(".chart-scroll")
    axis = figure.locator("svg.chart-axis")
    figure.scroll_into_view_if_needed()

    def in_view(locator: Any) -> bool:
        box = locator.bounding_box()
        return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390

    # The plot is wider than the screen and opens at its latest month, at the right.
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")
    assert in_view(figure.locator(".chart-scroll text").last)
    assert not in_view(figure.locator(".chart-scroll text").first)
    assert in_view(axis) and axis.locator("text").last.text_content() == "0"
    # Back to its first month: the scale has not moved.
    before = axis.bounding_box()
    scroller.evaluate("e => { e.scrollLeft = -e.scrollWidth; }")
    assert in_view(figure.locator(".chart-scroll text").first)
    assert axis.bounding_box() == before and in_view(axis)
    # The axis is drawn at the plot's scale: both as high as each other.
    plot = scroller.locator("svg").bounding_box()
    assert plot is not None and before is not None and plot["height"] == before["height"]
    context.close()
