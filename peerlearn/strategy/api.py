"""The pre-assessment and learning strategy of an alliance, as the pages show them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from peerlearn.access.base import NotFound, Viewer
from peerlearn.access.strategy import (
    access_alliance_for_strategy_manage,
    access_alliance_for_taking_part,
    access_alliance_inside,
    access_group_for_manage,
    access_need_for_edit,
    access_need_for_grouping,
    access_part_for_confirm,
    access_part_for_edit,
    access_part_for_reminder,
)
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.api import Id, Slug, signed_in_user
from peerlearn.core.http import site_url
from peerlearn.core.schemas import ErrorOut, ValidationErrorOut
from peerlearn.strategy import services
from peerlearn.strategy.models import PreAssessmentState, StrategyPart
from peerlearn.strategy.schemas import (
    GroupIn,
    GroupingIn,
    MoveIn,
    NeedIn,
    PartIn,
    PartOut,
    PreAssessmentOut,
    RankingIn,
    RankingStateIn,
    StrategyOut,
)
from peerlearn.strategy.selectors import (
    NeedView,
    PartView,
    part_detail,
    preassessment_detail,
    strategy_detail,
    teachers_for,
)

router = Router(tags=["pre-assessment and learning strategy"])
_REFUSALS: dict[int | str, Any] = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _need(v: NeedView) -> dict[str, Any]:
    n = v.need
    return {
        "id": n.id,
        "title": n.title,
        "description": n.description,
        "author": v.author,
        "group_id": n.group_id,
        "can_edit": v.can_edit,
    }


def _preassessment(user: Viewer, alliance: LearningAlliance) -> dict[str, Any]:
    d = preassessment_detail(user=user, alliance=alliance)
    return {
        "state": d.pre_assessment.state,
        "state_label": d.pre_assessment.get_state_display(),
        "encoder": d.pre_assessment.encoder,
        "groups": [
            {
                "id": g.group.id,
                "title": g.group.title,
                "position": g.group.position,
                "needs": [_need(v) for v in g.needs],
                "my_rank": g.my_rank,
                "points": g.points,
                "first_places": g.first_places,
            }
            for g in d.groups
        ],
        "ungrouped": [_need(v) for v in d.ungrouped],
        "ranking": [g.group.id for g in d.tally],
        "need_count": d.n_needs,
        "learner_count": d.n_learners,
        "ranked_count": d.n_ranked,
        "you": {
            "can_manage": d.can_manage,
            "can_submit": d.can_submit,
            "can_rank": d.can_rank,
            "ranked": d.i_ranked,
        },
    }


def _part(p: PartView) -> dict[str, Any]:
    return {
        "id": p.part.id,
        "member": p.member,
        "expected_result": p.part.expected_result,
        "confirmed": p.confirmed,
        "confirmed_at": p.part.confirmed_at,
        "reminded_at": p.part.reminded_at,
        "objectives": [
            {
                "what": o.what,
                "topic_id": o.topic_id,
                "topic": o.topic,
                "learn_from_id": o.learn_from_id,
                "learn_from": o.learn_from,
                "methods": o.methods,
            }
            for o in p.objectives
        ],
        "can_edit": p.can_edit,
        "can_confirm": p.can_confirm,
        "can_remind": p.can_remind,
    }


def _strategy(user: Viewer, alliance: LearningAlliance) -> dict[str, Any]:
    d = strategy_detail(user=user, alliance=alliance)
    return {
        "topics": d.topics,
        "parts": [_part(p) for p in d.parts],
        "confirmed_count": d.n_confirmed,
    }


@router.get(
    "/{slug}/pre-assessment",
    response={200: PreAssessmentOut, 404: ErrorOut},
    summary="Get an alliance's pre-assessment",
)
def preassessment(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """The members' needs, their groups and the aggregate ranking. Inside the alliance only."""
    user = signed_in_user(request)
    return _preassessment(user, access_alliance_inside(user, slug))


@router.post(
    "/{slug}/pre-assessment/needs",
    response={201: PreAssessmentOut, **_REFUSALS},
    summary="Submit a learning need",
)
def need_submit(request: HttpRequest, slug: Slug, payload: NeedIn) -> Status[Any]:
    """For the alliance's peer learners and resource peers, while needs are collected."""
    user = signed_in_user(request)
    alliance = access_alliance_for_taking_part(user, slug)
    services.need_submit(
        alliance=alliance, author=user, title=payload.title, description=payload.description
    )
    return Status(201, _preassessment(user, alliance))


