"""A new peer signs up, completes her profile and a challenge, and is found and matched by a
facilitator; a peer adds statements and filters the directory — in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.accounts.services import user_create
from peerlearn.conftest import TEST_PASSWORD, make_peer, make_user
from peerlearn.core.models import Country
from peerlearn.matchmaking.services import matching_run_create
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.services import organisation_create
from peerlearn.peers.models import Challenge, Experience
from peerlearn.peers.services import peer_profile_create, statement_create
from tests.browser.checks import PageChecks

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


def test_a_new_peer_signs_up_and_is_found_and_matched(
    page: Any, checks: PageChecks, live_server: Any, settings: Any
) -> None:
    """At 1280 px and at 390 px: a new peer signs up, completes her profile and a challenge
    with the default visibility, confirms her e-mail address; a facilitator then finds her by
    name in the directory, and a matching over her theme pairs her with a peer."""
    settings.PEERLEARN_MATCHING_ENCODER = "tfidf"  # instant, and no model to load
    kisumu = organisation_create(
        name="Kisumu County Revenue Department",
        type=OrganisationType.LOCAL_GOVERNMENT,
        country=Country.objects.get(code="KE"),
    )
    dora = make_peer(
        "dora",
        organisation_create(
            name="Kampala Capital City Authority",
            type=OrganisationType.LOCAL_GOVERNMENT,
            country=Country.objects.get(code="UG"),
        ),
    )
    statement_create(
        model=Experience,
        peer=dora,
        theme="revenue-pfm",
        title="Market fees by mobile money",
        description="We moved market fee collection from cash to mobile money payments.",
    )
    facilitator = make_user("ruth", role=Role.FACILITATOR)

    # She signs up from the home page…
    page.goto("/")
    checks.check()
    page.get_by_role("link", name="Join as a peer").first.click()
    checks.check()
    page.get_by_label("Full name").fill("Achieng Otieno")
    page.get_by_label("User name").fill("achieng")
    page.get_by_label("E-mail address").fill("achieng@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    checks.who = "achieng"
    page.get_by_role("button", name="Create my account").click()

    # …completes her profile…
    page.get_by_role("heading", name="Complete your profile").wait_for()
    checks.check()
    # The organisation picker takes a name typed in full on saving.
    page.get_by_label("Find an organisation").fill(kisumu.name)
    page.get_by_label("Position").fill("Director of Revenue")
    page.get_by_label("Seniority").select_option("4")
    page.get_by_label("Where you stand in the reform cycle").select_option("3")
    page.get_by_label("Add a language").fill("Engl")
    page.locator("#id_languages_suggestions").get_by_label("English").check()
    page.get_by_label("Add a language").fill("Swahili")
    expect(page.get_by_label(str(Visibility.PLATFORM.label))).to_be_checked()  # the default
    page.get_by_role("button", name="Save my profile").click()
    page.get_by_role("heading", name="Achieng Otieno", level=1).wait_for()
    checks.check()

    # …and a challenge, at the default level (signed-in users); the confirmation says that
    # nobody else sees it until she confirms her e-mail address.
    page.goto("/")
    checks.check()
    page.get_by_role("link", name="Add a challenge").first.click()
    page.get_by_label("Theme").select_option(label="Revenue and public financial management")
    page.get_by_label("Title").fill("Moving market fees from cash to mobile money")
    page.get_by_label("Description").fill(
        "We lose much of our market fee revenue to leakage in cash handling. "
        "We want to learn how other counties moved traders to mobile payments."
    )
    expect(page.get_by_label(str(Visibility.PLATFORM.label))).to_be_checked()
    checks.check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Moving market fees from cash to mobile money").wait_for()
    saved = (
        "Saved. Nobody else sees it until you confirm your e-mail address: follow the link we "
        "sent you."
    )
    assert saved in page.content()
    assert re.search(r"/peers/\d+/$", page.url)
    checks.check(again=True)
    user = User.objects.get(username="achieng")
    challenge = Challenge.objects.get(peer__user=user)
    assert challenge.theme.slug == "revenue-pfm"
    assert challenge.visibility == user.peer_profile.visibility == Visibility.PLATFORM

    # She follows the link e-mailed to her, so that peers can find her.
    link = re.search(r"https?://\S+/accounts/verify/\S+", mail.outbox[-1].body)
    assert link and mail.outbox[-1].to == ["achieng@example.org"]
    page.goto(link.group(0))
    checks.check()
    user.refresh_from_db()
    assert user.email_verified

    # The facilitator finds her by name in the directory.
    sign_in(page, "ruth", checks)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Peers").click()
    if not page.get_by_label(re.compile(r"^Search:?$")).is_visible():
        page.get_by_text("Filters", exact=True).click()  # folded on a phone
    checks.check()
    page.get_by_label(re.compile(r"^Search:?$")).fill("Achieng")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 peer", exact=True)).to_be_visible()
    checks.check()
    page.get_by_role("link", name="Achieng Otieno").click()
    page.get_by_role("heading", name="Achieng Otieno", level=1).wait_for()
    expect(page.get_by_text("Moving market fees from cash to mobile money")).to_be_visible()
    checks.check()

    # A matching over her theme pairs her with Dora.
    run = matching_run_create(
        created_by=facilitator,
        kind="pairs",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Revenue pairs",
    )
    page.goto(f"/matching/runs/{run.id}/")
    page.get_by_role("heading", name="1 proposal").wait_for()
    summary = page.locator("ol.proposal-list details.proposal > summary")
    expect(summary).to_have_count(1)
    pair = page.locator("details.proposal")
    pair.locator("summary").click()
    expect(pair.get_by_role("link", name="Achieng Otieno")).to_be_visible()
    expect(pair.get_by_role("link", name="Dora")).to_be_visible()
    checks.check()


def sign_in(page: Any, username: str, checks: PageChecks, password: str = TEST_PASSWORD) -> None:
    page.context.clear_cookies()
    checks.who = ""
    page.goto("/accounts/login/")
    checks.check()
    checks.who = username
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()
    checks.check()


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
    assert all("is required." in text for text in errors.all_inner_texts())
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
