"""No home page's query count grows with the number of peers, statements, authorisations
or alliances: each is measured on the small world, then again after the world has grown."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.access.visibility import Visibility
from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.services import alliance_create, alliance_member_add
from peerlearn.conftest import make_peer
from peerlearn.peers.models import Challenge, Experience
from peerlearn.peers.services import authorisation_request, statement_create

pytestmark = pytest.mark.django_db

VIEWERS = ["anonymous", "member_platform", "facilitator", "authoriser_a", "funder", "admin"]


def _viewer(w: SimpleNamespace, name: str) -> Any:
    if name == "anonymous":
        return None
    obj = getattr(w, name)
    return getattr(obj, "user", obj)


def _grow(w: SimpleNamespace, n: int) -> None:
    """``n`` more peers in the authoriser's organisation, each stating a challenge and an
    experience in the themes of the world's peers, asking for authorisation, and belonging
    to a new alliance that the facilitator runs and the funder funds."""
    for i in range(n):
        peer = make_peer(f"grown_{i}", w.county_a, visibility=Visibility.PLATFORM)
        for model, theme in ((Challenge, "revenue-pfm"), (Experience, "revenue-pfm")):
            statement_create(
                model=model,
                peer=peer,
                theme=theme,
                title=f"Grown statement {i}",
                description="Revenue collection at markets.",
                visibility=Visibility.PLATFORM,
            )
        authorisation_request(peer=peer, authoriser=w.authoriser_a, scope="Join.")
        alliance = alliance_create(
            name=f"Grown alliance {i}",
            theme="decentralisation",
            purpose="Raise own-source revenue.",
            working_languages=["en"],
            created_by=w.facilitator,
            visibility=Visibility.PUBLIC,
            funders=[w.donor],
        )
        alliance_member_add(alliance=alliance, user=peer.user, role=MemberRole.PEER)
        alliance_member_add(alliance=alliance, user=w.member_platform.user, role=MemberRole.PEER)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_home_query_count_does_not_grow(
    world: SimpleNamespace, viewer: str, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    user = _viewer(world, viewer)
    if user is not None:
        client.force_login(user)
    with django_assert_max_num_queries(40) as small:
        assert client.get(reverse("home")).status_code == 200
    _grow(world, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    # The grown data is on the page where the role sees it, so the count is not flat by
    # accident of an empty page.
    html = response.content.decode()
    if viewer in ("facilitator", "funder", "member_platform"):
        assert "Grown alliance 11" in html
    if viewer == "authoriser_a":
        assert "Grown 11" in html
