"""Learning alliances through the API: who sees which alliance, what they see inside it,
and facilitators moving it through the Learning Guide's stages."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.tests.factories import UserFactory
from peerlearn.alliances.models import AllianceStage, MemberRole, StageChange
from peerlearn.alliances.tests.factories import (
    AllianceMembershipFactory,
    AllianceOrganisationFactory,
    AlliancePriorityFactory,
    LearningAllianceFactory,
)
from peerlearn.core.choices import PartnershipType
from peerlearn.initiatives.tests.factories import InitiativeFactory
from peerlearn.organisations.tests.factories import OrganisationFactory
from peerlearn.peers.tests.factories import ChallengeFactory, PeerProfileFactory, theme
from peerlearn.tests.api_helpers import (
    API,
    REQUEST_QUERIES,
    VIEWERS,
    bearer_client,
    build_api_world,
    client_for,
    field_errors,
    items,
)

INNER = f"{API}/alliances/county-revenue"


@pytest.fixture
def api_world(db: Any) -> SimpleNamespace:
    return build_api_world()


def set_visibility(obj: Any, visibility: str) -> None:
    obj.visibility = visibility
    obj.save(update_fields=["visibility"])


def move(client: Any, slug: str, stage: int, note: str = "Workshop held.") -> Any:
    return client.post(
        f"{API}/alliances/{slug}/stage",
        {"stage": stage, "note": note, "confirm_open_questions": True},
        content_type="application/json",
    )


# --- who sees which alliance -------------------------------------------------------------

ALLIANCE_VISIBLE_TO = {
    # a draft: its facilitators only
    Visibility.PRIVATE: {"facilitator", "admin"},
    # the safe space: members in any role, and the funder's staff
    Visibility.ALLIANCE: {"owner", "co_member", "facilitator", "funder", "admin"},
    Visibility.PLATFORM: set(VIEWERS),
    Visibility.PUBLIC: set(VIEWERS),
}
MANAGERS = {"facilitator", "admin"}


@pytest.mark.parametrize("visibility", Visibility.values)
def test_who_sees_an_alliance(api_world: SimpleNamespace, visibility: str) -> None:
    set_visibility(api_world.inner, visibility)
    expected = ALLIANCE_VISIBLE_TO[visibility]
    seen: dict[str, set[str]] = {"list": set(), "search": set(), "detail": set()}
    for who in VIEWERS:
        client = client_for(api_world.users[who])
        if "county-revenue" in {a["slug"] for a in items(client.get(f"{API}/alliances"))}:
            seen["list"].add(who)
        if items(client.get(f"{API}/alliances?q=county&theme=decentralisation")):
            seen["search"].add(who)
        response = client.get(INNER)
        if response.status_code == 200:
            seen["detail"].add(who)
        else:
            assert response.status_code == 404, who
            assert response.json() == {"detail": "No such learning alliance."}
        # Changing the stage: 404 where unseen, 403 where seen but not managed.
        moved = move(client, "county-revenue", AllianceStage.FOUNDATIONAL)
        if who in MANAGERS:
            assert moved.status_code == 200, (who, moved.content)
            api_world.inner.stage = AllianceStage.PRE_ASSESSMENT
            api_world.inner.save(update_fields=["stage"])
        else:
            assert moved.status_code == (403 if who in expected else 404), who
    assert seen == dict.fromkeys(seen, expected)
    assert StageChange.objects.filter(alliance=api_world.inner).count() == 1 + len(MANAGERS)
    assert client_for(None).get(INNER).status_code == 401


def test_an_other_funder_is_outside(api_world: SimpleNamespace) -> None:
    # The funder rule depends on the organisation funding this alliance, not on the role.
    assert client_for(api_world.funder).get(INNER).status_code == 200
    assert client_for(api_world.other_funder).get(INNER).status_code == 404
    api_world.inner.funders.set([api_world.other_donor])
    assert client_for(api_world.funder).get(INNER).status_code == 404
    assert client_for(api_world.other_funder).get(INNER).status_code == 200


# --- inside one alliance -----------------------------------------------------------------


def test_detail_for_a_member(api_world: SimpleNamespace) -> None:
    body = client_for(api_world.co_member.user).get(INNER).json()
    assert (body["slug"], body["name"], body["visibility"]) == (
        "county-revenue",
        "County Revenue Alliance",
        "alliance",
    )
    assert body["theme"]["slug"] == "decentralisation"
    assert (body["type"], body["stage"], body["stage_label"]) == ("II", 0, "Pre-assessment")
    assert body["working_languages"] == ["en"]
    assert [f["name"] for f in body["funders"]] == ["Peer Learning Fund"]
    assert [o["organisation"]["name"] for o in body["organisations"]] == [
        "Kisumu County",
        "Nakuru County",
    ]
    assert [p["title"] for p in body["priorities"]] == ["Automation of revenue collection"]
    members = {m["name"]: m for m in body["members"]}
    assert set(members) == {"Facilitator", "Wanjiru Owner", "Otieno Member"}
    assert members["Wanjiru Owner"]["peer_id"] == api_world.owner.id
    assert members["Wanjiru Owner"]["role"] == "peer"
    assert members["Facilitator"]["peer_id"] is None
    assert members["Facilitator"]["role"] == "facilitator"
    assert body["hidden_member_count"] == 0
    assert (body["member_count"], body["organisation_count"]) == (3, 2)
    assert body["stage_history"] == [
        {
            "from_stage": None,
            "to_stage": 0,
            "to_stage_label": "Pre-assessment",
            "changed_at": body["stage_history"][0]["changed_at"],
            "changed_by": "Facilitator",
            "note": "Pre-assessment agreed with the county treasuries.",
        }
    ]
    assert body["you"] == {"inside": True, "can_manage": False}


def test_outsiders_see_no_safe_space_content(api_world: SimpleNamespace) -> None:
    set_visibility(api_world.inner, Visibility.PLATFORM)
    set_visibility(api_world.owner, Visibility.ALLIANCE)
    set_visibility(api_world.co_member, Visibility.PRIVATE)
    AllianceMembershipFactory(
        alliance=api_world.inner, user=UserFactory(name="Observer Person"), role=MemberRole.OBSERVER
    )
    ChallengeFactory(
        peer=api_world.outsider,  # raised by someone whose profile all can see
        title="Open pre-assessment gap",
        visibility=Visibility.PLATFORM,
        alliance=api_world.inner,
    )
    ChallengeFactory(
        peer=api_world.outsider,
        title="Political interference in collection",
        visibility=Visibility.ALLIANCE,
        alliance=api_world.inner,
    )

    outside = client_for(api_world.other_authoriser).get(INNER).json()
    assert [m["name"] for m in outside["members"]] == ["Facilitator"]
    assert outside["hidden_member_count"] == 3
    assert outside["member_count"] == 4
    assert outside["stage_history"][0]["note"] is None
    assert outside["stage_history"][0]["changed_by"] == "Facilitator"
    assert [c["title"] for c in outside["challenges"]] == ["Open pre-assessment gap"]
    assert outside["you"] == {"inside": False, "can_manage": False}
    text = str(outside)
    for secret in ("Wanjiru", "Otieno", "Observer", "Political interference", "treasuries"):
        assert secret not in text, secret

    inside = client_for(api_world.owner.user).get(INNER).json()
    # Inside, co-members' alliance-level profiles and the observer appear; private ones never.
    assert {m["name"] for m in inside["members"]} == {
        "Facilitator",
        "Wanjiru Owner",
        "Observer Person",
    }
    assert inside["hidden_member_count"] == 1
    assert inside["stage_history"][0]["note"].startswith("Pre-assessment agreed")
    assert {c["title"] for c in inside["challenges"]} == {
        "Open pre-assessment gap",
        "Political interference in collection",
    }


def test_admin_and_facilitator_see_everyone(api_world: SimpleNamespace) -> None:
    set_visibility(api_world.co_member, Visibility.ALLIANCE)
    for user in (api_world.facilitator, api_world.admin):
        body = client_for(user).get(INNER).json()
        assert body["hidden_member_count"] == 0
        assert body["you"]["can_manage"] is True


def test_linked_initiative_only_when_visible(api_world: SimpleNamespace) -> None:
    initiative = InitiativeFactory(name="Draft registry entry", visibility=Visibility.PRIVATE)
    api_world.inner.initiative = initiative
    api_world.inner.save(update_fields=["initiative"])
    assert client_for(api_world.co_member.user).get(INNER).json()["initiative"] is None
    assert client_for(api_world.facilitator).get(INNER).json()["initiative"] == {
        "slug": initiative.slug,
        "name": "Draft registry entry",
    }
    set_visibility(initiative, Visibility.PLATFORM)
    assert client_for(api_world.co_member.user).get(INNER).json()["initiative"] is not None


def test_unknown_alliance_is_404(api_world: SimpleNamespace) -> None:
    response = client_for(api_world.admin).get(f"{API}/alliances/no-such-alliance")
    assert response.status_code == 404


# --- lists -------------------------------------------------------------------------------


def test_list_filters(api_world: SimpleNamespace) -> None:
    LearningAllianceFactory(
        name="Climate Finance Readiness",
        slug="climate",
        theme=theme("climate-finance"),
        stage=AllianceStage.SUSTAINED_CONTACT,
    )
    LearningAllianceFactory(
        name="Parliamentary Research Pairing",
        slug="parliaments",
        theme=theme("parliaments-evidence"),
        type=PartnershipType.TYPE_I,
    )
    client = client_for(api_world.owner.user)

    def slugs(query: str) -> set[str]:
        return {a["slug"] for a in items(client.get(f"{API}/alliances?{query}"))}

    assert slugs("") == {"county-revenue", "climate", "parliaments"}
    assert slugs("theme=climate-finance") == {"climate"}
    assert slugs("stage=2") == {"climate"}
    assert slugs("stage=0") == {"county-revenue", "parliaments"}
    assert slugs("type=I") == {"parliaments"}
    assert slugs("mine=true") == {"county-revenue"}
    assert slugs("q=research") == {"parliaments"}
    row = next(a for a in items(client.get(f"{API}/alliances")) if a["slug"] == "county-revenue")
    assert (row["member_count"], row["organisation_count"]) == (3, 2)
    assert "members" not in row and "stage_history" not in row


@pytest.mark.parametrize(
    ("query", "field"),
    [("theme=nope", "theme"), ("stage=5", "stage"), ("stage=-1", "stage"), ("type=III", "type")],
)
def test_list_rejects_bad_filters(api_world: SimpleNamespace, query: str, field: str) -> None:
    response = client_for(api_world.owner.user).get(f"{API}/alliances?{query}")
    assert ("query", field) in field_errors(response)


def test_list_does_not_query_per_alliance(
    api_world: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    for _ in range(25):
        alliance = LearningAllianceFactory(
            working_languages=["en", "fr"], funders=[OrganisationFactory(), OrganisationFactory()]
        )
        AllianceMembershipFactory.create_batch(2, alliance=alliance)
    client = client_for(api_world.owner.user)
    # count, page, working languages, funders
    with django_assert_max_num_queries(REQUEST_QUERIES + 4):
        assert len(items(client.get(f"{API}/alliances?limit=100"))) == 26


def test_detail_does_not_query_per_member(
    api_world: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    for _ in range(20):
        peer = PeerProfileFactory()
        AllianceMembershipFactory(alliance=api_world.inner, user=peer.user, role=MemberRole.PEER)
        AllianceOrganisationFactory(alliance=api_world.inner, organisation=peer.user.organisation)
        AlliancePriorityFactory(alliance=api_world.inner)
        ChallengeFactory(peer=peer, alliance=api_world.inner, visibility=Visibility.ALLIANCE)
    client = client_for(api_world.co_member.user)
    with django_assert_max_num_queries(REQUEST_QUERIES + 16):
        body = client.get(INNER).json()
    assert len(body["members"]) == 23 and len(body["challenges"]) == 20
    assert len(body["organisations"]) == 22 and len(body["priorities"]) == 21


# --- moving through the stages -----------------------------------------------------------


def test_a_facilitator_moves_the_alliance_on(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.facilitator)
    response = move(client, "county-revenue", 1, "  Peer groups formed at the Naivasha workshop.")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["stage"], body["stage_label"]) == (1, "Foundational peer group engagement")
    latest = body["stage_history"][0]
    assert (latest["from_stage"], latest["to_stage"], latest["changed_by"]) == (0, 1, "Facilitator")
    assert latest["note"] == "Peer groups formed at the Naivasha workshop."
    api_world.inner.refresh_from_db()
    assert api_world.inner.stage == 1
    # and back again: stages may be revisited
    assert move(client, "county-revenue", 0, "Needs reassessed.").json()["stage"] == 0


def test_a_facilitator_may_use_a_bearer_key(api_world: SimpleNamespace) -> None:
    response = move(bearer_client(api_world.facilitator), "county-revenue", 1)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("payload", "field", "hint"),
    [
        ({"stage": 2, "note": "Ready."}, "stage", "Move forward one stage at a time"),
        ({"stage": 0, "note": "Ready."}, "stage", "already at this stage"),
        ({"stage": 1, "note": " "}, "note", "Say why the alliance moves now"),
        ({"stage": 9}, "stage", "Input should be 0, 1, 2, 3 or 4"),
        ({"stage": "foundational"}, "stage", "Input should be"),
        ({}, "stage", "Field required"),
        ({"stage": 1, "note": "x" * 2001}, "note", "at most 2000"),
    ],
)
def test_stage_errors_name_the_field(
    api_world: SimpleNamespace, payload: dict[str, Any], field: str, hint: str
) -> None:
    response = client_for(api_world.facilitator).post(
        f"{INNER}/stage", payload, content_type="application/json"
    )
    errors = field_errors(response)
    assert hint in errors[("body", field)]
    api_world.inner.refresh_from_db()
    assert api_world.inner.stage == 0
    assert StageChange.objects.filter(alliance=api_world.inner).count() == 1


def test_members_who_are_not_facilitators_may_not_move_it(api_world: SimpleNamespace) -> None:
    response = move(client_for(api_world.co_member.user), "county-revenue", 1)
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the alliance's facilitators may do this."}
    # a facilitator by role is not a facilitator of every alliance
    set_visibility(api_world.inner, Visibility.PUBLIC)
    assert move(client_for(api_world.other_facilitator), "county-revenue", 1).status_code == 403
    other = UserFactory(role=Role.FACILITATOR)
    assert move(client_for(other), "county-revenue", 1).status_code == 403
    api_world.inner.refresh_from_db()
    assert api_world.inner.stage == 0
