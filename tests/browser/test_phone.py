"""Every page a role visits on the demo fits a 390 px phone screen: nothing scrolls sideways,
and tables read as labelled cards."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PASSWORD = "peerlearn-demo"


def _pages() -> dict[str | None, list[str]]:
    from peerlearn.alliances.models import LearningAlliance
    from peerlearn.discussions.demo import THREAD_TITLE, TOPIC_TITLE
    from peerlearn.discussions.models import Thread
    from peerlearn.initiatives.models import Initiative
    from peerlearn.peers.models import PeerProfile

    alliance = LearningAlliance.objects.order_by("id").first()
    initiative = Initiative.objects.order_by("id").first()
    profile = PeerProfile.objects.get(user__username="peer")
    assert alliance is not None and initiative is not None
    topic = Thread.objects.get(title=TOPIC_TITLE)
    thread = Thread.objects.get(title=THREAD_TITLE)
    assert thread.alliance is not None
    discussions = ["/discussions/", f"/discussions/{topic.id}/"]
    inside = [f"/discussions/alliances/{thread.alliance.slug}/", f"/discussions/{thread.id}/"]
    common = [
        "/",
        "/peers/",
        "/alliances/",
        f"/alliances/{alliance.slug}/",
        "/initiatives/",
        f"/initiatives/{initiative.slug}/",
        f"/peers/{profile.id}/",
        "/accounts/me/",
        *discussions,
    ]
    return {
        None: ["/", "/initiatives/", "/alliances/", "/accounts/login/", *discussions],
        "peer": [*common, *inside, "/peers/me/", "/matching/proposals/", "/accounts/tokens/"],
        "facilitator": [
            *common,
            *inside,
            f"/discussions/{thread.id}/summary/",
            "/matching/",
            "/matching/excluded/",
            "/matching/calls/",
        ],
        "authoriser": common,
        "funder": common,
        "admin": common,
    }


@pytest.fixture
def demo(reference_data: None) -> None:
    call_command("demo", verbosity=0)


def test_no_page_scrolls_sideways_on_a_phone(demo: None, browser: Any, live_server: Any) -> None:
    overflowing = []
    tried = 0
    for username, urls in _pages().items():
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
        context.set_default_timeout(15_000)
        page = context.new_page()
        if username:
            page.goto("/accounts/login/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        for url in urls:
            response = page.goto(url)
            assert response is not None and response.status == 200, (username, url)
            tried += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                overflowing.append((username, url, width))
        context.close()
    assert tried >= 40
    assert overflowing == []


def test_tables_become_labelled_cards_on_a_phone(
    demo: None, browser: Any, live_server: Any
) -> None:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("facilitator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/peers/")
    cell = page.locator("table tbody tr").first.locator("td").nth(1)
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label.strip('"') == cell.get_attribute("data-label") != ""
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    # The filters fold behind one control.
    assert page.locator("details.filters-toggle > summary").is_visible()
    assert not page.locator("form.filters").is_visible()
    context.close()
