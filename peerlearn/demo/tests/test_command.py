"""The ``demo`` command against a database: loaded once for the module, in a transaction that
is rolled back afterwards, so the rest of the suite never sees it. Every test here uses the
database, so that pytest-django keeps them together (it runs database tests first)."""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import RequestFactory
from django.test.utils import override_settings

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.models import (
    AllianceMembership,
    AllianceOrganisation,
    AlliancePriority,
    AllianceStage,
    LearningAlliance,
    MemberRole,
    StageChange,
)
from peerlearn.core.choices import PartnershipType
from peerlearn.demo.data import kenya
from peerlearn.demo.load import demo_plan
from peerlearn.initiatives.annex import INITIATIVES
from peerlearn.initiatives.models import Initiative, InitiativeLink
from peerlearn.organisations.models import Organisation, OrganisationType
from peerlearn.peers.models import (
    Authorisation,
    AuthorisationStatus,
    Challenge,
    Experience,
    PeerProfile,
)

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MODELS = (
    User,
    Organisation,
    PeerProfile,
    Challenge,
    Experience,
    Authorisation,
    Initiative,
    InitiativeLink,
    LearningAlliance,
    AllianceMembership,
    AllianceOrganisation,
    AlliancePriority,
    StageChange,
)


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("demo", stdout=out)
        yield SimpleNamespace(output=out.getvalue(), counts=counts())
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def kenya_alliance() -> LearningAlliance:
    return LearningAlliance.objects.get(slug=kenya.ALLIANCE_SLUG)


# --- the whole ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_at_least_300_peers_in_at_least_25_countries(demo):
    assert PeerProfile.objects.count() >= 300
    countries = PeerProfile.objects.values("user__organisation__country").distinct().count()
    assert countries >= 25
    assert Challenge.objects.count() >= 300
    assert Experience.objects.count() >= 200
    assert "Demo loaded" in demo.output


@pytest.mark.django_db
def test_running_it_again_creates_nothing(demo):
    out = StringIO()
    call_command("demo", stdout=out)
    assert counts() == demo.counts
    assert "nothing changed" in out.getvalue()


@pytest.mark.django_db
def test_more_peers_adds_only_the_new_ones(demo):
    out = StringIO()
    call_command("demo", peers=305, stdout=out)
    assert PeerProfile.objects.count() == demo.counts["PeerProfile"] + 5
    assert "5 peers" in out.getvalue()


@pytest.mark.django_db
def test_another_seed_on_top_is_refused_and_changes_nothing(demo):
    with pytest.raises(CommandError, match="another seed"):
        call_command("demo", seed=7, stdout=StringIO())
    assert counts() == demo.counts


@pytest.mark.django_db
def test_the_database_holds_exactly_the_seeded_plan(demo):
    """Same seed, same data: every synthetic peer as the (pure, tested) plan says."""
    plan = demo_plan()
    profiles = {
        p.user.username: p
        for p in PeerProfile.objects.select_related("user__organisation").prefetch_related(
            "languages", "reform_areas", "challenges__theme", "experiences__theme"
        )
    }
    for planned in plan.peers:
        profile = profiles[planned.username]
        org = profile.user.organisation
        assert (profile.user.name, org.name, org.country_id) == (
            planned.name,
            planned.organisation.name,
            planned.country,
        )
        assert (profile.position, profile.seniority, profile.gender, profile.reform_stage) == (
            planned.position,
            planned.seniority,
            planned.gender,
            planned.reform_stage,
        )
        assert {lang.code for lang in profile.languages.all()} == set(planned.languages)
        assert {t.slug for t in profile.reform_areas.all()} == set(planned.reform_areas)
        assert profile.visibility == planned.visibility
        for statements, planned_statements in (
            (profile.challenges.all(), planned.challenges),
            (profile.experiences.all(), planned.experiences),
        ):
            assert sorted(
                (s.theme.slug, s.title, s.description, s.visibility) for s in statements
            ) == sorted((s.theme, s.title, s.description, s.visibility) for s in planned_statements)


@pytest.mark.django_db
def test_every_row_satisfies_its_model(demo):
    """The bulk-written rows pass the same validation as rows written through services."""
    for model in (Organisation, PeerProfile, Challenge, Experience, Authorisation):
        for obj in model.objects.all():
            obj.full_clean()
    for user in User.objects.all():
        user.full_clean(exclude=["password"])


@pytest.mark.django_db
def test_the_export_of_the_demo_feeds_the_command_line_matcher(demo, tmp_path):
    from peerlearn.matching.io import read_peers

    target = tmp_path / "peers.jsonl"
    call_command("export_peers", "--out", str(target), stdout=StringIO(), stderr=StringIO())
    peers = read_peers(target)
    assert len(peers) >= 250
    roles = Counter(p.role for p in peers)
    assert min(roles.values()) >= 20
    assert len({p.country for p in peers}) >= 25


