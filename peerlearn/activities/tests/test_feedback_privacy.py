"""Unsigned comments: withheld, on the page and in the API alike, until enough people have
answered without signing, then listed by their text rather than in answering order."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.access.activities import FEEDBACK_AVERAGES_FROM
from peerlearn.accounts.tests.factories import UserFactory
from peerlearn.activities import services
from peerlearn.activities.selectors import activity_feedback
from peerlearn.activities.tests.world import held
from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.tests.factories import AllianceMembershipFactory

pytestmark = pytest.mark.django_db

SCORES = {"usefulness": 4, "relevance": 4, "trust": 3, "voice": 5, "intention": 4}
WITHHELD = "the unsigned comments are withheld until"


def _facilitator(w: SimpleNamespace) -> Client:
    client = Client()
    client.force_login(w.facilitator)
    return client


def _read(w: SimpleNamespace, activity: Any) -> tuple[str, dict[str, Any]]:
    """The activity's page (its feedback section) and the API's feedback, as its
    facilitator reads them."""
    client = _facilitator(w)
    page = client.get(reverse("activities:detail", args=[activity.id])).content.decode()
    api = client.get(f"/api/v1/activities/{activity.id}/feedback").json()
    return page.split('id="feedback-h"')[1], api


def _world(aworld: SimpleNamespace) -> tuple[Any, list[Any]]:
    """A held activity with four participants (the three peers and one more member)."""
    peer_c = UserFactory(username="peer_c", organisation=aworld.county_b)
    AllianceMembershipFactory(alliance=aworld.alliance, user=peer_c, role=MemberRole.PEER)
    aworld.peer_c = peer_c
    activity = held(aworld, participants=("peer_a", "peer_a2", "peer_b", "peer_c"))
    return activity, [aworld.peer_a, aworld.peer_a2, aworld.peer_b, peer_c]


@pytest.mark.parametrize("answers", [1, 2])
def test_unsigned_comments_are_withheld_while_few_answered(
    aworld: SimpleNamespace, answers: int
) -> None:
    activity, people = _world(aworld)
    comments = ["The second day dragged.", "Too much lecturing."][:answers]
    for person, comment in zip(people, comments, strict=False):
        services.feedback_submit(activity=activity, author=person, comment=comment, **SCORES)
    page, api = _read(aworld, activity)
    assert all(c not in page for c in comments) and "— unsigned" not in page
    # The page says what is withheld, and why, in plain words.
    assert f"{WITHHELD} {FEEDBACK_AVERAGES_FROM} people have answered without signing" in page
    assert "you could tell whose they are" in page
    assert api["summary"]["unsigned_withheld"] is True
    assert len(api["answers"]) == answers
    # Nothing of an unsigned answer can be told apart: no comment, scores, name or time.
    for answer in api["answers"]:
        assert answer["comment"] is None and answer["author"] is None
        assert answer["updated_at"] is None and answer["usefulness"] is None


def test_unsigned_comments_show_once_three_answered_by_their_text_not_their_order(
    aworld: SimpleNamespace,
) -> None:
    activity, people = _world(aworld)
    # Answered in this order; listed by text: "apples…", "Mangoes…", "Zebra…".
    texts = ["Zebra crossings in the case study.", "apples and pears.", "Mangoes."]
    for person, comment in zip(people[:3], texts, strict=True):
        services.feedback_submit(activity=activity, author=person, comment=comment, **SCORES)
    page, api = _read(aworld, activity)
    assert WITHHELD not in page
    order = [page.index(c) for c in ("apples and pears.", "Mangoes.", "Zebra crossings")]
    assert order == sorted(order)
    assert "not in the order people answered" in page
    assert api["summary"]["unsigned_withheld"] is False
    assert [a["comment"] for a in api["answers"]] == [
        "apples and pears.",
        "Mangoes.",
        "Zebra crossings in the case study.",
    ]
    assert {a["updated_at"] for a in api["answers"]} == {None}
    assert all(a["author"] is None and a["trust"] is None for a in api["answers"])
    assert api["summary"]["averages"]["trust"] == 3.0


def test_signed_answers_do_not_make_an_unsigned_one_readable(aworld: SimpleNamespace) -> None:
    """Three answers, two of them signed: the unsigned comment is the third person's, and
    the signed scores beside the averages would tell theirs."""
    activity, people = _world(aworld)
    services.feedback_submit(
        activity=activity, author=people[0], comment="Well run.", signed=True, **SCORES
    )
    services.feedback_submit(
        activity=activity, author=people[1], comment="Useful.", signed=True, **SCORES
    )
    services.feedback_submit(
        activity=activity, author=people[2], comment="The host ignored us.", **SCORES
    )
    page, api = _read(aworld, activity)
    # The signed comments show with their authors' names, as their authors chose.
    assert f"Well run. — {people[0]}" in page and f"Useful. — {people[1]}" in page
    assert "The host ignored us." not in page and WITHHELD in page
    assert "Average (1–5)" not in page
    assert set(api["summary"]["averages"].values()) == {None}
    by_author = {a["author"]: a for a in api["answers"]}
    assert by_author[str(people[0])]["comment"] == "Well run."
    assert by_author[str(people[0])]["updated_at"] is not None
    assert by_author[None]["comment"] is None
    # A fourth, a fifth unsigned answer: three unsigned, each among the others.
    services.feedback_submit(activity=activity, author=people[3], comment="Long.", **SCORES)
    assert "The host ignored us." not in _read(aworld, activity)[0]
    services.feedback_submit(activity=activity, author=people[1], comment="Useful.", **SCORES)
    page, api = _read(aworld, activity)
    assert "The host ignored us. — unsigned" in page and WITHHELD not in page
    assert "Average (1–5)" in page


def test_every_signed_answer_shows_its_averages(aworld: SimpleNamespace) -> None:
    """Nobody answered without signing: nothing to hide, the averages show from one."""
    activity, people = _world(aworld)
    services.feedback_submit(activity=activity, author=people[0], signed=True, **SCORES)
    page, api = _read(aworld, activity)
    assert "Average (1–5)" in page and WITHHELD not in page
    assert api["summary"]["averages"]["voice"] == 5.0


def test_its_author_reads_their_own_answer_whatever_the_others(aworld: SimpleNamespace) -> None:
    activity, people = _world(aworld)
    services.feedback_submit(activity=activity, author=people[0], comment="Mine.", **SCORES)
    client = Client()
    client.force_login(people[0])
    mine = client.get(f"/api/v1/activities/{activity.id}").json()["my_feedback"]
    assert mine["comment"] == "Mine." and mine["usefulness"] == 4 and mine["updated_at"]
    read = activity_feedback(user=people[0], activity=activity)
    assert [a.comment for a in read.answers] == ["Mine."]
