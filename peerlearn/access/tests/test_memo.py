"""The access layer's answers remembered for one reading request: never given to another
viewer, never kept past a change they depend on, never kept past the request."""

from __future__ import annotations

import doctest
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from peerlearn.access import memo
from peerlearn.access.alliances import (
    alliances_managed_by,
    alliances_visible_to,
    can_see_alliance_inside,
)
from peerlearn.access.base import inner_alliance_ids, profile_of
from peerlearn.access.memo import request_scope
from peerlearn.access.peers import challenges_visible_to, peers_visible_to
from peerlearn.access.visibility import Visibility
from peerlearn.alliances.models import AllianceMembership, LearningAlliance, MemberRole
from peerlearn.alliances.services import alliance_member_add
from peerlearn.peers.models import Challenge
from peerlearn.peers.services import statement_create


def test_doctests() -> None:
    assert doctest.testmod(memo).failed == 0


def names(qs: Any) -> set[str]:
    return set(qs.values_list("name", flat=True))


def test_answers_are_never_given_to_another_viewer(world: SimpleNamespace) -> None:
    member, outsider = world.member_alliance.user, world.outsider.user
    with request_scope():
        assert world.inner.id in inner_alliance_ids(member)
        assert world.inner.id not in inner_alliance_ids(outsider)
        assert "County Revenue Alliance" in names(alliances_visible_to(member))
        assert "County Revenue Alliance" not in names(alliances_visible_to(outsider))
        assert "County Revenue Alliance" not in names(alliances_visible_to(AnonymousUser()))
        assert profile_of(member) == world.member_alliance
        assert profile_of(outsider) == world.outsider
        assert profile_of(world.facilitator) is None
        # Asked again, in the other order: still each viewer's own answer.
        assert profile_of(outsider) == world.outsider
        assert world.inner.id in inner_alliance_ids(member)


def test_a_change_to_the_viewer_object_is_a_new_question(world: SimpleNamespace) -> None:
    user = world.outsider.user
    with request_scope():
        assert not alliances_managed_by(user).exists()
        assert "Draft Alliance" not in names(alliances_visible_to(user))
        user.is_superuser = True  # now an administrator: every alliance
        assert "Draft Alliance" in names(alliances_visible_to(user))
        assert alliances_managed_by(user).count() == LearningAlliance.objects.count()


def test_joining_an_alliance_within_the_request_is_seen(world: SimpleNamespace) -> None:
    user = world.outsider.user
    with request_scope():
        assert not can_see_alliance_inside(user, world.inner)
        assert "Raised in the alliance" not in set(
            challenges_visible_to(user).values_list("title", flat=True)
        )
        alliance_member_add(alliance=world.inner, user=user, role=MemberRole.PEER)
        assert can_see_alliance_inside(user, world.inner)
        assert world.inner.id in inner_alliance_ids(user)
        assert "Raised in the alliance" in set(
            challenges_visible_to(user).values_list("title", flat=True)
        )
        AllianceMembership.objects.filter(alliance=world.inner, user=user).delete()
        assert not can_see_alliance_inside(user, world.inner)


def test_becoming_a_facilitator_within_the_request_is_seen(world: SimpleNamespace) -> None:
    user = world.member_platform.user
    with request_scope():
        assert not alliances_managed_by(user).exists()
        membership = AllianceMembership.objects.get(alliance=world.inner, user=user)
        membership.role = MemberRole.FACILITATOR
        membership.save()
        assert names(alliances_managed_by(user)) == {"County Revenue Alliance"}


def test_funding_an_alliance_within_the_request_is_seen(world: SimpleNamespace) -> None:
    funder = world.funder
    with request_scope():
        assert world.inner.id in inner_alliance_ids(funder)
        assert world.platform_alliance.id not in inner_alliance_ids(funder)
        world.platform_alliance.funders.add(world.donor)
        assert world.platform_alliance.id in inner_alliance_ids(funder)
        world.inner.funders.clear()
        assert world.inner.id not in inner_alliance_ids(funder)


