"""Alliance pages: the list, one alliance, and moving through the Learning Guide's stages."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.alliances.models import AllianceStage, StageChange
from peerlearn.alliances.services import alliance_create

pytestmark = pytest.mark.django_db


def client_for(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_list_shows_only_visible_alliances(world: SimpleNamespace) -> None:
    names = {
        a.name for a in client_for().get(reverse("alliances:list")).context["page"].object_list
    }
    assert names == {"Open Alliance"}
    names = {
        a.name
        for a in client_for(world.member_alliance.user)
        .get(reverse("alliances:list"))
        .context["page"]
        .object_list
    }
    assert names == {"Open Alliance", "Platform Alliance", "County Revenue Alliance"}


def test_list_filters_mine(world: SimpleNamespace) -> None:
    response = client_for(world.member_alliance.user).get(reverse("alliances:list"), {"mine": "on"})
    assert [a.name for a in response.context["page"].object_list] == ["County Revenue Alliance"]


def test_list_query_count_does_not_grow(
    world: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.admin)
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("alliances:list"))
    for i in range(20):
        alliance_create(
            name=f"Alliance {i}",
            theme="procurement",
            purpose="p",
            working_languages=["en", "fr"],
            created_by=world.facilitator,
            funders=[world.donor],
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("alliances:list"))
    assert response.context["page"].paginator.count == 24


def test_detail_members_respect_profile_visibility(world: SimpleNamespace) -> None:
    url = reverse("alliances:detail", args=[world.inner.slug])
    # The funder is inside the alliance: sees the alliance-level challenge and the members
    # whose profiles it may see; a private profile stays unnamed.
    response = client_for(world.funder).get(url)
    html = response.content.decode()
    assert "Raised in the alliance" in html
    assert "Member Alliance" in html and "Member Platform" in html
    assert "Member Private" not in html
    assert response.context["detail"].members.hidden_count == 1
    assert "And 1 member whose profile is not shared with you." in html
    # Outsiders don't find the alliance at all.
    assert client_for(world.outsider.user).get(url).status_code == 404
    assert client_for().get(url).status_code == 404


def test_detail_query_count_does_not_grow_with_members(
    world: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    from peerlearn.alliances.models import MemberRole
    from peerlearn.alliances.services import alliance_member_add
    from peerlearn.conftest import make_peer

    client = client_for(world.facilitator)
    url = reverse("alliances:detail", args=[world.inner.slug])
    # The page with its sections (members, stage history, checklist counts, the activities'
    # section, the facilitator's recent changes): a fixed number of queries.
    with django_assert_max_num_queries(40) as first:
        assert client.get(url).status_code == 200
    for i in range(10):
        peer = make_peer(f"extra_{i}", world.county_b)
        alliance_member_add(alliance=world.inner, user=peer.user, role=MemberRole.PEER)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert len(response.context["detail"].memberships) == 14


def test_facilitator_moves_the_alliance_one_stage_forward(world: SimpleNamespace) -> None:
    url = reverse("alliances:stage", args=[world.inner.slug])
    response = client_for(world.facilitator).post(
        url, {"stage": AllianceStage.FOUNDATIONAL, "note": "Workshop held.", "confirm_open": "on"}
    )
    assert response.status_code == 302
    world.inner.refresh_from_db()
    assert world.inner.stage == AllianceStage.FOUNDATIONAL
    change = StageChange.objects.filter(alliance=world.inner).first()
    assert (
        change is not None
        and change.note == "Workshop held."
        and change.changed_by == world.facilitator
    )


def test_skipping_stages_is_refused_with_the_next_stage_named(world: SimpleNamespace) -> None:
    url = reverse("alliances:stage", args=[world.inner.slug])
    response = client_for(world.facilitator).post(
        url, {"stage": AllianceStage.APPLIED_AT_SCALE, "note": "Everything is done."}
    )
    assert response.status_code == 400
    assert "Foundational peer group engagement" in response.context["form"].errors["stage"][0]
    assert "Foundational peer group engagement" in response.content.decode()  # shown, too
    world.inner.refresh_from_db()
    assert world.inner.stage == AllianceStage.PRE_ASSESSMENT


def test_a_stage_change_is_confirmed_with_a_reason_and_told_to_members(
    world: SimpleNamespace, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The page offers the next stage explicitly; the confirmation names it; a reason is
    required; members hear of it; and the previous stage is then offered to go back."""
    facilitator = client_for(world.facilitator)
    page = facilitator.get(reverse("alliances:detail", args=[world.inner.slug])).content.decode()
    url = reverse("alliances:stage", args=[world.inner.slug])
    assert f"{url}?to=1" in page and "Move on to “Foundational peer group engagement”" in page
    assert "Go back to" not in page  # nothing before pre-assessment
    confirm = facilitator.get(f"{url}?to=1")
    assert confirm.status_code == 200
    assert "Move on to “Foundational peer group engagement”?" in confirm.content.decode()
    # The reason is needed, and its label does not call it optional.
    assert "Why now" in confirm.content.decode()
    assert "(optional)" not in confirm.content.decode()
    # No reason, no move: the error names the field and the fix.
    refused = facilitator.post(url, {"stage": 1, "note": "  "})
    assert refused.status_code == 400
    assert "Say why the alliance moves now" in refused.context["form"].errors["note"][0]
    world.inner.refresh_from_db()
    assert world.inner.stage == AllianceStage.PRE_ASSESSMENT
    with django_capture_on_commit_callbacks(execute=True):
        moved = facilitator.post(
            url, {"stage": 1, "note": "The convening workshop was held.", "confirm_open": "on"}
        )
    assert moved.status_code == 302
    world.inner.refresh_from_db()
    assert world.inner.stage == AllianceStage.FOUNDATIONAL
    members = {m.user.email for m in world.inner.memberships.select_related("user")}
    told = {address for m in mailoutbox for address in m.to}
    assert told == members - {world.facilitator.email}
    assert all("The convening workshop was held." in m.body for m in mailoutbox)
    page = facilitator.get(reverse("alliances:detail", args=[world.inner.slug])).content.decode()
    assert "Go back to “Pre-assessment”" in page
    assert "The convening workshop was held." in page  # on the timeline


