"""A small alliance with every kind of viewer (the ``aworld`` fixture), and helpers to
schedule activities in it. Test modules outside this package import the fixture."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from peerlearn.access.roles import Role
from peerlearn.accounts.tests.factories import UserFactory
from peerlearn.activities import services
from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.tests.factories import (
    AllianceMembershipFactory,
    AllianceOrganisationFactory,
    LearningAllianceFactory,
)
from peerlearn.organisations.tests.factories import OrganisationFactory
from peerlearn.peers.tests.factories import PeerProfileFactory

NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")

#: Every kind of viewer in :func:`aworld`.
VIEWERS = (
    "anonymous",
    "facilitator",  # facilitates the alliance
    "peer_a",  # a member from county A
    "peer_b",  # a member from county B
    "funder",  # works for the alliance's funder: inside its safe space, not a member
    "outsider",  # a peer in no alliance
    "other_facilitator",  # facilitates another alliance only
    "admin",
)


def who(w: SimpleNamespace, name: str) -> Any:
    return AnonymousUser() if name == "anonymous" else getattr(w, name)


@pytest.fixture
def aworld(db: Any) -> SimpleNamespace:
    return build_world()


def build_world() -> SimpleNamespace:
    county_a = OrganisationFactory(name="County Government of Alpha")
    county_b = OrganisationFactory(name="County Government of Beta")
    funder_org = OrganisationFactory(name="Funding Agency")
    alliance = LearningAllianceFactory(name="Revenue Alliance", funders=[funder_org])
    other = LearningAllianceFactory(name="Other Alliance")
    for org in (county_a, county_b):
        AllianceOrganisationFactory(alliance=alliance, organisation=org)
    w = SimpleNamespace(
        alliance=alliance,
        other=other,
        county_a=county_a,
        county_b=county_b,
        facilitator=UserFactory(username="fac", role=Role.FACILITATOR),
        peer_a=UserFactory(username="peer_a", organisation=county_a),
        peer_a2=UserFactory(username="peer_a2", organisation=county_a),
        peer_b=UserFactory(username="peer_b", organisation=county_b),
        funder=UserFactory(username="funder", role=Role.FUNDER, organisation=funder_org),
        outsider=UserFactory(username="outsider", organisation=county_a),
        other_facilitator=UserFactory(username="other_fac", role=Role.FACILITATOR),
        admin=UserFactory(username="admin", role=Role.ADMIN),
    )
    AllianceMembershipFactory(alliance=alliance, user=w.facilitator, role=MemberRole.FACILITATOR)
    for u in (w.peer_a, w.peer_a2, w.peer_b):
        AllianceMembershipFactory(alliance=alliance, user=u, role=MemberRole.PEER)
        PeerProfileFactory(user=u)  # at platform level: named to every signed-in reader
    AllianceMembershipFactory(alliance=other, user=w.other_facilitator, role=MemberRole.FACILITATOR)
    return w


def schedule(
    w: SimpleNamespace,
    *,
    days: float = 3,
    hours: float = 2,
    title: str = "Workshop on revenue laws",
    participants: tuple[str, ...] = ("peer_a", "peer_b"),
    alliance: Any = None,
    **fields: Any,
) -> Any:
    """An activity starting ``days`` from now, in Nairobi time."""
    starts = (timezone.now() + dt.timedelta(days=days)).astimezone(NAIROBI).replace(microsecond=0)
    values = {
        "kind": "workshop",
        "title": title,
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=hours),
        "time_zone": "Africa/Nairobi",
        "place": "Machakos",
        "agenda": "Revenue laws, county by county.",
        **fields,
    }
    return services.activity_create(
        alliance=alliance or w.alliance,
        created_by=w.facilitator,
        participant_ids=[getattr(w, p).id for p in participants],
        site_url="https://peerlearn.example.org",
        **values,
    )


def held(w: SimpleNamespace, **kwargs: Any) -> Any:
    """An activity that took place two days ago."""
    return schedule(w, days=-2, **kwargs)