# --- the demo sign-ins ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_five_demo_sign_ins_work_with_the_published_password(demo):
    for account in kenya.ACCOUNTS:
        user = authenticate(
            RequestFactory().post("/accounts/login/"),
            username=account.username,
            password=kenya.DEMO_PASSWORD,
        )
        assert user is not None, account.username
        assert user.role == account.role
        assert account.username in demo.output
    assert "peerlearn-demo" in demo.output
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    # Every other demo person signs in too, with the same password, to answer proposals.
    assert all(u.has_usable_password() for u in User.objects.all())
    someone = User.objects.exclude(username__in=[a.username for a in kenya.ACCOUNTS]).first()
    assert someone is not None
    assert authenticate(
        RequestFactory().post("/accounts/login/"),
        username=someone.username,
        password=kenya.DEMO_PASSWORD,
    )
    assert "Every other demo person signs in with the same password" in demo.output


@pytest.mark.django_db
def test_the_peer_account_has_a_full_profile_and_is_authorised(demo):
    peer = PeerProfile.objects.get(user__username="peer")
    assert peer.position and peer.bio and peer.gender
    assert {lang.code for lang in peer.languages.all()} == {"en", "sw"}
    assert peer.reform_areas.count() >= 3
    assert peer.challenges.count() >= 2 and peer.experiences.count() >= 2
    assert peer.challenges.filter(visibility=Visibility.PRIVATE).exists()
    assert kenya_alliance().memberships.filter(user=peer.user, role=MemberRole.PEER).exists()
    authoriser = User.objects.get(username="authoriser")
    grant = peer.authorisations.get()
    assert grant.authoriser == authoriser and grant.status == AuthorisationStatus.GRANTED
    assert authoriser.organisation == peer.user.organisation
    assert grant.decided_on is not None and grant.requested_at.date() < grant.decided_on


# --- the Kenya alliance ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_kenya_alliance_has_seven_counties_and_their_staff(demo):
    alliance = kenya_alliance()
    counties = Organisation.objects.filter(
        alliance_memberships__alliance=alliance, type=OrganisationType.LOCAL_GOVERNMENT
    )
    assert counties.count() == 7
    assert set(counties.values_list("country", flat=True)) == {"KE"}
    for county in counties:
        staff = PeerProfile.objects.filter(
            user__organisation=county, user__alliance_memberships__alliance=alliance
        )
        assert staff.filter(position="Director of Revenue").exists(), county
        assert staff.values("seniority").distinct().count() >= 3, county
        for p in staff:
            assert {lang.code for lang in p.languages.all()} == {"en", "sw"}
    assert {a.code for a in alliance.working_languages.all()} == {"en", "sw"}
    assert alliance.type == PartnershipType.TYPE_II
    assert alliance.initiative.slug == "fiscal-decentralisation-kenya"


@pytest.mark.django_db
def test_the_eight_knowledge_gaps_are_challenges_raised_in_the_alliance(demo):
    alliance = kenya_alliance()
    gaps = Challenge.objects.filter(alliance=alliance)
    assert gaps.count() == 8
    assert gaps.values("peer__user__organisation").distinct().count() >= 6
    assert gaps.values("theme").distinct().count() >= 4
    assert gaps.filter(visibility=Visibility.ALLIANCE).count() >= 2
    assert all(
        AllianceMembership.objects.filter(alliance=alliance, user=c.peer.user).exists()
        for c in gaps
    )
    assert Experience.objects.filter(alliance=alliance).count() >= 3


@pytest.mark.django_db
def test_the_four_priorities_stage_history_facilitator_and_funder(demo):
    alliance = kenya_alliance()
    assert list(alliance.priorities.values_list("title", flat=True)) == [
        t for t, _ in kenya.PRIORITIES
    ]
    assert alliance.stage == AllianceStage.SUSTAINED_CONTACT
    history = alliance.stage_changes.order_by("changed_at")
    assert [c.to_stage for c in history] == [0, 1, 2]
    assert all(c.changed_by.username == "facilitator" for c in history)
    assert alliance.memberships.filter(
        user__username="facilitator", role=MemberRole.FACILITATOR
    ).exists()
    funder = User.objects.get(username="funder")
    assert alliance.funders.filter(id=funder.organisation_id).exists()
    assert alliance.starts_on < alliance.ends_on