def test_a_move_that_cannot_be_made_is_refused_before_the_reason_is_asked(
    world: SimpleNamespace,
) -> None:
    url = reverse("alliances:stage", args=[world.inner.slug])
    detail = reverse("alliances:detail", args=[world.inner.slug])
    facilitator = client_for(world.facilitator)
    same = facilitator.get(f"{url}?to=0", follow=True)
    assert same.redirect_chain[-1][0] == detail
    assert "The alliance is already at this stage." in same.content.decode()
    skip = facilitator.get(f"{url}?to=4", follow=True)
    assert skip.redirect_chain[-1][0] == detail
    assert "next is “Foundational peer group engagement”" in skip.content.decode()
    # Posted anyway, the refusal is said once.
    posted = facilitator.post(url, {"stage": 0, "note": "Again."}).content.decode()
    assert posted.count("The alliance is already at this stage.") == 1


def test_members_cannot_change_the_stage(world: SimpleNamespace) -> None:
    url = reverse("alliances:stage", args=[world.inner.slug])
    assert client_for(world.member_alliance.user).post(url, {"stage": 1}).status_code == 403
    assert client_for(world.outsider.user).post(url, {"stage": 1}).status_code == 404


def _page(user: Any, alliance: Any) -> str:
    response = client_for(user).get(reverse("alliances:detail", args=[alliance.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _api(user: Any, alliance: Any) -> dict[str, Any]:
    response = client_for(user).get(f"/api/v1/alliances/{alliance.slug}")
    assert response.status_code == 200
    return response.json()


def test_a_draft_initiative_is_not_named_on_the_alliance_page(world: SimpleNamespace) -> None:
    """The page and its endpoint show the linked initiative only where the viewer may see
    it: a draft (private) initiative stays hidden from a peer, shown to a facilitator."""
    from peerlearn.access.visibility import Visibility
    from peerlearn.initiatives.services import initiative_create

    draft = initiative_create(
        name="Unpublished exchange",
        type="II",
        summary="Not yet published.",
        themes=["decentralisation"],
        implementers=[world.ngo],
        visibility=Visibility.PRIVATE,
    )
    world.public_alliance.initiative = draft
    world.public_alliance.save()
    for viewer in (None, world.outsider.user):
        assert "Unpublished exchange" not in _page(viewer, world.public_alliance)
    assert _api(world.outsider.user, world.public_alliance)["initiative"] is None
    assert "Unpublished exchange" in _page(world.facilitator, world.public_alliance)
    assert _api(world.facilitator, world.public_alliance)["initiative"]["name"] == (
        "Unpublished exchange"
    )


def test_stage_notes_stay_inside_the_safe_space_on_page_and_api(world: SimpleNamespace) -> None:
    from peerlearn.alliances.services import alliance_stage_change

    alliance_stage_change(
        alliance=world.public_alliance,
        stage=world.public_alliance.stage + 1,
        changed_by=world.facilitator,
        note="The minister resists the reform",
    )
    outsider = world.outsider.user
    assert "minister resists" not in _page(outsider, world.public_alliance)
    history = _api(outsider, world.public_alliance)["stage_history"]
    assert history and all(c["note"] is None for c in history)
    assert "minister resists" in _page(world.facilitator, world.public_alliance)
