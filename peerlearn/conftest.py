"""Fixtures shared by the apps' tests: a small world with every role and visibility level."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.services import user_create
from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.services import alliance_create, alliance_member_add
from peerlearn.core.models import Country
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.services import organisation_create
from peerlearn.peers.models import Challenge, Experience
from peerlearn.peers.services import peer_profile_create, statement_create

TEST_PASSWORD = "a-long-test-passphrase-42"  # noqa: S105 - test fixture  # noqa: S105 - test fixture


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any) -> None:
    """Each test starts with an empty cache in memory: API request counts never carry over,
    and a test without database access never reaches the database cache production uses
    on PostgreSQL. (The test of several processes gives them the real one.)"""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    }
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_language_mix() -> Iterator[None]:
    """Each test reads the languages of its own statements: the mix one process keeps for a
    few minutes (``matchmaking.embeddings._platform_languages``, which chooses the model of
    searches and of texts encoded as they are written) never carries over from a test
    whose texts chose another model."""
    from peerlearn.matchmaking import embeddings

    embeddings._mix_read.clear()
    yield
    embeddings._mix_read.clear()


def in_time_zone_of(user: Any) -> Any:
    """``with in_time_zone_of(user):`` reads dates as the user's pages do, in their zone
    (Nairobi's day turns three hours before the site's UTC): for a test that compares a
    page's "today" with its own."""
    from django.utils import timezone

    from peerlearn.activities.models import zone_of
    from peerlearn.activities.selectors import reader_zone_name

    return timezone.override(zone_of(reader_zone_name(user)))


def make_user(username: str, *, role: str = Role.PEER, organisation: Any = None) -> Any:
    return user_create(
        username=username,
        email=f"{username}@example.org",
        name=username.replace("_", " ").title(),
        password=TEST_PASSWORD,
        role=role,
        organisation=organisation,
    )


def make_peer(
    username: str,
    organisation: Any,
    *,
    visibility: str = Visibility.PLATFORM,
    languages: tuple[str, ...] = ("en",),
    **kwargs: Any,
) -> Any:
    user = make_user(username, organisation=organisation)
    return peer_profile_create(
        user=user, position="Revenue officer", languages=languages, visibility=visibility, **kwargs
    )


@pytest.fixture
def world(db: Any) -> SimpleNamespace:
    """Two Kenyan counties and a French ministry; peers at each profile visibility; a
    facilitator, an authoriser, a funder and an administrator; four alliances, one at each
    visibility; challenges at each visibility."""
    ke, fr = Country.objects.get(code="KE"), Country.objects.get(code="FR")
    w = SimpleNamespace()
    w.county_a = organisation_create(
        name="Nakuru County", type=OrganisationType.LOCAL_GOVERNMENT, country=ke
    )
    w.county_b = organisation_create(
        name="Kisumu County", type=OrganisationType.LOCAL_GOVERNMENT, country=ke
    )
    w.ministry = organisation_create(
        name="Ministère des Finances", type=OrganisationType.MINISTRY, country=fr
    )
    w.ngo = organisation_create(
        name="Centre for Economic Governance", type=OrganisationType.CIVIL_SOCIETY, country=ke
    )
    w.donor = organisation_create(
        name="Peer Learning Fund", type=OrganisationType.DEVELOPMENT_PARTNER, country=None
    )

    # Profiles at each visibility. member_* belong to the inner alliance; the others do not.
    w.member_alliance = make_peer("member_alliance", w.county_a, visibility=Visibility.ALLIANCE)
    w.member_platform = make_peer("member_platform", w.county_b, visibility=Visibility.PLATFORM)
    w.member_private = make_peer("member_private", w.county_b, visibility=Visibility.PRIVATE)
    w.outsider = make_peer(
        "outsider", w.ministry, visibility=Visibility.PLATFORM, languages=("fr",)
    )
    w.outsider_public = make_peer("outsider_public", w.ministry, visibility=Visibility.PUBLIC)
    w.outsider_alliance = make_peer("outsider_alliance", w.county_a, visibility=Visibility.ALLIANCE)

    w.facilitator = make_user("facilitator", role=Role.FACILITATOR, organisation=w.ngo)
    w.authoriser_a = make_user("authoriser_a", role=Role.AUTHORISER, organisation=w.county_a)
    w.funder = make_user("funder", role=Role.FUNDER, organisation=w.donor)
    w.admin = make_user("admin", role=Role.ADMIN)

    def alliance(name: str, visibility: str, funded: bool = False) -> Any:
        return alliance_create(
            name=name,
            theme="decentralisation",
            purpose="Raise own-source revenue.",
            working_languages=["en"],
            created_by=w.facilitator,
            visibility=visibility,
            funders=[w.donor] if funded else [],
        )

    w.inner = alliance("County Revenue Alliance", Visibility.ALLIANCE, funded=True)
    w.public_alliance = alliance("Open Alliance", Visibility.PUBLIC)
    w.platform_alliance = alliance("Platform Alliance", Visibility.PLATFORM)
    w.private_alliance = alliance("Draft Alliance", Visibility.PRIVATE)
    for peer in (w.member_alliance, w.member_platform, w.member_private):
        alliance_member_add(alliance=w.inner, user=peer.user, role=MemberRole.PEER)

    # Challenges by member_platform (a platform-visible profile) at every visibility.
    w.challenges = {}
    for vis in Visibility.values:
        w.challenges[vis] = statement_create(
            model=Challenge,
            peer=w.member_platform,
            theme="revenue-pfm",
            title=f"Challenge {vis}",
            description="Cash collection leaks revenue.",
            visibility=vis,
        )
    w.challenge_in_alliance = statement_create(
        model=Challenge,
        peer=w.member_platform,
        theme="revenue-pfm",
        title="Raised in the alliance",
        description="Political interference in collection.",
        visibility=Visibility.ALLIANCE,
        alliance=w.inner,
    )
    # A public challenge behind a private profile is not shown: never wider than the profile.
    w.challenge_of_private = statement_create(
        model=Challenge,
        peer=w.member_private,
        theme="revenue-pfm",
        title="Behind a private profile",
        description="Staff rotation.",
        visibility=Visibility.PUBLIC,
    )
    w.public_challenge = statement_create(
        model=Challenge,
        peer=w.outsider_public,
        theme="procurement",
        title="Public challenge",
        description="Open tendering.",
        visibility=Visibility.PUBLIC,
    )
    w.experience = statement_create(
        model=Experience,
        peer=w.outsider,
        theme="revenue-pfm",
        title="Mobile money for market fees",
        description="We moved traders to mobile payments.",
        visibility=Visibility.PLATFORM,
    )
    return w
