"""A peer signs in, adds a challenge, and finds it on their profile — in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from peerlearn.access.visibility import Visibility
from peerlearn.accounts.services import user_create
from peerlearn.core.models import Country
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.services import organisation_create
from peerlearn.peers.models import Challenge
from peerlearn.peers.services import peer_profile_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-test-passphrase-42"


@pytest.fixture
def peer_user(live_server: Any) -> Any:
    organisation = organisation_create(
        name="Kisumu County Revenue Department",
        type=OrganisationType.LOCAL_GOVERNMENT,
        country=Country.objects.get(code="KE"),
    )
    user = user_create(
        username="achieng",
        email="achieng@example.org",
        name="Achieng Otieno",
        password=PASSWORD,
        organisation=organisation,
    )
    peer_profile_create(
        user=user, position="Director of Revenue", languages=["en", "sw"], seniority=4
    )
    return user


def test_peer_signs_in_adds_a_challenge_and_sees_it_on_their_profile(
    page: Any, peer_user: Any
) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Username").fill("achieng")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=re.compile("Welcome, Achieng")).wait_for()

    page.get_by_role("link", name="Add a challenge").first.click()
    page.get_by_label("Theme").select_option(label="Revenue and public financial management")
    page.get_by_label("Title").fill("Moving market fees from cash to mobile money")
    page.get_by_label("Description").fill(
        "We lose much of our market fee revenue to leakage in cash handling. "
        "We want to learn how other counties moved traders to mobile payments."
    )
    platform = page.get_by_label(str(Visibility.PLATFORM.label))
    expect(platform).to_be_checked()  # the default: signed-in users
    platform.check()
    page.get_by_role("button", name="Save").click()

    heading = page.get_by_role("heading", name="Moving market fees from cash to mobile money")
    heading.wait_for()
    assert page.get_by_role("heading", name="Achieng Otieno", level=1).is_visible()
    saved = "Saved. Every signed-in user can see it, and facilitators can match you on it."
    assert saved in page.content()
    assert re.search(r"/peers/\d+/$", page.url)
    challenge = Challenge.objects.get(peer__user=peer_user)
    assert challenge.title == "Moving market fees from cash to mobile money"
    assert challenge.theme.slug == "revenue-pfm"


def test_invalid_challenge_shows_field_errors_and_saves_nothing(page: Any, peer_user: Any) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("achieng")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/peers/me/challenges/new/")
    page.get_by_label("Title").fill("No theme and no description")
    page.get_by_role("button", name="Save").click()
    errors = page.locator(".field.invalid")
    expect(errors).to_have_count(2)  # waits for the answer to the submission
    assert "This field is required." in errors.first.inner_text()
    assert not Challenge.objects.exists()


def test_the_journey_works_without_javascript(
    browser: Any, live_server: Any, peer_user: Any
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("achieng")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto("/peers/me/experiences/new/")
        page.get_by_label("Theme").select_option(label="Decentralisation and local government")
        page.get_by_label("Title").fill("Seasonal bus-park tickets")
        page.get_by_label("Description").fill("Operators pay for a season; revenue rose at once.")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("heading", name="Seasonal bus-park tickets").wait_for()
        # The directory's filters submit as a plain GET form.
        page.goto("/peers/")
        page.get_by_label("Working language").select_option("sw")
        page.get_by_role("button", name="Filter").click()
        expect(page).to_have_url(re.compile(r"language=sw"))
        expect(page.get_by_role("link", name="Achieng Otieno")).to_be_visible()
    finally:
        context.close()


def test_directory_filters_update_in_place_with_htmx(page: Any, peer_user: Any) -> None:
    from peerlearn.conftest import make_peer

    make_peer("jean", peer_user.organisation, languages=("fr",))
    page.goto("/peers/")
    assert page.evaluate("typeof htmx") == "object"
    assert page.locator("#results").get_by_role("link").count() == 0  # profiles are platform-only
    page.goto("/accounts/login/?next=/peers/")
    page.get_by_label("Username").fill("achieng")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("2 peers").wait_for()
    page.evaluate("window.__marker = 1")  # survives only if the page is not reloaded
    page.get_by_label("Working language").select_option("fr")
    page.get_by_text("1 peer", exact=True).wait_for()
    assert page.evaluate("window.__marker") == 1
    assert "language=fr" in page.url
    assert page.get_by_role("link", name="Jean").is_visible()
