"""The map of the peer-to-peer space, in Chromium with JavaScript turned off: the eight
initiatives of the paper's Annex 1 shade their countries, and a country leads to its list."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(reference_data: None) -> None:
    call_command("demo", verbosity=0)


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]
)
def test_the_map_shows_the_initiatives_countries_without_javascript(
    demo: None, browser: Any, live_server: Any, viewport: dict[str, int]
) -> None:
    from peerlearn.initiatives.models import Initiative

    expected = set(
        Initiative.objects.filter(slug__in=_annex_slugs()).values_list("countries__code", flat=True)
    ) - {None}
    assert len(expected) >= 8

    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=viewport, locale="en-GB"
    )
    page = context.new_page()
    page.goto("/initiatives/")
    shaded = set(
        page.locator("figure.worldmap a path").evaluate_all(
            "paths => paths.map(p => p.getAttribute('data-country'))"
        )
    )
    assert shaded == expected
    # The map is drawn (it has a size) and fits the screen.
    box = page.locator("figure.worldmap svg").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    # Kenya leads to the list of its initiatives, by a plain link.
    page.locator('figure.worldmap a:has(path[data-country="KE"])').click()
    page.wait_for_url(lambda url: "country=KE" in url)
    names = page.locator("#results .card h2").all_inner_texts()
    kenyan = Initiative.objects.filter(countries__code="KE", visibility="public")
    assert sorted(names) == sorted(kenyan.values_list("name", flat=True))
    context.close()


def _annex_slugs() -> list[str]:
    from peerlearn.initiatives.annex import INITIATIVES

    return [i.slug for i in INITIATIVES]
