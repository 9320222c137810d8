"""The facilitator's dashboard: who gets it, what it shows, in the page and the API, and a
query count that does not grow with the number of alliances."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerlearn.access.visibility import Visibility
from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.services import alliance_create, alliance_member_add
from peerlearn.conftest import make_peer
from peerlearn.strategy import services

pytestmark = pytest.mark.django_db
PAGE = "/facilitation/"
API = "/api/v1/dashboard/facilitator"


def client(user: Any = None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(getattr(user, "user", user))
    return c


STATUS = {
    "member_alliance": 403,
    "authoriser_a": 403,
    "funder": 403,
    "facilitator": 200,
    "admin": 200,
}


@pytest.mark.parametrize("who", sorted(STATUS))
def test_who_gets_the_dashboard(world: SimpleNamespace, who: str) -> None:
    user = getattr(world, who)
    assert client(user).get(PAGE).status_code == STATUS[who]
    assert client(user).get(API).status_code == STATUS[who]


def test_anonymous_signs_in_first(world: SimpleNamespace) -> None:
    assert client().get(PAGE).status_code == 302
    assert client().get(API).status_code == 401


def test_the_page_and_the_api_show_the_same_rows(world: SimpleNamespace) -> None:
    page = client(world.facilitator).get(PAGE)
    body = page.content.decode()
    assert reverse("alliances:detail", args=[world.inner.slug]) in body
    assert 'data-code="no_senior_member"' in body
    assert reverse("strategy:strategy", args=[world.inner.slug]) in body
    assert 'data-label="Warnings"' in body  # narrow screens
    rows = client(world.facilitator).get(API).json()
    assert {r["name"] for r in rows} == {
        "County Revenue Alliance",
        "Draft Alliance",
        "Open Alliance",
        "Platform Alliance",
    }
    inner = next(r for r in rows if r["slug"] == world.inner.slug)
    assert {x["code"] for x in inner["warnings"]} == {
        "no_senior_member",
        "peers_not_authorised",
        "no_expected_results",
    }
    assert inner["days_in_stage"] == 0
    # The other apps' facts are gathered: the pre-foundational questions all open, nothing
    # overdue, no activity yet.
    assert inner["open_questions"] == 8
    assert inner["overdue_milestones"] == 0 and inner["next_activity"] is None
    fragment = client(world.facilitator).get(PAGE, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section id="rows"')


def test_another_facilitator_does_not_see_these_alliances(world: SimpleNamespace) -> None:
    from peerlearn.access.roles import Role
    from peerlearn.conftest import make_user

    other = make_user("other_facilitator", role=Role.FACILITATOR)
    assert client(other).get(API).json() == []
    assert "You run no alliance yet." in client(other).get(PAGE).content.decode()


def _grow(w: SimpleNamespace, n: int) -> None:
    for i in range(n):
        alliance = alliance_create(
            name=f"Grown alliance {i}",
            theme="decentralisation",
            purpose="Raise own-source revenue.",
            working_languages=["en"],
            created_by=w.facilitator,
            visibility=Visibility.PUBLIC,
        )
        for j in range(2):
            peer = make_peer(f"grown_{i}_{j}", w.county_a, seniority=4 if j else 2, gender="male")
            alliance_member_add(alliance=alliance, user=peer.user, role=MemberRole.PEER)
        services.strategy_parts_start(alliance=alliance)


def _queries(user: Any, path: str) -> int:
    c = client(user)
    c.get(path)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", [PAGE, API])
def test_queries_do_not_grow_with_the_alliances(world: SimpleNamespace, path: str) -> None:
    small = _queries(world.facilitator, path)
    _grow(world, 6)
    large = _queries(world.facilitator, path)
    assert large == small, (small, large)


def test_days_in_a_stage_are_counted_in_the_readers_zone(world: SimpleNamespace) -> None:
    """A stage entered at 22:30 UTC began on the next day in Nairobi: read there the same
    night, it has lasted 0 days, not 1."""
    import datetime as dt

    from django.utils import timezone

    from peerlearn.alliances.models import StageChange
    from peerlearn.dashboards.selectors import facilitator_dashboard

    entered = dt.datetime(2026, 3, 1, 22, 30, tzinfo=dt.UTC)
    assert StageChange.objects.filter(alliance=world.inner).update(changed_at=entered) >= 1
    with timezone.override("Africa/Nairobi"):
        rows = facilitator_dashboard(world.facilitator, today=dt.date(2026, 3, 2))
    assert next(r for r in rows if r.alliance == world.inner).days_in_stage == 0
    with timezone.override("UTC"):
        rows = facilitator_dashboard(world.facilitator, today=dt.date(2026, 3, 2))
    assert next(r for r in rows if r.alliance == world.inner).days_in_stage == 1


def test_a_member_who_joined_lately_is_not_counted_as_not_engaged(
    world: SimpleNamespace,
) -> None:
    """ "Not engaged for 60 days" counts from the day a member joined when they have attended
    nothing: a member who joined today is not in it; one who joined 61 days ago is."""
    import datetime as dt

    from django.utils import timezone

    from peerlearn.alliances.models import AllianceMembership
    from peerlearn.dashboards.selectors import facilitator_dashboard

    def not_engaged() -> int | None:
        rows = facilitator_dashboard(world.facilitator)
        return next(r for r in rows if r.alliance == world.inner).not_engaged

    learners = AllianceMembership.objects.filter(alliance=world.inner, role=MemberRole.PEER)
    assert learners.count() == 3 and not learners.filter(joined_on=None).exists()
    assert not_engaged() == 0  # all three joined today
    long_ago = timezone.localdate() - dt.timedelta(days=61)
    learners.filter(user=world.member_alliance.user).update(joined_on=long_ago)
    assert not_engaged() == 1


def test_a_closed_alliance_comes_last_with_nothing_to_follow_up(world: SimpleNamespace) -> None:
    from peerlearn.alliances.closing import alliance_close

    alliance_close(alliance=world.inner, by=world.facilitator, note="Done.", open_confirmed=True)
    rows = client(world.facilitator).get(API).json()
    assert rows[-1]["slug"] == world.inner.slug
    closed = rows[-1]
    assert closed["closed_on"] is not None and closed["warnings"] == []
    assert closed["days_in_stage"] is None and closed["not_engaged"] is None
    assert all(r["closed_on"] is None for r in rows[:-1])
    page = client(world.facilitator).get(PAGE).content.decode()
    row = page[page.index(reverse("alliances:detail", args=[world.inner.slug])) :]
    row = row[: row.index("</tr>")]
    assert "Closed on " in row and "no_senior_member" not in row
