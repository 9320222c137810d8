"""Peers, challenges and experiences through the API: the directory and its filters, one's
own profile, writing one's own statements, and who sees what at each visibility level."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.tests.factories import UserFactory
from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.tests.factories import AllianceMembershipFactory, LearningAllianceFactory
from peerlearn.organisations.tests.factories import OrganisationFactory, country
from peerlearn.peers.models import Challenge, Experience, PeerProfile
from peerlearn.peers.tests.factories import (
    AuthorisationFactory,
    ChallengeFactory,
    ExperienceFactory,
    PeerProfileFactory,
    theme,
)
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

KINDS = {"challenges": ChallengeFactory, "experiences": ExperienceFactory}
MODELS = {"challenges": Challenge, "experiences": Experience}

PEER_FIELDS = {
    "id",
    "name",
    "position",
    "organisation",
    "country",
    "seniority",
    "seniority_label",
    "reform_stage",
    "reform_stage_label",
    "languages",
    "reform_areas",
    "authorised",
}
PRIVATE_FIELDS = {"email", "username", "gender", "visibility", "password", "authorisations"}


@pytest.fixture
def api_world(db: Any) -> SimpleNamespace:
    return build_api_world()


def json_post(client: Any, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data, content_type="application/json")


def json_patch(client: Any, path: str, data: dict[str, Any]) -> Any:
    return client.patch(path, data, content_type="application/json")


def peer_ids(client: Any, query: str = "") -> set[int]:
    return {p["id"] for p in items(client.get(f"{API}/peers?limit=300&{query}"))}


# --- the directory -----------------------------------------------------------------------


def test_directory_rows_show_no_private_fields(api_world: SimpleNamespace) -> None:
    AuthorisationFactory(peer=api_world.owner, authoriser=api_world.authoriser)
    rows = items(client_for(api_world.outsider.user).get(f"{API}/peers"))
    owner = next(row for row in rows if row["id"] == api_world.owner.id)
    assert set(owner) == PEER_FIELDS
    assert owner["name"] == "Wanjiru Owner"
    assert owner["organisation"] == {
        "id": api_world.county_a.id,
        "name": "Nakuru County",
        "acronym": "NCG",
        "type": "local_government",
        "country": "KE",
    }
    assert owner["country"] == "KE"
    assert sorted(owner["languages"]) == ["en", "sw"]
    assert owner["reform_areas"][0]["slug"] == "revenue-pfm"
    assert owner["authorised"] is True
    assert "woman" not in str(rows) and "@example.org" not in str(rows)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KE", {"owner", "co_member"}),
        ("country=ke", {"owner", "co_member"}),
        ("country=FR", {"outsider"}),
        ("region=014", {"owner", "co_member"}),  # Eastern Africa
        ("region=150", {"outsider"}),  # Europe
        ("theme=revenue-pfm", {"owner"}),
        ("stage=4", {"outsider"}),
        ("language=sw", {"owner"}),
        ("language=FR", {"outsider"}),
        ("q=nakuru", {"owner"}),
        ("q=NCG", {"owner"}),
        ("q=otieno", {"co_member"}),
        ("country=KE&language=sw&theme=revenue-pfm", {"owner"}),
        ("country=FR&language=sw", set()),
    ],
)
def test_directory_filters(api_world: SimpleNamespace, query: str, expected: set[str]) -> None:
    client = client_for(api_world.outsider.user)
    wanted = {getattr(api_world, name).id for name in expected}
    assert peer_ids(client, query) == wanted


def test_theme_filter_finds_peers_by_their_challenges_too(api_world: SimpleNamespace) -> None:
    ChallengeFactory(peer=api_world.co_member, theme=theme("procurement"))
    ExperienceFactory(peer=api_world.co_member, theme=theme("procurement"))
    client = client_for(api_world.outsider.user)
    assert peer_ids(client, "theme=procurement") == {api_world.co_member.id}
    # Once, although two of their statements match.
    assert len(items(client.get(f"{API}/peers?theme=procurement"))) == 1


@pytest.mark.parametrize(
    ("query", "field", "hint"),
    [
        ("country=ZZ", "country", "ISO 3166-1"),
        ("country=Kenya", "country", "ISO 3166-1"),
        ("language=xx", "language", "ISO 639-1"),
        ("language=english", "language", "ISO 639-1"),
        ("theme=no-such-theme", "theme", "/api/v1/themes"),
        ("region=999", "region", "M49"),
        ("stage=6", "stage", "5"),
        ("stage=0", "stage", "1"),
        ("stage=two", "stage", "integer"),
    ],
)
def test_directory_rejects_bad_filters_naming_the_parameter(
    api_world: SimpleNamespace,
    query: str,
    field: str,
    hint: str,
) -> None:
    errors = field_errors(client_for(api_world.outsider.user).get(f"{API}/peers?{query}"))
    assert list(errors) == [("query", field)]
    assert hint in errors[("query", field)]


def test_directory_pages(api_world: SimpleNamespace) -> None:
    PeerProfileFactory.create_batch(30)
    client = client_for(api_world.admin)
    first = client.get(f"{API}/peers").json()
    assert first["count"] == 33 and len(first["items"]) == 25 and first["limit"] == 25
    rest = client.get(f"{API}/peers?offset=25").json()
    assert len(rest["items"]) == 8
    assert len({p["id"] for p in first["items"] + rest["items"]}) == 33


def test_directory_does_not_query_per_peer(
    api_world: SimpleNamespace,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(30):
        peer = PeerProfileFactory(
            languages=["en", "fr"], reform_areas=["revenue-pfm", "procurement"]
        )
        AuthorisationFactory(peer=peer)
    client = client_for(api_world.outsider.user)
    # count, page, and one prefetch each for languages, reform areas and authorisations
    with django_assert_max_num_queries(REQUEST_QUERIES + 5):
        rows = items(client.get(f"{API}/peers?limit=100"))
    assert len(rows) == 33
    with django_assert_max_num_queries(REQUEST_QUERIES + 6):  # and the theme's validation
        assert len(items(client.get(f"{API}/peers?limit=100&theme=revenue-pfm&language=en"))) == 31


# --- one peer ----------------------------------------------------------------------------


def test_peer_detail_shows_the_statements_the_viewer_may_see(api_world: SimpleNamespace) -> None:
    owner = api_world.owner
    ChallengeFactory(peer=owner, title="Open challenge", visibility=Visibility.PLATFORM)
    ChallengeFactory(peer=owner, title="Safe-space challenge", visibility=Visibility.ALLIANCE)
    ChallengeFactory(peer=owner, title="Private challenge", visibility=Visibility.PRIVATE)
    ExperienceFactory(peer=owner, title="Open experience", visibility=Visibility.PUBLIC)

    def titles(who: Any) -> tuple[set[str], set[str]]:
        body = client_for(who).get(f"{API}/peers/{owner.id}").json()
        return {c["title"] for c in body["challenges"]}, {e["title"] for e in body["experiences"]}

    assert titles(api_world.outsider.user) == ({"Open challenge"}, {"Open experience"})
    assert titles(api_world.co_member.user) == (
        {"Open challenge", "Safe-space challenge"},
        {"Open experience"},
    )
    assert titles(owner.user)[0] == {"Open challenge", "Safe-space challenge", "Private challenge"}

    body = client_for(api_world.outsider.user).get(f"{API}/peers/{owner.id}").json()
    assert set(body) == PEER_FIELDS | {"bio", "challenges", "experiences"}
    assert not PRIVATE_FIELDS & set(body)


def test_unknown_peer_is_404(api_world: SimpleNamespace) -> None:
    response = client_for(api_world.outsider.user).get(f"{API}/peers/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such peer."}


PEER_VISIBLE_TO = {
    Visibility.PRIVATE: {"owner", "admin"},
    # the safe space: co-members, the facilitator, the funder; and the home organisation
    Visibility.ALLIANCE: {"owner", "co_member", "facilitator", "funder", "authoriser", "admin"},
    Visibility.PLATFORM: set(VIEWERS),
    Visibility.PUBLIC: set(VIEWERS),
}


@pytest.mark.parametrize("visibility", Visibility.values)
def test_who_sees_a_peer_profile(api_world: SimpleNamespace, visibility: str) -> None:
    owner = api_world.owner
    owner.visibility = visibility
    owner.save(update_fields=["visibility"])
    seen: dict[str, set[str]] = {"list": set(), "search": set(), "detail": set()}
    for who in VIEWERS:
        client = client_for(api_world.users[who])
        if owner.id in peer_ids(client):
            seen["list"].add(who)
        if owner.id in peer_ids(client, "q=Wanjiru&country=KE&language=sw"):
            seen["search"].add(who)
        response = client.get(f"{API}/peers/{owner.id}")
        if response.status_code == 200:
            seen["detail"].add(who)
        else:
            # the same answer as for a peer who does not exist
            assert response.status_code == 404 and response.json() == {"detail": "No such peer."}
    assert seen == dict.fromkeys(seen, PEER_VISIBLE_TO[visibility])
    assert client_for(None).get(f"{API}/peers/{owner.id}").status_code == 401


def test_an_other_authoriser_does_not_see_alliance_profiles(api_world: SimpleNamespace) -> None:
    # Checked apart because the authoriser rule depends on the organisation, not the role.
    api_world.co_member.visibility = Visibility.ALLIANCE
    api_world.co_member.save(update_fields=["visibility"])
    for who in ("authoriser", "other_authoriser"):
        response = client_for(api_world.users[who]).get(f"{API}/peers/{api_world.co_member.id}")
        assert response.status_code == 404, who


def test_deactivated_peers_disappear(api_world: SimpleNamespace) -> None:
    api_world.owner.user.is_active = False
    api_world.owner.user.save(update_fields=["is_active"])
    client = client_for(api_world.admin)
    assert api_world.owner.id not in peer_ids(client)
    assert client.get(f"{API}/peers/{api_world.owner.id}").status_code == 404


def test_bearer_and_session_see_the_same_directory(api_world: SimpleNamespace) -> None:
    api_world.owner.visibility = Visibility.ALLIANCE
    api_world.owner.save(update_fields=["visibility"])
    for who in ("co_member", "outsider"):
        user = api_world.users[who]
        assert peer_ids(bearer_client(user)) == peer_ids(client_for(user)), who


# --- /peers/me ---------------------------------------------------------------------------


def test_my_profile_shows_what_only_i_see(api_world: SimpleNamespace) -> None:
    AuthorisationFactory(peer=api_world.owner, authoriser=api_world.authoriser)
    ChallengeFactory(peer=api_world.owner, title="Only mine", visibility=Visibility.PRIVATE)
    body = client_for(api_world.owner.user).get(f"{API}/peers/me").json()
    assert body["id"] == api_world.owner.id
    assert body["gender"] == "woman"
    assert body["email"] == "owner@example.org" and body["username"] == "owner"
    assert body["visibility"] == "platform"
    assert [(a["status"], a["authoriser"]) for a in body["authorisations"]] == [
        ("granted", "Authoriser")
    ]
    assert [c["title"] for c in body["challenges"]] == ["Only mine"]
    assert "password" not in body


@pytest.mark.parametrize("who", ["facilitator", "funder", "authoriser", "admin"])
def test_my_profile_is_404_without_one(api_world: SimpleNamespace, who: str) -> None:
    response = client_for(api_world.users[who]).get(f"{API}/peers/me")
    assert response.status_code == 404
    assert "no peer profile" in response.json()["detail"]


def test_update_my_profile(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.owner.user)
    response = json_patch(
        client,
        f"{API}/peers/me",
        {
            "name": "Wanjiru Kamau",
            "organisation": api_world.county_b.id,
            "position": "Chief officer, revenue",
            "seniority": 4,
            "reform_stage": 3,
            "gender": "",
            "bio": "Twelve years in county revenue.",
            "visibility": "alliance",
            "languages": ["FR", "en"],
            "reform_areas": ["decentralisation", "digital-government"],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "Wanjiru Kamau" and body["organisation"]["id"] == api_world.county_b.id
    assert (body["seniority"], body["reform_stage"], body["gender"]) == (4, 3, "")
    assert body["visibility"] == "alliance"
    assert sorted(body["languages"]) == ["en", "fr"]
    assert {t["slug"] for t in body["reform_areas"]} == {"decentralisation", "digital-government"}

    peer = PeerProfile.objects.select_related("user").get(id=api_world.owner.id)
    assert peer.user.name == "Wanjiru Kamau" and peer.user.organisation_id == api_world.county_b.id
    assert (peer.seniority, peer.reform_stage, peer.visibility) == (4, 3, "alliance")
    assert set(peer.languages.values_list("code", flat=True)) == {"en", "fr"}


def test_partial_update_leaves_the_rest(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.owner.user)
    body = json_patch(client, f"{API}/peers/me", {"seniority": 5}).json()
    assert body["seniority"] == 5
    assert body["position"] == "Director of revenue" and body["gender"] == "woman"
    assert sorted(body["languages"]) == ["en", "sw"]


@pytest.mark.parametrize(
    ("payload", "field", "hint"),
    [
        ({"seniority": 6}, "seniority", "less than or equal to 5"),
        ({"seniority": 0}, "seniority", "greater than or equal to 1"),
        ({"reform_stage": 9}, "reform_stage", "less than or equal to 5"),
        ({"visibility": "secret"}, "visibility", "'private', 'alliance', 'platform' or 'public'"),
        ({"languages": ["xx"]}, "languages", "ISO 639-1"),
        ({"languages": ["english"]}, "languages", "ISO 639-1"),
        ({"languages": []}, "languages", "at least 1"),
        ({"languages": "en"}, "languages", "list"),
        ({"reform_areas": ["no-such-theme"]}, "reform_areas", "/api/v1/themes"),
        ({"organisation": 999999}, "organisation", "/api/v1/organisations"),
        ({"position": ""}, "position", "at least 1"),
        ({"position": "   "}, "position", "blank"),
        ({"gender": "x" * 51}, "gender", "at most 50"),
        ({"favourite_colour": "blue"}, "favourite_colour", "not permitted"),
    ],
)
def test_profile_update_errors_name_the_field(
    api_world: SimpleNamespace,
    payload: dict[str, Any],
    field: str,
    hint: str,
) -> None:
    client = client_for(api_world.owner.user)
    errors = field_errors(json_patch(client, f"{API}/peers/me", payload))
    assert ("body", field) in errors, errors
    assert hint in errors[("body", field)]


def test_a_failed_update_changes_nothing(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.owner.user)
    before = client.get(f"{API}/peers/me").json()
    response = json_patch(
        client,
        f"{API}/peers/me",
        {"name": "Changed", "position": "Changed", "reform_areas": ["procurement", "nope"]},
    )
    errors = field_errors(response)
    assert list(errors) == [("body", "reform_areas")]
    assert client.get(f"{API}/peers/me").json() == before


def test_several_field_errors_come_back_together(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.owner.user)
    errors = field_errors(
        json_patch(
            client, f"{API}/peers/me", {"seniority": 7, "reform_stage": 0, "visibility": "x"}
        )
    )
    assert set(errors) == {("body", "seniority"), ("body", "reform_stage"), ("body", "visibility")}


def test_malformed_json_is_rejected(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.owner.user)
    response = client.patch(f"{API}/peers/me", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert PeerProfile.objects.get(id=api_world.owner.id).position == "Director of revenue"


# --- challenges and experiences: writing -------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_create_get_update_delete_my_own(api_world: SimpleNamespace, kind: str) -> None:
    client = client_for(api_world.owner.user)
    created = json_post(
        client,
        f"{API}/{kind}",
        {
            "theme": "revenue-pfm",
            "title": "  Cash collection at bus parks  ",
            "description": "Seasonal tickets raised revenue.",
            "visibility": "alliance",
            "alliance": "county-revenue",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["title"] == "Cash collection at bus parks"
    assert body["theme"] == {
        "slug": "revenue-pfm",
        "name": "Revenue and public financial management",
    }
    assert body["alliance"] == {"slug": "county-revenue", "name": "County Revenue Alliance"}
    assert body["peer"]["id"] == api_world.owner.id and body["visibility"] == "alliance"
    statement_id = body["id"]
    stored = MODELS[kind].objects.get(id=statement_id)
    assert stored.peer_id == api_world.owner.id and stored.alliance_id == api_world.inner.id

    assert client.get(f"{API}/{kind}/{statement_id}").json() == body

    updated = json_patch(
        client,
        f"{API}/{kind}/{statement_id}",
        {"title": "Bus park tickets", "visibility": "public", "alliance": None},
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["title"] == "Bus park tickets"
    assert updated.json()["alliance"] is None and updated.json()["visibility"] == "public"
    assert updated.json()["description"] == "Seasonal tickets raised revenue."

    assert client.delete(f"{API}/{kind}/{statement_id}").status_code == 204
    assert not MODELS[kind].objects.filter(id=statement_id).exists()
    assert client.get(f"{API}/{kind}/{statement_id}").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_visibility_defaults_to_platform(api_world: SimpleNamespace, kind: str) -> None:
    body = json_post(
        client_for(api_world.owner.user),
        f"{API}/{kind}",
        {"theme": "procurement", "title": "E-procurement", "description": "Going paperless."},
    ).json()
    assert body["visibility"] == "platform" and body["alliance"] is None


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who", ["facilitator", "funder", "authoriser", "admin"])
def test_only_peers_can_add(api_world: SimpleNamespace, kind: str, who: str) -> None:
    response = json_post(
        client_for(api_world.users[who]),
        f"{API}/{kind}",
        {"theme": "procurement", "title": "E-procurement", "description": "Going paperless."},
    )
    assert response.status_code == 403
    assert "peer profile" in response.json()["detail"]
    assert not MODELS[kind].objects.exists()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("change", "field", "hint"),
    [
        ({"theme": "no-such-theme"}, "theme", "/api/v1/themes"),
        ({"theme": ""}, "theme", "at least 1"),
        ({"visibility": "everyone"}, "visibility", "'private', 'alliance', 'platform' or 'public'"),
        ({"title": ""}, "title", "at least 1"),
        ({"title": "   "}, "title", "blank"),
        ({"title": "x" * 201}, "title", "at most 200"),
        ({"description": None}, "description", "string"),
        ({"alliance": "no-such-alliance"}, "alliance", "belong to"),
        ({"alliance": "open-alliance"}, "alliance", "belong to"),
        ({"peer": 1}, "peer", "not permitted"),
    ],
)
def test_statement_errors_name_the_field(
    api_world: SimpleNamespace,
    kind: str,
    change: dict[str, Any],
    field: str,
    hint: str,
) -> None:
    LearningAllianceFactory(
        name="Open Alliance", slug="open-alliance", visibility=Visibility.PUBLIC
    )
    payload = {"theme": "revenue-pfm", "title": "Arrears", "description": "Old arrears pile up."}
    errors = field_errors(
        json_post(client_for(api_world.owner.user), f"{API}/{kind}", {**payload, **change})
    )
    assert ("body", field) in errors, errors
    assert hint in errors[("body", field)]
    assert not MODELS[kind].objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_failed_statement_update_changes_nothing(api_world: SimpleNamespace, kind: str) -> None:
    statement = KINDS[kind](peer=api_world.owner, title="Before", visibility=Visibility.PUBLIC)
    errors = field_errors(
        json_patch(
            client_for(api_world.owner.user),
            f"{API}/{kind}/{statement.id}",
            {"title": "After", "visibility": "alliance", "theme": "nope"},
        )
    )
    assert list(errors) == [("body", "theme")]
    statement.refresh_from_db()
    assert (statement.title, statement.visibility) == ("Before", Visibility.PUBLIC)


@pytest.mark.parametrize("kind", KINDS)
def test_others_may_not_change_or_delete(api_world: SimpleNamespace, kind: str) -> None:
    visible = KINDS[kind](peer=api_world.owner, title="Visible", visibility=Visibility.PLATFORM)
    hidden = KINDS[kind](peer=api_world.owner, title="Hidden", visibility=Visibility.PRIVATE)
    other = client_for(api_world.outsider.user)
    for method in (other.delete, lambda path: json_patch(other, path, {"title": "Mine now"})):
        forbidden = method(f"{API}/{kind}/{visible.id}")
        assert forbidden.status_code == 403
        assert forbidden.json() == {"detail": "Only its author may change this."}
        assert method(f"{API}/{kind}/{hidden.id}").status_code == 404
        assert method(f"{API}/{kind}/999999").status_code == 404
    assert set(MODELS[kind].objects.values_list("title", flat=True)) == {"Visible", "Hidden"}


@pytest.mark.parametrize("kind", KINDS)
def test_administrators_may_change_anything(api_world: SimpleNamespace, kind: str) -> None:
    hidden = KINDS[kind](peer=api_world.owner, title="Hidden", visibility=Visibility.PRIVATE)
    admin = client_for(api_world.admin)
    response = json_patch(admin, f"{API}/{kind}/{hidden.id}", {"title": "Moderated"})
    assert response.status_code == 200 and response.json()["title"] == "Moderated"
    assert admin.delete(f"{API}/{kind}/{hidden.id}").status_code == 204


# --- challenges and experiences: who sees what -------------------------------------------

STATEMENT_VISIBLE_TO = {
    Visibility.PRIVATE: {"owner", "admin"},
    # the safe space; the home organisation's authoriser is not inside it
    Visibility.ALLIANCE: {"owner", "co_member", "facilitator", "funder", "admin"},
    Visibility.PLATFORM: set(VIEWERS),
    Visibility.PUBLIC: set(VIEWERS),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("visibility", Visibility.values)
@pytest.mark.parametrize("raised_in_alliance", [False, True], ids=["own", "in-alliance"])
def test_who_sees_a_statement(
    api_world: SimpleNamespace,
    kind: str,
    visibility: str,
    raised_in_alliance: bool,
) -> None:
    statement = KINDS[kind](
        peer=api_world.owner,
        title="The secret sauce",
        visibility=visibility,
        alliance=api_world.inner if raised_in_alliance else None,
    )
    expected = STATEMENT_VISIBLE_TO[visibility]
    seen: dict[str, set[str]] = {"list": set(), "detail": set(), "profile": set(), "search": set()}
    for who in VIEWERS:
        client = client_for(api_world.users[who])
        if statement.id in {s["id"] for s in items(client.get(f"{API}/{kind}?limit=300"))}:
            seen["list"].add(who)
        if items(client.get(f"{API}/{kind}?q=secret")):
            seen["search"].add(who)
        response = client.get(f"{API}/{kind}/{statement.id}")
        if response.status_code == 200:
            seen["detail"].add(who)
        else:
            assert response.status_code == 404 and response.json() == {"detail": "No such item."}
        profile = client.get(f"{API}/peers/{api_world.owner.id}").json()
        if statement.id in {s["id"] for s in profile[kind]}:
            seen["profile"].add(who)
        patched = json_patch(client, f"{API}/{kind}/{statement.id}", {})
        can_edit = who in ("owner", "admin")
        assert patched.status_code == (200 if can_edit else 403 if who in expected else 404), who
    assert seen == dict.fromkeys(seen, expected)
    assert client_for(None).get(f"{API}/{kind}/{statement.id}").status_code == 401


@pytest.mark.parametrize("kind", KINDS)
def test_a_statement_is_never_wider_than_its_authors_profile(
    api_world: SimpleNamespace,
    kind: str,
) -> None:
    api_world.owner.visibility = Visibility.ALLIANCE
    api_world.owner.save(update_fields=["visibility"])
    statement = KINDS[kind](peer=api_world.owner, visibility=Visibility.PUBLIC)
    seen = {
        who
        for who in VIEWERS
        if client_for(api_world.users[who]).get(f"{API}/{kind}/{statement.id}").status_code == 200
    }
    assert seen == PEER_VISIBLE_TO[Visibility.ALLIANCE]


@pytest.mark.parametrize("kind", KINDS)
def test_an_open_statement_does_not_name_a_closed_alliance(
    api_world: SimpleNamespace,
    kind: str,
) -> None:
    api_world.inner.visibility = Visibility.PRIVATE  # facilitators and admins only
    api_world.inner.save(update_fields=["visibility"])
    statement = KINDS[kind](
        peer=api_world.owner, visibility=Visibility.PLATFORM, alliance=api_world.inner
    )
    for who in VIEWERS:
        client = client_for(api_world.users[who])
        shown = client.get(f"{API}/{kind}/{statement.id}").json()["alliance"]
        listed = items(client.get(f"{API}/{kind}"))[0]["alliance"]
        profile = client.get(f"{API}/peers/{api_world.owner.id}").json()[kind][0]["alliance"]
        if who in ("facilitator", "admin"):
            assert (
                shown
                == listed
                == profile
                == {"slug": "county-revenue", "name": "County Revenue Alliance"}
            ), who
        else:
            assert shown is None and listed is None and profile is None, who
            # nor can the hidden alliance be probed through the filter
            assert items(client.get(f"{API}/{kind}?alliance=county-revenue")) == [], who


# --- challenges and experiences: lists ---------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_statement_filters(api_world: SimpleNamespace, kind: str) -> None:
    factory = KINDS[kind]
    mine = factory(
        peer=api_world.owner,
        title="Bus park tickets",
        theme=theme("revenue-pfm"),
        alliance=api_world.inner,
    )
    french = factory(peer=api_world.outsider, title="Marchés publics", theme=theme("procurement"))
    other = factory(
        peer=api_world.co_member,
        title="Property rates",
        description="Valuation roll.",
        theme=theme("decentralisation"),
    )
    client = client_for(api_world.owner.user)

    def ids(query: str) -> set[int]:
        return {s["id"] for s in items(client.get(f"{API}/{kind}?{query}"))}

    assert ids("") == {mine.id, french.id, other.id}
    assert ids("theme=procurement") == {french.id}
    assert ids("country=FR") == {french.id}
    assert ids("country=KE") == {mine.id, other.id}
    assert ids("alliance=county-revenue") == {mine.id}
    assert ids(f"peer={api_world.co_member.id}") == {other.id}
    assert ids("mine=true") == {mine.id}
    assert ids("q=valuation") == {other.id}
    assert ids("q=bus tickets") == {mine.id}
    assert ids("alliance=no-such-alliance") == set()
    assert ("query", "theme") in field_errors(client.get(f"{API}/{kind}?theme=nope"))
    assert ("query", "country") in field_errors(client.get(f"{API}/{kind}?country=XYZ"))


@pytest.mark.parametrize("kind", KINDS)
def test_statement_lists_do_not_query_per_item(
    api_world: SimpleNamespace,
    kind: str,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(25):
        KINDS[kind](alliance=api_world.inner if n % 2 else None)
    client = client_for(api_world.admin)
    with django_assert_max_num_queries(REQUEST_QUERIES + 2):  # count and page
        assert len(items(client.get(f"{API}/{kind}?limit=100"))) == 25


def test_peer_detail_does_not_query_per_statement(
    api_world: SimpleNamespace,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(20):
        ChallengeFactory(peer=api_world.owner, alliance=api_world.inner)
        ExperienceFactory(peer=api_world.owner)
    client = client_for(api_world.co_member.user)
    with django_assert_max_num_queries(REQUEST_QUERIES + 8):
        body = client.get(f"{API}/peers/{api_world.owner.id}").json()
    assert len(body["challenges"]) == len(body["experiences"]) == 20


def test_linking_to_an_alliance_needs_membership(api_world: SimpleNamespace) -> None:
    newcomer = PeerProfileFactory(user__organisation=OrganisationFactory(country=country("UG")))
    client = client_for(newcomer.user)
    payload = {
        "theme": "revenue-pfm",
        "title": "Arrears",
        "description": "Arrears of market fees.",
        "alliance": "county-revenue",
    }
    assert ("body", "alliance") in field_errors(json_post(client, f"{API}/challenges", payload))
    AllianceMembershipFactory(alliance=api_world.inner, user=newcomer.user, role=MemberRole.PEER)
    assert json_post(client, f"{API}/challenges", payload).status_code == 201


def test_other_roles_cannot_fake_a_profile(api_world: SimpleNamespace) -> None:
    # A facilitator is no peer even when signed in by bearer key.
    client = bearer_client(UserFactory(role=Role.FACILITATOR))
    assert client.get(f"{API}/peers/me").status_code == 404


# --- home-organisation authorisations ----------------------------------------------------


def test_a_peer_asks_and_the_authoriser_decides(api_world: SimpleNamespace) -> None:
    w = api_world
    owner = client_for(w.owner.user)
    authorisers = owner.get(f"{API}/authorisations/authorisers").json()
    assert authorisers == [{"id": w.authoriser.id, "name": w.authoriser.name}]
    asked = json_post(
        owner,
        f"{API}/authorisations",
        {"authoriser": w.authoriser.id, "scope": "The County Revenue Alliance in 2027"},
    )
    assert asked.status_code == 201, asked.content
    body = asked.json()
    assert (body["status"], body["peer"]["id"], body["authoriser"]) == (
        "requested",
        w.owner.id,
        w.authoriser.name,
    )
    mine = client_for(w.authoriser)
    assert [a["id"] for a in items(mine.get(f"{API}/authorisations"))] == [body["id"]]
    decided = json_post(
        mine,
        f"{API}/authorisations/{body['id']}/decision",
        {"status": "granted", "note": "Agreed with the CECM Finance."},
    )
    assert decided.status_code == 200, decided.content
    assert (decided.json()["status"], decided.json()["note"]) == (
        "granted",
        "Agreed with the CECM Finance.",
    )
    assert decided.json()["decided_on"] is not None
    profile = owner.get(f"{API}/peers/{w.owner.id}").json()
    assert profile["authorised"] is True
    # A decision is final; only a granted authorisation can still be revoked.
    again = json_post(mine, f"{API}/authorisations/{body['id']}/decision", {"status": "declined"})
    assert ("body", "status") in field_errors(again)
    revoked = json_post(mine, f"{API}/authorisations/{body['id']}/decision", {"status": "revoked"})
    assert revoked.json()["status"] == "revoked"


@pytest.mark.parametrize("who", VIEWERS)
def test_who_sees_and_decides_an_authorisation_request(
    api_world: SimpleNamespace, who: str
) -> None:
    w = api_world
    request = AuthorisationFactory(
        peer=w.owner, authoriser=w.authoriser, status="requested", decided_on=None
    )
    client = client_for(w.users[who])
    listed = {a["id"] for a in items(client.get(f"{API}/authorisations"))}
    assert listed == ({request.id} if who in {"owner", "authoriser", "admin"} else set())
    decided = json_post(
        client, f"{API}/authorisations/{request.id}/decision", {"status": "declined"}
    )
    expected = {"authoriser": 200, "admin": 200, "owner": 403}.get(who, 404)
    assert decided.status_code == expected, decided.content
    request.refresh_from_db()
    assert request.status == ("declined" if expected == 200 else "requested")


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"scope": "x"}, ("body", "authoriser")),
        ({"authoriser": 0, "scope": "x"}, ("body", "authoriser")),
        ({"authoriser": "other_authoriser", "scope": "x"}, ("body", "authoriser")),  # not mine
        ({"authoriser": "facilitator", "scope": "x"}, ("body", "authoriser")),  # not one
        ({"authoriser": "authoriser", "scope": ""}, ("body", "scope")),
        ({"authoriser": "authoriser", "scope": "x", "urgent": True}, ("body", "urgent")),
    ],
)
def test_bad_authorisation_requests_name_the_field(
    api_world: SimpleNamespace, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    w = api_world
    if isinstance(body.get("authoriser"), str):
        body = {**body, "authoriser": w.users[body["authoriser"]].id}
    response = json_post(client_for(w.owner.user), f"{API}/authorisations", body)
    assert loc in field_errors(response)
    assert not w.owner.authorisations.exists()


@pytest.mark.parametrize("who", ["facilitator", "funder", "authoriser"])
def test_only_peers_ask_for_authorisation(api_world: SimpleNamespace, who: str) -> None:
    w = api_world
    response = json_post(
        client_for(w.users[who]),
        f"{API}/authorisations",
        {"authoriser": w.authoriser.id, "scope": "x"},
    )
    assert response.status_code == 404  # no peer profile of their own
    assert client_for(w.users[who]).get(f"{API}/authorisations/authorisers").status_code == 404
