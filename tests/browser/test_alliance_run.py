"""A facilitator starts an alliance, adds a member from the directory, answers the Learning
Guide's pre-foundational questions and moves on to Phase 1, confirming the questions left
open — in a real browser, at 1280 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from peerlearn.access.roles import Role
from peerlearn.alliances.checklists import questions_for
from peerlearn.alliances.models import AllianceStage, LearningAlliance, StageChange
from peerlearn.conftest import TEST_PASSWORD, make_peer, make_user
from peerlearn.core.models import Country
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.services import organisation_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()


def test_facilitator_creates_invites_answers_and_moves_on(page: Any, live_server: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    county = organisation_create(
        name="Kilifi County",
        type=OrganisationType.LOCAL_GOVERNMENT,
        country=Country.objects.get(code="KE"),
    )
    make_peer("kazungu", county)
    make_user("ruth", role=Role.FACILITATOR)
    sign_in(page, "ruth")

    # Start the alliance.
    page.goto("/alliances/")
    page.get_by_role("link", name="Start a learning alliance").click()
    page.get_by_label("Name").fill("Coast Counties Revenue Alliance")
    page.get_by_label("Theme").select_option("decentralisation")
    page.get_by_label("Purpose").fill("Raise own-source revenue in the coast counties.")
    # The languages picker: tick a suggestion, and a name typed in full is taken on saving.
    page.get_by_label("Add a language").fill("Engl")
    english = page.locator("#id_working_languages_suggestions").get_by_label("English")
    english.check()
    page.get_by_label("Add a language").fill("Swahili")
    page.get_by_label("Start date").fill("2026-01-15")
    page.get_by_role("button", name="Create the alliance").click()
    expect(page.get_by_role("heading", name=re.compile("Members of Coast"))).to_be_visible()

    # Find Kazungu in the directory (htmx updates the results as one types) and add him.
    page.get_by_label("Find people in the directory").fill("Kazu")
    add = page.get_by_role("button", name="Add Kazungu")
    expect(add).to_be_visible()
    add.click()
    expect(page.get_by_text("Kazungu is now a member, as Peer learner.")).to_be_visible()
    alliance = LearningAlliance.objects.get(name="Coast Counties Revenue Alliance")
    assert alliance.memberships.filter(user__username="kazungu").exists()

    # Answer the pre-foundational questions, all but the last.
    page.get_by_role("link", name="Checklists").first.click()
    pre = questions_for(AllianceStage.PRE_ASSESSMENT)
    for q in pre[:-1]:
        page.get_by_label(str(q.text)).fill(f"Our answer: {q.key}.")
    page.get_by_role("button", name="Save the answers").click()
    expect(page.get_by_text("The answers are saved.")).to_be_visible()
    expect(page.get_by_text("1 question open").first).to_be_visible()

    # Move on: the open question is listed, and must be confirmed.
    page.get_by_role("link", name=alliance.name).first.click()
    page.get_by_role("link", name=re.compile("Move on to “Foundational")).click()
    expect(page.get_by_text(str(pre[-1].text))).to_be_visible()
    page.get_by_label("Why now").fill("The convening workshop in Kilifi was held.")
    page.get_by_role("button", name=re.compile("Move on to")).click()
    expect(page.locator("#id_confirm_open_error")).to_contain_text("1 question of this stage")
    page.get_by_label("Move on although some of this stage's questions are still open").check()
    page.get_by_role("button", name=re.compile("Move on to")).click()
    expect(page.get_by_text(re.compile("is now at “Foundational"))).to_be_visible()
    alliance.refresh_from_db()
    assert alliance.stage == AllianceStage.FOUNDATIONAL
    assert StageChange.objects.filter(alliance=alliance, to_stage=1).get().note == (
        "The convening workshop in Kilifi was held."
    )
    expect(
        page.get_by_text("Moved from “Pre-assessment” to “Foundational peer group engagement”.")
    ).to_be_visible()
