"""Who reads, takes part in and runs an alliance's pre-assessment and learning strategy,
and whose dashboard lists which alliances: every role against each rule."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from peerlearn.access.base import AccessDenied, NotFound
from peerlearn.access.roles import Role
from peerlearn.access.strategy import (
    access_alliance_for_strategy_manage,
    access_alliance_for_taking_part,
    access_alliance_inside,
    access_need_for_edit,
    access_part_for_confirm,
    access_part_for_edit,
    access_part_for_reminder,
    dashboard_alliances_for,
    needs_visible_to,
    strategy_parts_visible_to,
)
from peerlearn.conftest import make_user
from peerlearn.strategy import services

OK, DENIED, HIDDEN = "ok", "denied", "hidden"
VIEWERS = (
    "anonymous",
    "facilitator",
    "other_facilitator",
    "member_alliance",
    "member_platform",
    "outsider",
    "authoriser_a",
    "funder",
    "admin",
)


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    world.other_facilitator = make_user("other_facilitator", role=Role.FACILITATOR)
    world.need = services.need_submit(
        alliance=world.inner, author=world.member_platform.user, title="Cash leaks"
    )
    services.strategy_parts_start(alliance=world.inner)
    world.part = world.inner.strategy_parts.get(member=world.member_platform.user)
    return world


def viewer(w: SimpleNamespace, name: str) -> Any:
    if name == "anonymous":
        return AnonymousUser()
    obj = getattr(w, name)
    return getattr(obj, "user", obj)


def outcome(fn: Any) -> str:
    try:
        fn()
    except NotFound:
        return HIDDEN
    except AccessDenied:
        return DENIED
    return OK


# The pre-assessment and the strategy of an alliance-level alliance the funder funds.
MATRIX = {
    #                     read    run     take part confirm edit-part remind  edit-need
    "anonymous":         (HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "facilitator":       (OK, OK, DENIED, DENIED, OK, OK, OK),
    "other_facilitator": (HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "member_alliance":   (OK, DENIED, OK, DENIED, DENIED, DENIED, DENIED),
    "member_platform":   (OK, DENIED, OK, OK, OK, DENIED, OK),
    "outsider":          (HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "authoriser_a":      (HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "funder":            (OK, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
    "admin":             (OK, OK, DENIED, DENIED, OK, OK, OK),
}  # fmt: skip


@pytest.mark.parametrize("who", VIEWERS)
def test_strategy_rules_for_each_role(w: SimpleNamespace, who: str) -> None:
    user = viewer(w, who)
    slug = w.inner.slug

    def inside_then(fn: Any) -> Any:
        return lambda: fn(user, access_alliance_inside(user, slug), w.part.id)

    got = (
        outcome(lambda: access_alliance_inside(user, slug)),
        outcome(lambda: access_alliance_for_strategy_manage(user, slug)),
        outcome(lambda: access_alliance_for_taking_part(user, slug)),
        outcome(inside_then(access_part_for_confirm)),
        outcome(inside_then(access_part_for_edit)),
        outcome(inside_then(access_part_for_reminder)),
        outcome(lambda: access_need_for_edit(user, access_alliance_inside(user, slug), w.need.id)),
    )
    assert got == MATRIX[who]


@pytest.mark.parametrize("who", VIEWERS)
def test_needs_and_parts_are_seen_inside_the_alliance_only(w: SimpleNamespace, who: str) -> None:
    user = viewer(w, who)
    inside = MATRIX[who][0] == OK
    assert needs_visible_to(user).filter(id=w.need.id).exists() == inside
    assert strategy_parts_visible_to(user).filter(id=w.part.id).exists() == inside


@pytest.mark.parametrize(
    "level", ["private_alliance", "public_alliance", "platform_alliance", "inner"]
)
def test_a_public_alliance_still_keeps_its_strategy_inside(w: SimpleNamespace, level: str) -> None:
    alliance = getattr(w, level)
    # The outsider may see the public and platform alliances, never their strategy.
    with pytest.raises(NotFound):
        access_alliance_inside(w.outsider.user, alliance.slug)
    assert access_alliance_inside(w.facilitator, alliance.slug) == alliance


DASHBOARD = {
    "anonymous": None,
    "member_alliance": None,
    "authoriser_a": None,
    "funder": None,
    "other_facilitator": set(),
    "facilitator": {"County Revenue Alliance", "Open Alliance", "Platform Alliance",
                    "Draft Alliance"},
    "admin": {"County Revenue Alliance", "Open Alliance", "Platform Alliance", "Draft Alliance"},
}  # fmt: skip


@pytest.mark.parametrize("who", sorted(DASHBOARD))
def test_the_dashboard_lists_the_alliances_one_runs(w: SimpleNamespace, who: str) -> None:
    user = viewer(w, who)
    expected = DASHBOARD[who]
    if expected is None:
        with pytest.raises(AccessDenied):
            dashboard_alliances_for(user)
        return
    assert set(dashboard_alliances_for(user).values_list("name", flat=True)) == expected
