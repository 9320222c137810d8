"""Activities, feedback and action plans: every kind of viewer against what they may read
and change (alliance-internal content; facilitators manage; a county's own people edit its
plan; feedback is its author's and the facilitators')."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from peerlearn.access.activities import (
    FEEDBACK_AVERAGES_FROM,
    access_action_plan_by_id,
    access_action_plan_for_edit,
    access_activity_by_id,
    access_activity_for_feedback,
    access_activity_for_manage,
    action_plans_visible_to,
    activities_visible_to,
    calendar_owner_by_token,
    feedback_answered_at_shown_to,
    feedback_author_named_to,
    feedback_averages_shown,
    feedback_comment_shown_to,
    feedback_unsigned_shown,
    feedback_visible_to,
    milestones_visible_to,
    plan_organisations_choosable,
)
from peerlearn.access.base import AccessDenied, NotFound
from peerlearn.activities import services
from peerlearn.activities.tests.world import VIEWERS, build_world, held, who

pytestmark = pytest.mark.django_db


@pytest.fixture
def aworld(db: Any) -> SimpleNamespace:
    return build_world()


READ = {"facilitator", "peer_a", "peer_b", "funder", "admin"}
MANAGE = {"facilitator", "admin"}
#: County A's plan: its own people and the facilitators edit it.
EDIT_PLAN_A = {"facilitator", "peer_a", "admin"}
#: peer_a's feedback: its author, the alliance's facilitators, administrators.
READ_FEEDBACK = {"peer_a", "facilitator", "admin"}
#: Participants (peer_a, peer_b) give feedback.
GIVE_FEEDBACK = {"peer_a", "peer_b"}


@pytest.fixture
def content(aworld: SimpleNamespace) -> SimpleNamespace:
    activity = held(aworld)
    plan = services.action_plan_create(
        alliance=aworld.alliance, organisation_id=aworld.county_a.id, title="Alpha plan"
    )
    action = services.plan_action_create(plan=plan, title="Seasonal ticket", owner=aworld.peer_a)
    milestone = services.milestone_create(
        action=action, title="Study", due_on=dt.date.today() + dt.timedelta(days=5)
    )
    feedback = services.feedback_submit(
        activity=activity,
        author=aworld.peer_a,
        usefulness=4,
        relevance=4,
        trust=3,
        voice=5,
        intention=4,
        comment="Useful.",
    )
    return SimpleNamespace(
        activity=activity, plan=plan, action=action, milestone=milestone, feedback=feedback
    )


@pytest.mark.parametrize("name", VIEWERS)
def test_who_reads_activities_and_plans(
    aworld: SimpleNamespace, content: SimpleNamespace, name: str
) -> None:
    user = who(aworld, name)
    sees = name in READ
    assert activities_visible_to(user).filter(id=content.activity.id).exists() == sees
    assert action_plans_visible_to(user).filter(id=content.plan.id).exists() == sees
    assert milestones_visible_to(user).filter(id=content.milestone.id).exists() == sees
    if sees:
        assert access_activity_by_id(user, content.activity.id) == content.activity
        assert access_action_plan_by_id(user, content.plan.id) == content.plan
    else:
        with pytest.raises(NotFound):
            access_activity_by_id(user, content.activity.id)
        with pytest.raises(NotFound):
            access_action_plan_by_id(user, content.plan.id)


@pytest.mark.parametrize("name", VIEWERS)
def test_who_manages_activities(
    aworld: SimpleNamespace, content: SimpleNamespace, name: str
) -> None:
    user = who(aworld, name)
    if name in MANAGE:
        assert access_activity_for_manage(user, content.activity.id) == content.activity
    elif name in READ:
        with pytest.raises(AccessDenied):
            access_activity_for_manage(user, content.activity.id)
    else:
        with pytest.raises(NotFound):
            access_activity_for_manage(user, content.activity.id)


@pytest.mark.parametrize("name", VIEWERS)
def test_who_edits_a_county_plan(
    aworld: SimpleNamespace, content: SimpleNamespace, name: str
) -> None:
    user = who(aworld, name)
    if name in EDIT_PLAN_A:
        assert access_action_plan_for_edit(user, content.plan.id) == content.plan
    elif name in READ:
        with pytest.raises(AccessDenied):
            access_action_plan_for_edit(user, content.plan.id)
    else:
        with pytest.raises(NotFound):
            access_action_plan_for_edit(user, content.plan.id)


@pytest.mark.parametrize("name", VIEWERS)
def test_who_starts_a_plan_for_which_organisation(aworld: SimpleNamespace, name: str) -> None:
    user = who(aworld, name)
    orgs = set(
        plan_organisations_choosable(user, aworld.alliance.id).values_list("name", flat=True)
    )
    expected = {
        "facilitator": {aworld.county_a.name, aworld.county_b.name},
        "admin": {aworld.county_a.name, aworld.county_b.name},
        "peer_a": {aworld.county_a.name},
        "peer_b": {aworld.county_b.name},
    }.get(name, set())
    assert orgs == expected


@pytest.mark.parametrize("name", VIEWERS)
def test_who_reads_feedback(aworld: SimpleNamespace, content: SimpleNamespace, name: str) -> None:
    user = who(aworld, name)
    assert feedback_visible_to(user).filter(id=content.feedback.id).exists() == (
        name in READ_FEEDBACK
    )


@pytest.mark.parametrize("name", VIEWERS)
def test_who_gives_feedback(aworld: SimpleNamespace, content: SimpleNamespace, name: str) -> None:
    user = who(aworld, name)
    if name in GIVE_FEEDBACK:
        assert access_activity_for_feedback(user, content.activity.id) == content.activity
    elif name in READ:
        with pytest.raises(AccessDenied):
            access_activity_for_feedback(user, content.activity.id)
    else:
        with pytest.raises(NotFound):
            access_activity_for_feedback(user, content.activity.id)


def test_unsigned_feedback_is_unnamed_to_the_facilitator(
    aworld: SimpleNamespace, content: SimpleNamespace
) -> None:
    assert not feedback_author_named_to(aworld.facilitator, content.feedback)
    assert feedback_author_named_to(aworld.peer_a, content.feedback)
    content.feedback.signed = True
    assert feedback_author_named_to(aworld.facilitator, content.feedback)


@pytest.mark.parametrize("unsigned", [0, 1, 2, 3, 4])
def test_what_unsigned_answers_say_shows_once_three_answered_without_signing(
    aworld: SimpleNamespace, content: SimpleNamespace, unsigned: int
) -> None:
    # None unsigned: every answer is named, nothing to hide; one or two: whose they are
    # would show beside the signed ones and the attendance.
    shown = unsigned == 0 or unsigned >= FEEDBACK_AVERAGES_FROM
    assert feedback_unsigned_shown(unsigned) is shown
    assert feedback_averages_shown(unsigned=unsigned) is shown
    assert not content.feedback.signed
    assert feedback_comment_shown_to(aworld.facilitator, content.feedback, unsigned=unsigned) is (
        shown
    )
    # Its author reads it whatever the others; signed, the facilitators do too.
    assert feedback_comment_shown_to(aworld.peer_a, content.feedback, unsigned=unsigned)
    content.feedback.signed = True
    assert feedback_comment_shown_to(aworld.facilitator, content.feedback, unsigned=unsigned)


def test_when_someone_answered_shows_only_with_their_name(
    aworld: SimpleNamespace, content: SimpleNamespace
) -> None:
    assert not feedback_answered_at_shown_to(aworld.facilitator, content.feedback)
    assert feedback_answered_at_shown_to(aworld.peer_a, content.feedback)
    content.feedback.signed = True
    assert feedback_answered_at_shown_to(aworld.facilitator, content.feedback)


def test_a_calendar_token_names_its_owner_only(aworld: SimpleNamespace) -> None:
    found = services.calendar_settings_for(user=aworld.peer_a)
    assert calendar_owner_by_token(found.feed_token) == aworld.peer_a
    for wrong in ("", "x", found.feed_token + "x"):
        with pytest.raises(NotFound):
            calendar_owner_by_token(wrong)
    aworld.peer_a.is_active = False
    aworld.peer_a.save()
    with pytest.raises(NotFound):
        calendar_owner_by_token(found.feed_token)