@pytest.mark.django_db
def test_smaller_alliances_at_other_stages_types_and_visibilities(demo):
    others = LearningAlliance.objects.exclude(slug=kenya.ALLIANCE_SLUG)
    assert 2 <= others.count() <= 3
    assert {a.type for a in others} == {PartnershipType.TYPE_I, PartnershipType.TYPE_II}
    assert len({a.stage for a in others}) == others.count()
    assert len({a.visibility for a in others}) == others.count()
    for alliance in others:
        assert alliance.memberships.filter(role=MemberRole.FACILITATOR).count() == 1
        assert (
            alliance.memberships.filter(role__in=[MemberRole.PEER, MemberRole.RESOURCE]).count()
            >= 5
        )
        assert alliance.stage_changes.count() == alliance.stage + 1


@pytest.mark.django_db
def test_some_other_peers_are_authorised_or_waiting(demo):
    statuses = Counter(
        Authorisation.objects.exclude(peer__user__username="peer").values_list("status", flat=True)
    )
    assert statuses[AuthorisationStatus.GRANTED] >= 20
    assert statuses[AuthorisationStatus.REQUESTED] >= 5
    for a in Authorisation.objects.select_related("peer__user", "authoriser"):
        assert a.authoriser.role == Role.AUTHORISER
        assert a.authoriser.organisation_id == a.peer.user.organisation_id


# --- the registry -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_eight_initiatives_of_annex_1(demo):
    initiatives = {
        i.slug: i
        for i in Initiative.objects.prefetch_related(
            "countries", "implementers", "funders", "themes", "links"
        )
    }
    assert len(initiatives) == 8
    types = {slug: i.type for slug, i in initiatives.items()}
    assert [types[s.slug] for s in INITIATIVES] == ["I", "I"] + ["II"] * 6
    kyrgyz = initiatives["better-government-kyrgyzstan"]
    assert {c.code for c in kyrgyz.countries.all()} == {"KG", "GB"}
    assert {o.acronym for o in kyrgyz.implementers.all()} == {"NSGI"}
    assert {o.acronym for o in kyrgyz.funders.all()} == {"DFID"}
    assert initiatives["open-government-partnership"].coverage == "Global"
    assert initiatives["climate-finance-integrity"].coverage == "EU"
    assert initiatives["zambia-hrm-reform"].started == 2013
    agencies = {
        o.acronym or o.name
        for i in initiatives.values()
        for o in (*i.implementers.all(), *i.funders.all())
    }
    assert {
        "NSGI",
        "DFID",
        "TI",
        "EIP",
        "INASP",
        "CEG",
        "UNDP",
        "OGP",
        "GIZ",
        "ACSH",
        "Practical Action Latin America",
    } <= agencies
    for i in initiatives.values():
        assert i.visibility == Visibility.PUBLIC
        assert i.themes.exists()
        assert 2 <= len(re.findall(r"[.!?](?:\s|$)", i.summary)) <= 4, i.slug
        assert len(re.findall(r"[.!?](?:\s|$)", i.lessons)) >= 2, i.slug
    assert initiatives["ella"].links.count() == 3


# --- the audit trail ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_audit_trail_shows_the_load_a_visibility_change_an_export_and_sign_ins(demo, client):
    from peerlearn.audit.models import AuditAction, AuditEvent

    assert AuditEvent.objects.filter(action=AuditAction.DEMO_LOADED).count() == 1
    narrowed = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert narrowed.object_type in ("peers.challenge", "peers.experience")
    assert narrowed.detail["changes"]["visibility"] == [Visibility.PLATFORM, Visibility.ALLIANCE]
    assert narrowed.actor_id is not None
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.actor == User.objects.get(username="facilitator")
    assert export.detail["count"] > 0
    # Seeding itself is nobody's action: no event per created row.
    assert AuditEvent.objects.count() == 3

    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        response = client.post(
            "/accounts/login/", {"username": "peer", "password": kenya.DEMO_PASSWORD}
        )
    assert response.status_code == 302
    sign_in = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    assert sign_in.actor == User.objects.get(username="peer")
    admin = User.objects.get(username="admin")
    client.force_login(admin)
    page = client.get("/audit/").content.decode()
    for label in ("Signed in", "Exported data", "Changed a record", "Loaded the demo data"):
        assert label in page


def test_no_two_organisations_of_a_country_have_near_duplicate_names(demo: Any) -> None:
    from peerlearn.organisations.models import Organisation
    from peerlearn.organisations.similarity import near_duplicate_pairs

    organisations = list(Organisation.objects.all())
    assert len(organisations) > 100
    pairs = [(a.name, b.name) for a, b in near_duplicate_pairs(organisations)]
    assert pairs == []