def test_a_new_profile_within_the_request_is_found(world: SimpleNamespace) -> None:
    user = world.facilitator
    with request_scope():
        assert profile_of(user) is None
        world.outsider.user = user
        world.outsider.save()
        assert profile_of(user) == world.outsider


def test_a_remembered_queryset_is_still_read_when_evaluated(world: SimpleNamespace) -> None:
    """A statement written during the request shows in the next evaluation: only the building
    of the query is remembered, not its rows."""
    user = world.outsider.user
    with request_scope():
        before = challenges_visible_to(user)
        n = before.count()
        statement_create(
            model=Challenge,
            peer=world.outsider_public,
            theme="revenue-pfm",
            title="Written meanwhile",
            description="Late payments.",
            visibility=Visibility.PUBLIC,
        )
        assert challenges_visible_to(user).count() == n + 1
        assert before.count() == n + 1


def test_nothing_is_remembered_outside_a_request_or_after_it(
    world: SimpleNamespace, django_assert_num_queries: Any
) -> None:
    user = world.member_platform.user
    with django_assert_num_queries(2):
        profile_of(user)
        profile_of(user)
    with request_scope(), django_assert_num_queries(1):
        profile_of(user)
        profile_of(user)
    with request_scope(), django_assert_num_queries(1):
        profile_of(user)


def test_each_reading_request_reads_afresh(world: SimpleNamespace) -> None:
    """Two pages in a row: what changed between them shows on the second."""
    user = world.outsider.user
    client = Client()
    client.force_login(user)
    url = reverse("alliances:detail", args=[world.inner.slug])
    assert client.get(url).status_code == 404
    assert peers_visible_to(user).filter(id=world.member_alliance.id).count() == 0
    alliance_member_add(alliance=world.inner, user=user, role=MemberRole.PEER)
    assert client.get(url).status_code == 200
    AllianceMembership.objects.filter(alliance=world.inner, user=user).delete()
    assert client.get(url).status_code == 404


def test_writing_requests_remember_nothing(world: SimpleNamespace) -> None:
    seen: list[bool] = []

    def view(request: Any) -> Any:
        seen.append(memo._answers.get() is not None)
        from django.http import HttpResponse

        return HttpResponse("")

    middleware = memo.AccessScopeMiddleware(view)
    from django.test import RequestFactory

    factory = RequestFactory()
    for method in ("get", "head", "options", "post", "put", "patch", "delete"):
        middleware(getattr(factory, method)("/"))
    assert seen == [True, True, True, False, False, False, False]
    assert memo._answers.get() is None


def test_library_items_follow_the_viewer_and_a_membership_within_the_request(
    world: SimpleNamespace,
) -> None:
    from peerlearn.access.library import cases_visible_to, resources_visible_to
    from peerlearn.library.models import Case, Resource, ResourceType

    case = Case.objects.create(
        title="Inner case",
        summary="x",
        author=world.facilitator,
        visibility=Visibility.ALLIANCE,
        alliance=world.inner,
    )
    Resource.objects.create(
        title="Inner resource",
        type=ResourceType.LINK,
        url="https://example.org/",
        author=world.facilitator,
        visibility=Visibility.ALLIANCE,
        alliance=world.inner,
    )
    member, outsider = world.member_alliance.user, world.outsider.user

    def titles(qs: Any) -> set[str]:
        return set(qs.values_list("title", flat=True))

    with request_scope():
        assert "Inner case" in titles(cases_visible_to(member))
        assert "Inner case" not in titles(cases_visible_to(outsider))
        assert "Inner resource" in titles(resources_visible_to(member))
        assert "Inner resource" not in titles(resources_visible_to(outsider))
        assert cases_visible_to(member) is not cases_visible_to(member)  # fresh copies
        alliance_member_add(alliance=world.inner, user=outsider, role=MemberRole.PEER)
        assert "Inner case" in titles(cases_visible_to(outsider))
        assert "Inner resource" in titles(resources_visible_to(outsider))
        case.title = "Renamed case"
        case.save()  # read afresh: a remembered queryset is evaluated anew
        assert "Renamed case" in titles(cases_visible_to(member))
