"""An authoriser grants a peer's request, then revokes the authorisation, each decision an
explicit action offered only where it applies — at 1280 px and at 390 px, in a real browser.
The peer asks through the page; the e-mails go both ways."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from peerlearn.access.roles import Role
from peerlearn.conftest import make_peer, make_user
from peerlearn.core.models import Country
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.services import organisation_create
from peerlearn.peers.models import Authorisation, AuthorisationStatus
from tests.browser.checks import PageChecks
from tests.browser.test_peer_journey import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_authoriser_grants_then_revokes(page: Any, checks: PageChecks) -> None:
    county = organisation_create(
        name="Makueni County",
        type=OrganisationType.LOCAL_GOVERNMENT,
        country=Country.objects.get(code="KE"),
    )
    make_peer("faith", county)
    joseph = make_user("joseph", role=Role.AUTHORISER, organisation=county)
    joseph.name = "Joseph Mutiso"
    joseph.save(update_fields=["name"])

    # The peer asks her home organisation, from her home page.
    sign_in(page, "faith", checks)
    page.get_by_role("link", name="Ask for authorisation").first.click()
    checks.check()
    page.get_by_label("Authoriser").select_option(str(joseph.id))
    page.get_by_label("What you ask to be authorised for").fill(
        "To join the Kenya revenue alliance for a year, with two exchange visits."
    )
    page.get_by_role("button", name=re.compile("Ask|Send")).click()
    checks.check()
    assert mail.outbox[-1].to == [joseph.email]
    page.goto("/")
    expect(page.get_by_text("waits for Joseph Mutiso’s decision")).to_be_visible()
    checks.check(again=True)
    authorisation = Authorisation.objects.get()

    # The authoriser opens it from his home page: only Grant and Decline are offered.
    sign_in(page, "joseph", checks)
    waiting = page.locator("section", has=page.get_by_role("heading", name="Waiting"))
    waiting.get_by_role("link", name="Faith").click()
    page.get_by_role("heading", name="Authorisation request").wait_for()
    checks.check()
    actions = page.locator(".actions").get_by_role("link")
    expect(actions).to_have_text(["Grant", "Decline"])
    actions.get_by_text("Grant", exact=True).click()
    expect(page.get_by_role("heading", name="Grant Faith’s request?")).to_be_visible()
    checks.check()
    page.get_by_role("button", name="Grant").click()
    expect(page.get_by_text("Recorded: Faith’s request is now “Granted”.")).to_be_visible()
    checks.check(again=True)
    authorisation.refresh_from_db()
    assert authorisation.status == AuthorisationStatus.GRANTED
    assert mail.outbox[-1].to == ["faith@example.org"] and "Granted" in mail.outbox[-1].body

    # Then revokes it: a granted authorisation offers Revoke only.
    decided = page.locator("section", has=page.get_by_role("heading", name="earlier decisions"))
    decided.get_by_role("link", name="Faith").click()
    expect(page.locator(".actions").get_by_role("link")).to_have_text(["Revoke"])
    checks.check(again=True)
    page.locator(".actions").get_by_role("link", name="Revoke").click()
    expect(page.get_by_role("heading", name="Revoke Faith’s authorisation?")).to_be_visible()
    checks.check()
    page.get_by_label("Note to the peer").fill("The alliance moved to next year's budget.")
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Recorded: Faith’s request is now “Revoked”.")).to_be_visible()
    checks.check(again=True)
    authorisation.refresh_from_db()
    assert authorisation.status == AuthorisationStatus.REVOKED
    assert authorisation.note == "The alliance moved to next year's budget."
    assert "Revoked" in mail.outbox[-1].body and "next year's budget" in mail.outbox[-1].body

    # Nothing more to decide on it.
    page.goto(f"/peers/authorisations/{authorisation.id}/")
    expect(page.locator(".actions")).to_have_count(0)
    checks.check(again=True)
