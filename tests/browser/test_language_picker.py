"""The working-languages picker on a 390 px phone, with JavaScript (suggestions as one
types) and without (the typed name is resolved on saving); ticks from several searches on a
1280 px screen."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


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


def _open_profile_form(
    browser: Any, live_server: Any, peer: Any, *, javascript: bool, viewport: Any = PHONE
) -> Any:
    from peerlearn.conftest import TEST_PASSWORD

    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, locale="en-GB", java_script_enabled=javascript
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


def test_ticks_from_several_searches_are_all_kept(
    browser: Any, live_server: Any, peer: Any
) -> None:
    """A ticked suggestion moves into the chosen list, so the next search does not replace
    it; every ticked language is saved, and one unticked there is removed. The organisation
    picker (one choice) keeps the one chosen last."""
    from playwright.sync_api import expect

    from peerlearn.core.models import Country
    from peerlearn.organisations.services import organisation_create

    kisumu = organisation_create(
        name="Kisumu County", type="local_government", country=Country.objects.get(code="KE")
    )
    page = _open_profile_form(browser, live_server, peer, javascript=True, viewport=LAPTOP)
    search = page.get_by_label("Add a language")
    chosen = page.locator("#id_languages_chosen")
    suggestions = page.locator("#id_languages_suggestions")
    search.fill("Swah")
    suggestions.get_by_label("Swahili").check()
    expect(chosen.get_by_label("Swahili")).to_be_checked()
    search.fill("Fren")
    suggestions.get_by_label("French").check()
    for name in ("English", "Swahili", "French"):
        expect(chosen.get_by_label(name)).to_be_checked()
    chosen.get_by_label("English").uncheck()
    page.get_by_label("Find an organisation").fill("Kisu")
    page.locator("#id_organisation_suggestions").get_by_label("Kisumu County").check()
    organisation = page.locator("#id_organisation_chosen")
    expect(organisation.get_by_label("Kisumu County")).to_be_checked()
    expect(organisation.get_by_label("Nakuru County")).to_have_count(0)
    page.get_by_role("button", name="Save my profile").click()
    page.wait_for_url("**/peers/*/")
    assert _codes(peer) == ["fr", "sw"]
    peer.user.refresh_from_db()
    assert peer.user.organisation == kisumu
