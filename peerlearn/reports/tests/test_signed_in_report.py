"""The outsiders' report of an alliance only signed-in users may see: it says it is for
them, so it holds what a signed-in outsider may see — their results and outcomes, their
members named — and never what only those inside, or its author, may see. The report of a
public alliance stays the one anyone may see, whoever reads it."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.access.visibility import Visibility
from peerlearn.alliances.models import LearningAlliance, MemberRole
from peerlearn.alliances.services import alliance_member_add, alliance_organisation_add
from peerlearn.evidence.services.results import outcome_create
from peerlearn.reports.tests.conftest import pdf_text

pytestmark = pytest.mark.django_db

NOTICE = "For signed-in users of peerlearn, not for publication: only they may see "


def _outcome(alliance: LearningAlliance, by: Any, visibility: str) -> None:
    outcome_create(
        alliance=alliance,
        created_by=by,
        social_actor=f"Treasury ({visibility})",
        change_kind="policy",
        description=f"Adopted cashless fees ({visibility} outcome)",
        observed_on=date(2026, 3, 1),
        place="Nakuru",
        significance="Less leakage.",
        contribution="The exchange visit.",
        visibility=visibility,
    )


@pytest.fixture
def sw(world: SimpleNamespace) -> SimpleNamespace:
    """The platform alliance with a member at each profile level (outsider_alliance's
    organisation is authoriser_a's) and an outcome at each level it allows; the public
    alliance with an outcome only signed-in users may see."""
    w = world
    alliance = w.platform_alliance
    for peer in (w.member_platform, w.outsider_alliance, w.member_private):
        alliance_member_add(alliance=alliance, user=peer.user, role=MemberRole.PEER)
    alliance_organisation_add(alliance=alliance, organisation=w.county_a)
    for level in (Visibility.PLATFORM, Visibility.ALLIANCE, Visibility.PRIVATE):
        _outcome(alliance, w.facilitator, level)
    alliance_member_add(
        alliance=w.public_alliance, user=w.member_platform.user, role=MemberRole.PEER
    )
    _outcome(w.public_alliance, w.facilitator, Visibility.PLATFORM)
    return w


def _get(user: Any, name: str, slug: str) -> Any:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name, args=[slug]))


def _main(user: Any, slug: str) -> str:
    response = _get(user, "reports:alliance", slug)
    assert response.status_code == 200
    return str(response.content.decode().split("<main", 1)[1])


def test_a_signed_in_outsider_reads_what_signed_in_users_may_see(sw: SimpleNamespace) -> None:
    html = _main(sw.outsider.user, sw.platform_alliance.slug)
    assert NOTICE + "Platform Alliance." in html
    # The outcome and the member signed-in users may see are in it.
    assert "Harvested outcomes" in html and "platform outcome" in html
    assert "Member Platform" in html
    # Not what only those inside may see, nor what only its author may.
    assert "alliance outcome" not in html and "private outcome" not in html
    assert "Outsider Alliance" not in html and "Member Private" not in html
    assert "2 members are not named" in html
    assert "Not named in this report" in html  # one bar of the chart, beside the named


def test_its_pdf_and_tables_hold_the_same(sw: SimpleNamespace) -> None:
    slug = sw.platform_alliance.slug
    pdf = _get(sw.outsider.user, "reports:alliance_pdf", slug)
    _reader, pages = pdf_text(pdf.content)
    text = " ".join(pages).replace("\n", " ")
    assert "platform outcome" in text and "Member Platform" in text
    assert "alliance outcome" not in text and "Outsider Alliance" not in text
    tables = _get(sw.outsider.user, "reports:alliance_tables", slug)
    with zipfile.ZipFile(io.BytesIO(tables.content)) as archive:
        content = " ".join(archive.read(n).decode("utf-8-sig") for n in archive.namelist())
    assert "platform outcome" in content and "Member Platform" in content
    assert "alliance outcome" not in content and "private outcome" not in content
    assert NOTICE in content


def test_an_authoriser_and_a_reader_inside_read_the_same_version_as_any_outsider(
    sw: SimpleNamespace,
) -> None:
    """An authoriser cannot read the members' version; the outsiders' one held nearly
    nothing. Now it holds what any signed-in user may see, for them as for everyone: not
    the peers only their own rights would name (a forwarded copy says nothing of whose
    eyes it was read with, so it must not depend on them)."""
    outsider = _main(sw.outsider.user, sw.platform_alliance.slug)
    for user in (sw.authoriser_a, sw.member_platform.user, sw.facilitator, sw.admin):
        html = _main(user, sw.platform_alliance.slug)
        assert "platform outcome" in html and "alliance outcome" not in html
        assert "Member Platform" in html
        assert "Outsider Alliance" not in html and "Member Private" not in html
        assert html.count("platform outcome") == outsider.count("platform outcome")


def test_a_reader_inside_gets_no_safe_space_in_the_outsiders_version(
    sw: SimpleNamespace,
) -> None:
    """Their own rights would carry the alliance's inside into a version not marked as
    such: it is read with any signed-in user's, and they have the members' one."""
    for user in (sw.member_platform.user, sw.facilitator, sw.admin):
        html = _main(user, sw.platform_alliance.slug)
        assert "alliance outcome" not in html and "private outcome" not in html
        assert "Outsider Alliance" not in html and "Member Private" not in html
        members = reverse("reports:alliance_members", args=[sw.platform_alliance.slug])
        assert f'href="{members}"' in html  # the members' version, offered


def test_the_public_alliances_report_holds_only_what_anyone_may_see(sw: SimpleNamespace) -> None:
    for user in (None, sw.outsider.user, sw.authoriser_a):
        html = _main(user, sw.public_alliance.slug)
        assert "Public version: holds only what anyone may see." in html
        assert "platform outcome" not in html and "Harvested outcomes" not in html


def test_an_anonymous_visitor_cannot_read_it(sw: SimpleNamespace) -> None:
    assert _get(None, "reports:alliance", sw.platform_alliance.slug).status_code == 404
    assert _get(None, "reports:alliance_pdf", sw.platform_alliance.slug).status_code == 404
