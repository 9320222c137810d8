"""The working-languages picker on a 390 px phone, with JavaScript (suggestions as one
types) and without (the typed name is resolved on saving)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def peer(reference_data: None) -> Any:
    from peerlearn.conftest import make_peer
    from peerlearn.core.models import Country
    from peerlearn.organisations.services import organisation_create

    county = organisation_create(
        name="Nakuru County", type="local_government", country=Country.objects.get(code="KE")
    )
    profile = make_peer("picker_peer", county, languages=("en",))
    return profile


def _open_profile_form(browser: Any, live_server: Any, peer: Any, *, javascript: bool) -> Any:
    from peerlearn.conftest import TEST_PASSWORD

    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="en-GB", java_script_enabled=javascript
    )
    context.set_default_timeout(40_000)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(peer.user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/peers/me/")
    return page


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _codes(peer: Any) -> list[str]:
    return sorted(peer.languages.values_list("code", flat=True))


def test_language_picker_with_javascript(browser: Any, live_server: Any, peer: Any) -> None:
    page = _open_profile_form(browser, live_server, peer, javascript=True)
    _no_sideways_scroll(page)
    page.get_by_label("Add a language").fill("swah")
    suggestion = page.locator("#id_languages_suggestions").get_by_label("Swahili")
    suggestion.wait_for()
    suggestion.check()
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Save my profile").click()
    page.wait_for_url("**/peers/*/")
    assert _codes(peer) == ["en", "sw"]


def test_language_picker_without_javascript(browser: Any, live_server: Any, peer: Any) -> None:
    page = _open_profile_form(browser, live_server, peer, javascript=False)
    # Several languages match: they are listed to tick, the chosen one stays chosen.
    page.get_by_label("Add a language").fill("mal")
    page.get_by_role("button", name="Save my profile").click()
    assert page.get_by_text("Several match").first.is_visible()
    _no_sideways_scroll(page)
    assert page.locator("#id_languages_chosen").get_by_label("English").is_checked()
    page.locator("#id_languages_suggestions").get_by_label("Maltese").check()
    page.get_by_label("Add a language").fill("")
    page.get_by_role("button", name="Save my profile").click()
    page.wait_for_url("**/peers/*/")
    assert _codes(peer) == ["en", "mt"]
    # A name that matches one language is chosen on saving; unticking removes one.
    page.goto("/peers/me/")
    page.locator("#id_languages_chosen").get_by_label("Maltese").uncheck()
    page.get_by_label("Add a language").fill("French")
    page.get_by_role("button", name="Save my profile").click()
    page.wait_for_url("**/peers/*/")
    assert _codes(peer) == ["en", "fr"]
