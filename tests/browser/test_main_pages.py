"""The main pages of each role on the demo, at 1280 px and at 390 px: nothing scrolls
sideways (not even with a word of 120 letters in a table, as the facilitator), and axe-core
finds no serious or critical accessibility violation; on the phone, tables read as labelled
cards and the filters fold away.

Pages every role shares (the directory, an alliance, the registry…) are checked for
overflow as every role, and with axe as a peer and as a facilitator, who see the most on
them; each role's own pages are checked with axe as that role. A matching's pages, which the
demo has none of, are checked by the matching journeys."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.checks import (
    VIEWPORTS,
    overflow,
    overflow_with_a_long_word,
    serious_violations,
)

pytestmark = pytest.mark.browser

PASSWORD = "peerlearn-demo"
#: Who the shared pages are checked with axe as.
AXE_ON_SHARED_PAGES = {"peer", "facilitator"}
#: On a phone, charts drawn wide are at least this wide (px), and scroll inside their figure
#: (a y-axis drawn beside its scrolling plot, ``.chart-axis``, is narrow on purpose).
CHART_WIDTHS = {".report figure.chart svg": 480, "figure.chart.wide svg:not(.chart-axis)": 576}


def main_pages() -> dict[str | None, tuple[list[str], list[str]]]:
    """For each role (None: not signed in), the shared pages and the role's own pages."""
    from peerlearn.alliances.models import LearningAlliance, MemberRole
    from peerlearn.discussions.demo import THREAD_TITLE, TOPIC_TITLE
    from peerlearn.discussions.models import Thread
    from peerlearn.initiatives.models import Initiative
    from peerlearn.library.models import Case
    from peerlearn.peers.models import Authorisation, PeerProfile

    alliance = LearningAlliance.objects.filter(
        memberships__user__username="facilitator",
        memberships__role=MemberRole.FACILITATOR,
    ).first()
    initiative = Initiative.objects.order_by("id").first()
    profile = PeerProfile.objects.get(user__username="peer")
    authorisation = (
        Authorisation.objects.filter(authoriser__username="authoriser").order_by("id").first()
    )
    assert alliance and initiative and authorisation
    topic = Thread.objects.get(title=TOPIC_TITLE)
    thread = Thread.objects.get(title=THREAD_TITLE)
    case = Case.objects.order_by("id").first()
    assert thread.alliance is not None and case is not None
    rounds = [f"/evidence/rounds/{r.id}/" for r in alliance.scorecard_rounds.order_by("id")[:1]]
    public = [
        "/discussions/",
        f"/discussions/{topic.id}/",
        "/library/",
        f"/library/cases/{case.id}/",
    ]
    inside = [f"/discussions/alliances/{thread.alliance.slug}/", f"/discussions/{thread.id}/"]
    shared = [
        *public,
        "/peers/",
        f"/peers/{profile.id}/",
        "/alliances/",
        f"/alliances/{alliance.slug}/",
        "/initiatives/",
        f"/initiatives/{initiative.slug}/",
        "/evidence/",
        "/search/?q=revenue",
        "/notifications/",
        "/accounts/me/",
    ]
    return {
        None: (
            [],
            ["/", "/initiatives/", "/alliances/", "/accounts/login/", "/accounts/signup/", *public],
        ),
        "peer": (
            shared,
            [
                "/",
                *inside,
                "/peers/me/",
                "/peers/me/challenges/new/",
                "/matching/proposals/",
                "/matching/calls/",
                "/accounts/tokens/",
            ],
        ),
        "facilitator": (
            shared,
            [
                "/",
                *inside,
                f"/discussions/{thread.id}/summary/",
                "/facilitation/",
                "/matching/",
                "/matching/runs/new/",
                "/matching/excluded/",
                "/matching/calls/",
                f"/alliances/{alliance.slug}/members/",
                # Charts drawn on the server: a report, a scorecard round, supply and demand.
                f"/reports/alliances/{alliance.slug}/",
                f"/evidence/alliances/{alliance.slug}/",
                *rounds,
                "/supply-and-demand/",
            ],
        ),
        "authoriser": (shared, ["/", f"/peers/authorisations/{authorisation.id}/"]),
        "funder": (shared, ["/"]),
        "admin": (shared, ["/", "/audit/"]),
    }


def test_main_pages_fit_the_screen_and_pass_axe(
    reference_data: None, browser: Any, live_server: Any, settings: Any
) -> None:
    # Search by meaning would first load the sentence model: TF-IDF answers at once.
    settings.PEERLEARN_MATCHING_ENCODER = "tfidf"
    call_command("demo", verbosity=0)
    problems: list[str] = []
    checked_with_axe = 0
    charted: set[str] = set()  # pages with a wide chart, measured on a phone
    for name, viewport in VIEWPORTS.items():
        for username, (shared, own) in main_pages().items():
            context = browser.new_context(
                base_url=live_server.url, viewport=viewport, locale="en-GB"
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            if username:
                page.goto("/accounts/login/")
                page.get_by_label("Username").fill(username)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(lambda url: "/accounts/login/" not in url)
            with_axe = set(own) | (set(shared) if username in AXE_ON_SHARED_PAGES else set())
            for url in dict.fromkeys([*own, *shared]):
                response = page.goto(url)
                assert response is not None and response.status == 200, (username, url)
                where = f"{name} {username or 'anonymous'} {url}"
                if extra := overflow(page):
                    problems.append(f"{where}: {extra} px too wide")
                if viewport["width"] < 600:
                    # Wide charts keep readable labels and scroll inside their figure.
                    for selector, narrowest in CHART_WIDTHS.items():
                        widths = page.locator(selector).evaluate_all(
                            "svgs => svgs.map(s => s.getBoundingClientRect().width)"
                        )
                        if widths:
                            charted.add(url)
                        if widths and min(widths) < narrowest:
                            problems.append(f"{where}: charts {widths} px wide, not {narrowest}")
                if url in with_axe:
                    problems += [f"{where}: {v}" for v in serious_violations(page)]
                    checked_with_axe += 1
                if username == "facilitator" and (extra := overflow_with_a_long_word(page)):
                    problems.append(f"{where}: {extra} px too wide with a long word in a table")
            if username == "facilitator" and viewport["width"] < 600:
                phone_directory_is_cards(page)
            context.close()
    assert checked_with_axe >= 2 * 40
    assert {"/supply-and-demand/", "/evidence/"} <= charted
    assert any(url.startswith("/reports/") for url in charted)
    assert problems == []


def phone_directory_is_cards(page: Any) -> None:
    page.goto("/peers/")
    cell = page.locator("table tbody tr").first.locator("td").nth(1)
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label.strip('"') == cell.get_attribute("data-label") != ""
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    # The filters fold behind one control.
    assert page.locator("details.filters-toggle > summary").is_visible()
    assert not page.locator("form.filters").is_visible()
