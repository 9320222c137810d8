"""JSON shapes of the pre-assessment, the learning strategy and the facilitator's
dashboard."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema

from peerlearn.core.api import MAX_ID, NotBool
from peerlearn.strategy.models import LearningMethod, PreAssessmentState

GroupId = Annotated[int, Field(ge=1, le=MAX_ID), NotBool]


class NeedOut(Schema):
    id: int
    title: str
    description: str
    author: str = Field(description="The author's name, or “a member” where not shared.")
    group_id: int | None
    can_edit: bool


class GroupOut(Schema):
    id: int
    title: str
    position: int
    needs: list[NeedOut]
    my_rank: int | None = Field(description="Your rank for this group, if you ranked.")
    points: int | None = Field(description="Borda points, once anyone has ranked.")
    first_places: int | None


class PreAssessmentYou(Schema):
    can_manage: bool
    can_submit: bool
    can_rank: bool
    ranked: bool


class PreAssessmentOut(Schema):
    state: PreAssessmentState
    state_label: str
    encoder: str = Field(description="The text encoder that grouped the needs.")
    groups: list[GroupOut]
    ungrouped: list[NeedOut]
    ranking: list[int] = Field(description="Group ids in the members' aggregate order.")
    need_count: int
    learner_count: int
    ranked_count: int
    you: PreAssessmentYou


class NeedIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)


class GroupingIn(Schema):
    n_groups: int | None = Field(None, ge=1, le=30, description="How many groups.")
    threshold: float | None = Field(
        None, gt=0, lt=1, description="Or: the cosine similarity needs in a group reach."
    )


class GroupIn(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    merge_into: GroupId | None = Field(None, description="Merge this group into another.")


class MoveIn(Schema):
    group_id: GroupId | None = Field(None, description="The target group; none: a new group.")


class RankIn(Schema):
    group_id: GroupId
    rank: int = Field(ge=1, le=30)


class RankingIn(Schema):
    ranks: list[RankIn] = Field(max_length=30, description="Every group once, ranks 1…n.")


class RankingStateIn(Schema):
    state: PreAssessmentState = Field(description="ranking: open it; closed: close it.")
    priorities: int | None = Field(
        None, ge=1, le=30, description="When closing: how many top groups become priorities."
    )


class TopicOut(Schema):
    id: int
    title: str
    description: str


class ObjectiveOut(Schema):
    what: str
    topic_id: int | None
    topic: str
    learn_from_id: int | None
    learn_from: str
    methods: list[str]


class PartOut(Schema):
    id: int
    member: str
    expected_result: str
    confirmed: bool
    confirmed_at: datetime | None
    reminded_at: datetime | None
    objectives: list[ObjectiveOut]
    can_edit: bool
    can_confirm: bool
    can_remind: bool


class StrategyOut(Schema):
    topics: list[TopicOut]
    parts: list[PartOut]
    confirmed_count: int


class ObjectiveIn(Schema):
    what: str = Field(min_length=1, max_length=300)
    topic_id: GroupId | None = Field(None, description="One of the alliance's priorities.")
    learn_from_id: GroupId | None = Field(None, description="The user id of another member.")
    methods: list[LearningMethod] = Field(default_factory=list, max_length=13)


class PartIn(Schema):
    expected_result: str = Field("", max_length=5000)
    objectives: list[ObjectiveIn] = Field(default_factory=list, max_length=20)


class WarningOut(Schema):
    code: str
    message: str
    link: str


class DashboardRowOut(Schema):
    slug: str
    name: str
    stage: int
    stage_label: str
    days_in_stage: int | None
    open_questions: int | None
    next_activity: str | None
    overdue_milestones: int | None
    not_engaged: int | None
    warnings: list[WarningOut]
    #: The day the alliance closed; its follow-up figures are then null and it has no
    #: warnings.
    closed_on: date | None
