"""Who reads which version of an alliance's report, for every role and alliance level, and
what may leave as open data."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from peerlearn.access.base import AccessDenied, NotFound
from peerlearn.access.opendata import (
    open_alliances,
    open_challenges,
    open_initiatives,
    open_peers,
)
from peerlearn.access.reports import access_alliance_members_report, access_alliance_report

pytestmark = pytest.mark.django_db

ALLIANCES = ("public_alliance", "platform_alliance", "inner", "private_alliance")
# Which alliances' public report each viewer reads (as visible as the alliance).
PUBLIC_REPORT = {
    "anonymous": {"public_alliance"},
    "outsider": {"public_alliance", "platform_alliance"},
    "member_alliance": {"public_alliance", "platform_alliance", "inner"},
    "funder": {"public_alliance", "platform_alliance", "inner"},
    "facilitator": set(ALLIANCES),
    "admin": set(ALLIANCES),
}
# Which alliances' members' report each viewer reads (inside the alliance).
MEMBERS_REPORT = {
    "anonymous": set(),
    "outsider": set(),
    "member_alliance": {"inner"},
    "funder": {"inner"},  # its organisation funds the inner alliance
    "facilitator": set(ALLIANCES),  # facilitates every one
    "admin": set(ALLIANCES),
}


def _viewer(w: SimpleNamespace, name: str) -> Any:
    if name == "anonymous":
        return AnonymousUser()
    obj = getattr(w, name)
    return getattr(obj, "user", obj)


def _readable(w: SimpleNamespace, name: str, access: Any) -> set[str]:
    readable = set()
    for key in ALLIANCES:
        try:
            access(_viewer(w, name), getattr(w, key).slug)
        except (NotFound, AccessDenied):
            continue
        readable.add(key)
    return readable


@pytest.mark.parametrize("name", sorted(PUBLIC_REPORT))
def test_public_report_follows_the_alliance(world: SimpleNamespace, name: str) -> None:
    assert _readable(world, name, access_alliance_report) == PUBLIC_REPORT[name]


@pytest.mark.parametrize("name", sorted(MEMBERS_REPORT))
def test_members_report_is_for_those_inside(world: SimpleNamespace, name: str) -> None:
    assert _readable(world, name, access_alliance_members_report) == MEMBERS_REPORT[name]


def test_open_data_is_what_an_anonymous_visitor_sees(world: SimpleNamespace) -> None:
    assert set(open_alliances().values_list("name", flat=True)) == {"Open Alliance"}
    assert set(open_peers().values_list("user__username", flat=True)) == {"outsider_public"}
    assert set(open_challenges().values_list("title", flat=True)) == {"Public challenge"}
    assert all(i.visibility == "public" for i in open_initiatives())