@router.put(
    "/{slug}/pre-assessment/needs/{need_id}",
    response={200: PreAssessmentOut, **_REFUSALS},
    summary="Change a learning need",
)
def need_update(request: HttpRequest, slug: Slug, need_id: Id, payload: NeedIn) -> dict[str, Any]:
    """Its author or the facilitators, while needs are collected."""
    user = signed_in_user(request)
    alliance = access_alliance_inside(user, slug)
    need = access_need_for_edit(user, alliance, need_id)
    services.need_update(need=need, title=payload.title, description=payload.description)
    return _preassessment(user, alliance)


@router.delete(
    "/{slug}/pre-assessment/needs/{need_id}",
    response={200: PreAssessmentOut, **_REFUSALS},
    summary="Withdraw a learning need",
)
def need_withdraw(request: HttpRequest, slug: Slug, need_id: Id) -> dict[str, Any]:
    user = signed_in_user(request)
    alliance = access_alliance_inside(user, slug)
    services.need_withdraw(need=access_need_for_edit(user, alliance, need_id))
    return _preassessment(user, alliance)


@router.post(
    "/{slug}/pre-assessment/grouping",
    response={200: PreAssessmentOut, **_REFUSALS},
    summary="Group the needs by meaning",
)
def grouping(request: HttpRequest, slug: Slug, payload: GroupingIn) -> dict[str, Any]:
    """For facilitators: clusters the needs with the matching engine's text encoder, into
    ``n_groups`` groups or by a similarity ``threshold``, replacing any earlier grouping."""
    user = signed_in_user(request)
    alliance = access_alliance_for_strategy_manage(user, slug)
    services.needs_group(alliance=alliance, n_groups=payload.n_groups, threshold=payload.threshold)
    return _preassessment(user, alliance)


@router.patch(
    "/{slug}/pre-assessment/groups/{needgroup_id}",
    response={200: PreAssessmentOut, **_REFUSALS},
    summary="Rename a group, or merge it into another",
)
def group_update(
    request: HttpRequest, slug: Slug, needgroup_id: Id, payload: GroupIn
) -> dict[str, Any]:
    user = signed_in_user(request)
    alliance = access_alliance_for_strategy_manage(user, slug)
    group = access_group_for_manage(user, alliance, needgroup_id)
    if payload.merge_into is not None:
        target = access_group_for_manage(user, alliance, payload.merge_into)
        services.need_groups_merge(source=group, target=target)
    elif payload.title is not None:
        services.need_group_rename(group=group, title=payload.title)
    return _preassessment(user, alliance)


@router.post(
    "/{slug}/pre-assessment/needs/{need_id}/move",
    response={200: PreAssessmentOut, **_REFUSALS},
    summary="Move a need to another group, or to a new one",
)
def need_move(request: HttpRequest, slug: Slug, need_id: Id, payload: MoveIn) -> dict[str, Any]:
    user = signed_in_user(request)
    alliance = access_alliance_for_strategy_manage(user, slug)
    need = access_need_for_grouping(user, alliance, need_id)
    group = (
        access_group_for_manage(user, alliance, payload.group_id)
        if payload.group_id is not None
        else None
    )
    services.need_move(need=need, group=group)
    return _preassessment(user, alliance)


@router.put(
    "/{slug}/pre-assessment/ranking",
    response={200: PreAssessmentOut, **_REFUSALS},
    summary="Rank the groups (your ranking)",
)
def ranking(request: HttpRequest, slug: Slug, payload: RankingIn) -> dict[str, Any]:
    """Every group once, ranks 1…n; replaces your earlier ranking while the ranking is open."""
    user = signed_in_user(request)
    alliance = access_alliance_for_taking_part(user, slug)
    ranks: dict[int, int] = {}
    for r in payload.ranks:
        if r.group_id in ranks:
            raise ValidationError({"ranks": [_("Rank every group once: give each a number.")]})
        ranks[r.group_id] = r.rank
    services.ranking_submit(alliance=alliance, member=user, ranks=ranks)
    return _preassessment(user, alliance)


