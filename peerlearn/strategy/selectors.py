"""The read models of the pre-assessment and strategy pages, shared with the API: what the
viewer may see, and what they may do, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from peerlearn.access.alliances import can_manage_alliance, member_named_to
from peerlearn.access.base import Viewer, is_signed_in
from peerlearn.access.peers import peers_visible_to
from peerlearn.access.strategy import (
    can_confirm_part,
    is_learner_in,
    learners_of,
    members_named_in_strategy,
)
from peerlearn.accounts.models import User
from peerlearn.alliances.models import AllianceMembership, AlliancePriority, LearningAlliance
from peerlearn.strategy.models import (
    GroupRank,
    LearningNeed,
    NeedGroup,
    PreAssessment,
    PreAssessmentState,
    StrategyPart,
)
from peerlearn.strategy.services import preassessment_get, ranking_tally


def member_names(user: Viewer, alliance: LearningAlliance) -> dict[int, str]:
    """The alliance's members the viewer may see by name (the alliance page's rule,
    :func:`peerlearn.access.alliances.member_named_to`), by user id; the viewer always
    sees their own name."""
    memberships = list(AllianceMembership.objects.filter(alliance=alliance).select_related("user"))
    visible = set(
        peers_visible_to(user)
        .filter(user_id__in=[m.user_id for m in memberships])
        .values_list("user_id", flat=True)
    )
    names = {
        m.user_id: str(m.user)
        for m in memberships
        if member_named_to(m, profile_visible=m.user_id in visible, inside=True)
    }
    if is_signed_in(user):
        names[user.id] = str(user)
    return names


def _name(names: dict[int, str], user_id: int | None) -> str:
    if user_id is None:
        return ""
    return names.get(user_id) or _("a member whose profile is not shared with you")


@dataclass
class NeedView:
    need: LearningNeed
    author: str
    can_edit: bool


@dataclass
class GroupView:
    group: NeedGroup
    needs: list[NeedView]
    my_rank: int | None = None
    points: int | None = None
    first_places: int | None = None


@dataclass
class PreAssessmentDetail:
    alliance: LearningAlliance
    pre_assessment: PreAssessment
    groups: list[GroupView]
    ungrouped: list[NeedView]
    tally: list[GroupView]  # the aggregate ranking, once anyone has ranked
    n_needs: int
    n_learners: int
    n_ranked: int
    i_ranked: bool
    can_manage: bool
    can_submit: bool
    can_rank: bool
    my_needs: list[NeedView] = field(default_factory=list)

    @property
    def state(self) -> str:
        return self.pre_assessment.state


def preassessment_detail(*, user: Viewer, alliance: LearningAlliance) -> PreAssessmentDetail:
    """The pre-assessment as ``user`` sees it (they are inside the alliance)."""
    pa = preassessment_get(alliance=alliance)
    manage = can_manage_alliance(user, alliance)
    learner = is_learner_in(user, alliance)
    collecting = pa.state == PreAssessmentState.COLLECTING
    names = member_names(user, alliance)
    user_id = getattr(user, "id", None)
    views = [
        NeedView(
            need=n,
            author=_name(names, n.author_id),
            can_edit=collecting and (manage or n.author_id == user_id),
        )
        for n in alliance.learning_needs.order_by("created_at", "id")
    ]
    by_group: dict[int, list[NeedView]] = {}
    ungrouped = []
    for v in views:
        if v.need.group_id is None:
            ungrouped.append(v)
        else:
            by_group.setdefault(v.need.group_id, []).append(v)
    my_ranks = (
        dict(
            GroupRank.objects.filter(alliance=alliance, member_id=user_id).values_list(
                "group_id", "rank"
            )
        )
        if user_id
        else {}
    )
    groups = [
        GroupView(group=g, needs=by_group.get(g.id, []), my_rank=my_ranks.get(g.id))
        for g in alliance.need_groups.all()
    ]
    n_ranked = GroupRank.objects.filter(alliance=alliance).values("member_id").distinct().count()
    tally = []
    if n_ranked:
        views_by_id = {gv.group.id: gv for gv in groups}
        for group, points, firsts in ranking_tally(alliance=alliance):
            gv = views_by_id[group.id]
            gv.points, gv.first_places = points, firsts
            tally.append(gv)
    return PreAssessmentDetail(
        alliance=alliance,
        pre_assessment=pa,
        groups=groups,
        ungrouped=ungrouped,
        tally=tally,
        n_needs=len(views),
        n_learners=learners_of(alliance).count(),
        n_ranked=n_ranked,
        i_ranked=bool(my_ranks),
        can_manage=manage,
        can_submit=learner and collecting,
        can_rank=learner and pa.state == PreAssessmentState.RANKING,
        my_needs=[v for v in views if v.need.author_id == user_id],
    )


@dataclass
class ObjectiveView:
    what: str
    topic: str
    topic_id: int | None
    learn_from: str
    learn_from_id: int | None
    methods: list[str]
    method_labels: list[str]


@dataclass
class PartView:
    part: StrategyPart
    member: str
    objectives: list[ObjectiveView]
    can_edit: bool
    can_confirm: bool
    can_remind: bool

    @property
    def confirmed(self) -> bool:
        return self.part.confirmed


@dataclass
class StrategyDetail:
    alliance: LearningAlliance
    topics: list[AlliancePriority]
    parts: list[PartView]
    n_confirmed: int
    can_manage: bool
    my_part: PartView | None

    @property
    def unconfirmed(self) -> list[PartView]:
        return [p for p in self.parts if not p.confirmed]


def _part_view(user: Viewer, part: StrategyPart, names: dict[int, str], manage: bool) -> PartView:
    return PartView(
        part=part,
        member=_name(names, part.member_id),
        objectives=[
            ObjectiveView(
                what=o.what,
                topic=o.topic.title if o.topic is not None else "",
                topic_id=o.topic_id,
                learn_from=_name(names, o.learn_from_id),
                learn_from_id=o.learn_from_id if o.learn_from_id in names else None,
                methods=list(o.methods or []),
                method_labels=o.method_labels,
            )
            for o in part.objectives.all()
        ],
        can_edit=manage or part.member_id == getattr(user, "id", None),
        can_confirm=can_confirm_part(user, part) and not part.confirmed,
        can_remind=manage and not part.confirmed,
    )


def strategy_detail(*, user: Viewer, alliance: LearningAlliance) -> StrategyDetail:
    """The learning strategy: the shared topics (the alliance's priorities) and each
    member's part, as ``user`` (inside the alliance) sees it."""
    manage = can_manage_alliance(user, alliance)
    names = member_names(user, alliance)
    parts = list(
        alliance.strategy_parts.select_related("member").prefetch_related("objectives__topic")
    )
    for part in parts:
        part.alliance = alliance
    user_id = getattr(user, "id", None)
    # The reader's own part first: it is the one they come to write and confirm.
    views = sorted(
        (_part_view(user, p, names, manage) for p in parts),
        key=lambda v: v.part.member_id != user_id,
    )
    return StrategyDetail(
        alliance=alliance,
        topics=list(alliance.priorities.all()),
        parts=views,
        n_confirmed=sum(1 for v in views if v.confirmed),
        can_manage=manage,
        my_part=next((v for v in views if v.part.member_id == user_id), None),
    )


def member_name(*, user: Viewer, alliance: LearningAlliance, member_id: int) -> str:
    """One member's name as ``user`` may see it (:func:`member_names`' rule), for a message
    that says whom an action was for."""
    return _name(member_names(user, alliance), member_id)


def part_detail(*, user: Viewer, part: StrategyPart) -> PartView:
    alliance = part.alliance
    return _part_view(user, part, member_names(user, alliance), can_manage_alliance(user, alliance))


def teachers_for(*, user: Viewer, part: StrategyPart) -> list[tuple[int, str]]:
    """Whom the member may name to learn from: the alliance's members (but not themselves)
    whom the viewer may see by name."""
    names = member_names(user, part.alliance)
    ids = (
        User.objects.filter(members_named_in_strategy(part.alliance))
        .exclude(id=part.member_id)
        .values_list("id", flat=True)
    )
    return sorted(((i, names[i]) for i in ids if i in names), key=lambda x: x[1])


@dataclass(frozen=True)
class StrategySummary:
    """How far an alliance's learning strategy has got, for the facilitator's dashboard."""

    parts: int = 0
    confirmed: int = 0
    with_expected_result: int = 0


def strategy_summary_by_alliance(alliance_ids: list[int]) -> dict[int, StrategySummary]:
    """Each alliance's strategy counts, in one query. The caller chose the alliances through
    the access layer (``dashboard_alliances_for``)."""
    rows = (
        StrategyPart.objects.filter(alliance_id__in=alliance_ids)
        .values("alliance_id")
        .annotate(
            parts=Count("id"),
            n_confirmed=Count("id", filter=Q(confirmed_at__isnull=False)),
            with_result=Count("id", filter=~Q(expected_result="")),
        )
    )
    return {
        r["alliance_id"]: StrategySummary(r["parts"], r["n_confirmed"], r["with_result"])
        for r in rows
    }


def parts_confirmed(*, alliance: LearningAlliance) -> tuple[int, int]:
    """How many of the alliance's parts are confirmed, of how many: the strategy page's
    count, read again when one part changes in place, by the dashboard's own rule
    (:func:`strategy_summary_by_alliance`). One query."""
    summary = strategy_summary_by_alliance([alliance.id]).get(alliance.id, StrategySummary())
    return summary.confirmed, summary.parts
