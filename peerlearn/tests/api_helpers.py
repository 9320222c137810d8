"""What the API tests share: a small world with every role, and clients that act as them.

Each test module turns :func:`build_api_world` into its ``api_world`` fixture.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.test import Client

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.accounts.tests.factories import UserFactory, make_api_key
from peerlearn.alliances.models import AllianceStage, MemberRole
from peerlearn.alliances.tests.factories import (
    AllianceMembershipFactory,
    AllianceOrganisationFactory,
    AlliancePriorityFactory,
    LearningAllianceFactory,
    StageChangeFactory,
)
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.tests.factories import OrganisationFactory, country
from peerlearn.peers.tests.factories import PeerProfileFactory

API = "/api/v1"

# Queries every signed-in request makes before the endpoint's own, at most: the session, the
# user and, for a writing request, its savepoint and release (WritingRequestAtomicMiddleware).
REQUEST_QUERIES = 4

# Everyone who can sign in, as named in ``api_world.users``. "anonymous" is tested apart:
# the API answers it 401 everywhere.
VIEWERS = (
    "owner",  # a peer, member of the inner alliance, whose content the matrices vary
    "co_member",  # another peer in the inner alliance
    "outsider",  # a peer in no alliance
    "facilitator",  # facilitates the inner alliance
    "other_facilitator",  # facilitates nothing
    "authoriser",  # authoriser of the owner's home organisation
    "other_authoriser",  # authoriser of another organisation
    "funder",  # works for the inner alliance's funder
    "other_funder",  # works for a funder of nothing
    "admin",  # platform administrator
)


def client_for(user: User | None) -> Client:
    """A test client signed in as ``user`` through the session (``None``: anonymous)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def bearer_client(user: User) -> Client:
    """A client that authenticates only by a fresh bearer key, with no session."""
    return Client(headers={"Authorization": f"Bearer {make_api_key(user)}"})


def items(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["items"]  # type: ignore[no-any-return]


def field_errors(response: Any) -> dict[tuple[str | int, ...], str]:
    """A 422 answer as ``{loc: msg}``, asserting its shape."""
    assert response.status_code == 422, response.content
    errors = response.json()["detail"]
    assert isinstance(errors, list) and errors
    for error in errors:
        assert set(error) >= {"loc", "msg", "type"}, error
    return {tuple(error["loc"]): error["msg"] for error in errors}


def build_api_world() -> SimpleNamespace:
    """Two Kenyan counties, a French ministry, an NGO and two funders; three peers and one
    user of every other role; one alliance ("inner", visibility alliance) funded by the
    funder, facilitated by the facilitator, with the owner and co_member as peers."""
    w = SimpleNamespace()
    ke, fr = country("KE"), country("FR")
    w.county_a = OrganisationFactory(name="Nakuru County", acronym="NCG", country=ke)
    w.county_b = OrganisationFactory(name="Kisumu County", country=ke)
    w.ministry = OrganisationFactory(
        name="Ministère des Finances", type=OrganisationType.MINISTRY, country=fr
    )
    w.ngo = OrganisationFactory(
        name="Centre for Economic Governance", type=OrganisationType.CIVIL_SOCIETY
    )
    w.donor = OrganisationFactory(
        name="Peer Learning Fund", type=OrganisationType.DEVELOPMENT_PARTNER, country=None
    )
    w.other_donor = OrganisationFactory(
        name="Other Fund", type=OrganisationType.DEVELOPMENT_PARTNER, country=None
    )

    w.owner = PeerProfileFactory(
        user__username="owner",
        user__name="Wanjiru Owner",
        user__organisation=w.county_a,
        position="Director of revenue",
        gender="woman",
        languages=["en", "sw"],
        reform_areas=["revenue-pfm"],
    )
    w.co_member = PeerProfileFactory(
        user__username="co_member", user__name="Otieno Member", user__organisation=w.county_b
    )
    w.outsider = PeerProfileFactory(
        user__username="outsider",
        user__name="Claire Outsider",
        user__organisation=w.ministry,
        languages=["fr"],
        reform_stage=4,
    )

    def staff(username: str, role: str, organisation: Any) -> User:
        return UserFactory(  # type: ignore[no-any-return]
            username=username,
            name=username.replace("_", " ").title(),
            role=role,
            organisation=organisation,
        )

    w.facilitator = staff("facilitator", Role.FACILITATOR, w.ngo)
    w.other_facilitator = staff("other_facilitator", Role.FACILITATOR, w.ngo)
    w.authoriser = staff("authoriser", Role.AUTHORISER, w.county_a)
    w.other_authoriser = staff("other_authoriser", Role.AUTHORISER, w.ministry)
    w.funder = staff("funder", Role.FUNDER, w.donor)
    w.other_funder = staff("other_funder", Role.FUNDER, w.other_donor)
    w.admin = staff("admin", Role.ADMIN, None)

    w.inner = LearningAllianceFactory(
        name="County Revenue Alliance",
        slug="county-revenue",
        visibility=Visibility.ALLIANCE,
        funders=[w.donor],
    )
    AllianceMembershipFactory(alliance=w.inner, user=w.facilitator, role=MemberRole.FACILITATOR)
    AllianceMembershipFactory(alliance=w.inner, user=w.owner.user, role=MemberRole.PEER)
    AllianceMembershipFactory(alliance=w.inner, user=w.co_member.user, role=MemberRole.PEER)
    AllianceOrganisationFactory(alliance=w.inner, organisation=w.county_a)
    AllianceOrganisationFactory(alliance=w.inner, organisation=w.county_b)
    AlliancePriorityFactory(alliance=w.inner, title="Automation of revenue collection")
    StageChangeFactory(
        alliance=w.inner,
        from_stage=None,
        to_stage=AllianceStage.PRE_ASSESSMENT,
        changed_by=w.facilitator,
        note="Pre-assessment agreed with the county treasuries.",
    )

    w.users = {
        "owner": w.owner.user,
        "co_member": w.co_member.user,
        "outsider": w.outsider.user,
        "facilitator": w.facilitator,
        "other_facilitator": w.other_facilitator,
        "authoriser": w.authoriser,
        "other_authoriser": w.other_authoriser,
        "funder": w.funder,
        "other_funder": w.other_funder,
        "admin": w.admin,
    }
    assert set(w.users) == set(VIEWERS)
    return w