@router.post(
    "/{slug}/pre-assessment/state",
    response={200: PreAssessmentOut, **_REFUSALS},
    summary="Open or close the ranking",
)
def ranking_state(request: HttpRequest, slug: Slug, payload: RankingStateIn) -> dict[str, Any]:
    """For facilitators. Closing turns the top ``priorities`` groups into the alliance's
    priority reform areas (Borda count of the members' rankings)."""
    user = signed_in_user(request)
    alliance = access_alliance_for_strategy_manage(user, slug)
    if payload.state == PreAssessmentState.RANKING:
        services.ranking_open(alliance=alliance, site_url=site_url(request))
    elif payload.state == PreAssessmentState.CLOSED:
        services.ranking_close(alliance=alliance, priorities=payload.priorities or 0)
    else:
        raise ValidationError({"state": [_("Send “ranking” to open it or “closed” to close it.")]})
    return _preassessment(user, alliance)


@router.get(
    "/{slug}/strategy",
    response={200: StrategyOut, 404: ErrorOut},
    summary="Get an alliance's learning strategy",
)
def strategy(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """The shared topics and each member's part. Inside the alliance only."""
    user = signed_in_user(request)
    return _strategy(user, access_alliance_inside(user, slug))


@router.post(
    "/{slug}/strategy/parts",
    response={200: StrategyOut, **_REFUSALS},
    summary="Add a part for every learner who has none",
)
def strategy_start(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    user = signed_in_user(request)
    alliance = access_alliance_for_strategy_manage(user, slug)
    services.strategy_parts_start(alliance=alliance)
    return _strategy(user, alliance)


@router.put(
    "/{slug}/strategy/parts/{part_id}",
    response={200: PartOut, **_REFUSALS},
    summary="Write a member's part of the strategy",
)
def part_update(request: HttpRequest, slug: Slug, part_id: Id, payload: PartIn) -> dict[str, Any]:
    """The member or the facilitators. Any change un-confirms the part."""
    user = signed_in_user(request)
    alliance = access_alliance_inside(user, slug)
    part = access_part_for_edit(user, alliance, part_id)
    part.alliance = alliance
    topics = {p.id: p for p in alliance.priorities.all()}
    teachers = {i for i, _n in teachers_for(user=user, part=part)}
    teacher_by_id = User.objects.in_bulk(teachers)
    objectives = []
    for i, o in enumerate(payload.objectives):
        if o.topic_id is not None and o.topic_id not in topics:
            raise ValidationError(
                {
                    "objectives": [
                        _("Objective %(n)s: choose one of the alliance's shared topics.")
                        % {"n": i + 1}
                    ]
                }
            )
        if o.learn_from_id is not None and o.learn_from_id not in teacher_by_id:
            raise ValidationError(
                {
                    "objectives": [
                        _("Objective %(n)s: name another member of the alliance.") % {"n": i + 1}
                    ]
                }
            )
        objectives.append(
            services.ObjectiveInput(
                what=o.what,
                topic=topics.get(o.topic_id) if o.topic_id else None,
                learn_from=teacher_by_id.get(o.learn_from_id) if o.learn_from_id else None,
                methods=tuple(m.value for m in o.methods),
            )
        )
    services.strategy_part_update(
        part=part, expected_result=payload.expected_result, objectives=objectives
    )
    return _part(part_detail(user=user, part=_fresh(part)))


def _fresh(part: StrategyPart) -> StrategyPart:
    alliance = part.alliance
    fresh = StrategyPart.objects.filter(id=part.id).first()
    if fresh is None:
        raise NotFound(_("No such part of the learning strategy."))
    fresh.alliance = alliance
    return fresh


@router.post(
    "/{slug}/strategy/parts/{part_id}/confirm",
    response={200: PartOut, **_REFUSALS},
    summary="Confirm your part of the strategy",
)
def part_confirm(request: HttpRequest, slug: Slug, part_id: Id) -> dict[str, Any]:
    """Only the member whose part it is."""
    user = signed_in_user(request)
    alliance = access_alliance_inside(user, slug)
    part = access_part_for_confirm(user, alliance, part_id)
    part.alliance = alliance
    services.strategy_part_confirm(part=part)
    return _part(part_detail(user=user, part=_fresh(part)))


@router.post(
    "/{slug}/strategy/parts/{part_id}/remind",
    response={200: PartOut, **_REFUSALS},
    summary="Remind a member to confirm their part",
)
def part_remind(request: HttpRequest, slug: Slug, part_id: Id) -> dict[str, Any]:
    """For facilitators, for a part not confirmed yet: an e-mail to the member."""
    user = signed_in_user(request)
    alliance = access_alliance_inside(user, slug)
    part = access_part_for_reminder(user, alliance, part_id)
    part.alliance = alliance
    services.strategy_part_remind(part=part, by=user, site_url=site_url(request))
    return _part(part_detail(user=user, part=_fresh(part)))
