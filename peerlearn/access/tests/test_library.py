"""The case library: every role against every level, with and without an alliance, and
the submissions waiting for review."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from peerlearn.access.base import AccessDenied, NotFound
from peerlearn.access.library import (
    access_case_by_id,
    access_case_for_edit,
    access_case_for_review,
    access_resource_by_id,
    access_resource_file,
    alliances_attachable_by,
    can_publish,
    cases_to_review,
    cases_visible_to,
    resources_visible_to,
)
from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.conftest import make_user
from peerlearn.library.models import Case, ItemStatus, Resource, ResourceType

WHO = (
    "anonymous",
    "outsider",
    "member_platform",
    "facilitator",
    "other_facilitator",
    "authoriser_a",
    "funder",
    "admin",
)
EVERYONE = set(WHO)
SIGNED_IN = EVERYONE - {"anonymous"}
INSIDE = {"member_platform", "facilitator", "funder", "admin"}


def viewer(w: SimpleNamespace, name: str) -> Any:
    if name == "anonymous":
        return AnonymousUser()
    obj = getattr(w, name)
    return getattr(obj, "user", obj)


@pytest.fixture
def lib(world: SimpleNamespace) -> SimpleNamespace:
    w = world
    w.other_facilitator = make_user("other_facilitator", role=Role.FACILITATOR)
    w.inner.funders.add(w.donor)
    lib = SimpleNamespace(world=w, cases={}, resources={})

    def case(name: str, **kw: Any) -> Case:
        kw.setdefault("author", w.facilitator)
        c = Case.objects.create(title=f"case {name}", summary="x", **kw)
        lib.cases[name] = c
        return c

    def resource(name: str, **kw: Any) -> Resource:
        kw.setdefault("author", w.facilitator)
        r = Resource.objects.create(
            title=f"resource {name}", type=ResourceType.LINK, url="https://example.org/", **kw
        )
        lib.resources[name] = r
        return r

    for level in Visibility.values:
        case(level, visibility=level)
        resource(level, visibility=level)
    for level in (Visibility.PUBLIC, Visibility.ALLIANCE, Visibility.PRIVATE):
        case(f"inner {level}", visibility=level, alliance=w.inner)
        resource(f"inner {level}", visibility=level, alliance=w.inner)
    case("draft alliance", visibility=Visibility.ALLIANCE, alliance=w.private_alliance)
    resource("draft alliance", visibility=Visibility.ALLIANCE, alliance=w.private_alliance)
    case(
        "proposed", visibility=Visibility.PUBLIC, status=ItemStatus.PROPOSED, author=w.outsider.user
    )
    resource(
        "proposed", visibility=Visibility.PUBLIC, status=ItemStatus.PROPOSED, author=w.outsider.user
    )
    case(
        "proposed inner",
        visibility=Visibility.ALLIANCE,
        alliance=w.inner,
        status=ItemStatus.PROPOSED,
        author=w.member_platform.user,
    )
    case(
        "declined", visibility=Visibility.PUBLIC, status=ItemStatus.DECLINED, author=w.outsider.user
    )
    resource("public in a private case", visibility=Visibility.PUBLIC, case=lib.cases["private"])
    return lib


EXPECTED: dict[str, set[str]] = {
    "public": EVERYONE,
    "platform": SIGNED_IN,
    # No alliance: whoever shares an alliance with the author (the facilitator).
    "alliance": INSIDE,
    "private": {"facilitator", "admin"},
    # An alliance's item stays inside it, whatever level it was given.
    "inner public": INSIDE,
    "inner alliance": INSIDE,
    "inner private": {"facilitator", "admin"},
    "draft alliance": {"facilitator", "admin"},
    # Submissions: the author and the facilitators who review them.
    "proposed": {"outsider", "facilitator", "other_facilitator", "admin"},
    "proposed inner": {"member_platform", "facilitator", "admin"},
    "declined": {"outsider", "admin"},
}
RESOURCE_EXPECTED = {
    "public": EVERYONE,
    "platform": SIGNED_IN,
    "alliance": INSIDE,
    "private": {"facilitator", "admin"},
    "inner public": INSIDE,
    "inner alliance": INSIDE,
    "inner private": {"facilitator", "admin"},
    "draft alliance": {"facilitator", "admin"},
    "proposed": {"outsider", "facilitator", "other_facilitator", "admin"},
    # Never wider than its case.
    "public in a private case": {"facilitator", "admin"},
}


@pytest.mark.parametrize("who", WHO)
def test_cases_by_role_and_level(lib: SimpleNamespace, who: str) -> None:
    user = viewer(lib.world, who)
    seen = set(cases_visible_to(user).values_list("id", flat=True))
    for name, case in lib.cases.items():
        assert (case.id in seen) == (who in EXPECTED[name]), (who, name)
        if who in EXPECTED[name]:
            assert access_case_by_id(user, case.id) == case
        else:
            with pytest.raises(NotFound):
                access_case_by_id(user, case.id)


@pytest.mark.parametrize("who", WHO)
def test_resources_by_role_and_level(lib: SimpleNamespace, who: str) -> None:
    user = viewer(lib.world, who)
    seen = set(resources_visible_to(user).values_list("id", flat=True))
    for name, resource in lib.resources.items():
        assert (resource.id in seen) == (who in RESOURCE_EXPECTED[name]), (who, name)
        if who not in RESOURCE_EXPECTED[name]:
            with pytest.raises(NotFound):
                access_resource_by_id(user, resource.id)


def test_a_resource_without_a_file_has_nothing_to_download(lib: SimpleNamespace) -> None:
    with pytest.raises(NotFound):
        access_resource_file(lib.world.admin, lib.resources["public"].id)


def test_who_publishes_and_who_edits(lib: SimpleNamespace) -> None:
    w = lib.world
    assert can_publish(w.facilitator, None)
    assert can_publish(w.facilitator, w.inner)
    assert not can_publish(w.other_facilitator, w.inner)
    assert can_publish(w.other_facilitator, None)
    assert can_publish(w.admin, w.inner)
    assert not can_publish(w.member_platform.user, None)
    assert not can_publish(AnonymousUser(), None)
    # The author edits their own; another peer who sees it may not.
    proposed = lib.cases["proposed"]
    assert access_case_for_edit(w.outsider.user, proposed.id) == proposed
    with pytest.raises(AccessDenied):
        access_case_for_edit(w.outsider.user, lib.cases["public"].id)
    with pytest.raises(AccessDenied):
        access_case_for_edit(w.member_platform.user, lib.cases["public"].id)
    # A facilitator of none of its alliances does not see an alliance's case at all.
    with pytest.raises(NotFound):
        access_case_for_edit(w.other_facilitator, lib.cases["inner alliance"].id)


def test_reviewers_see_only_their_queue(lib: SimpleNamespace) -> None:
    w = lib.world
    assert set(cases_to_review(w.facilitator)) == {
        lib.cases["proposed"],
        lib.cases["proposed inner"],
    }
    assert set(cases_to_review(w.other_facilitator)) == {lib.cases["proposed"]}
    assert not cases_to_review(w.member_platform.user).exists()
    with pytest.raises(NotFound):
        access_case_for_review(w.other_facilitator, lib.cases["proposed inner"].id)
    with pytest.raises(NotFound):
        access_case_for_review(w.facilitator, lib.cases["public"].id)


def test_items_attach_only_to_alliances_one_is_inside(lib: SimpleNamespace) -> None:
    w = lib.world
    assert set(alliances_attachable_by(w.member_platform.user)) == {w.inner}
    assert not alliances_attachable_by(w.outsider.user).exists()
    assert not alliances_attachable_by(AnonymousUser()).exists()
    assert alliances_attachable_by(w.admin).count() == 4
