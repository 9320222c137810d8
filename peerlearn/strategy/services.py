"""Writing an alliance's pre-assessment and learning strategy.

Every function checks its input and raises a ``ValidationError`` keyed by the field, whose
message names the fix; each runs in one transaction. Who may call which is decided before,
in ``peerlearn.access.strategy``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.accounts.models import User
from peerlearn.alliances.models import AlliancePriority, LearningAlliance
from peerlearn.alliances.services import alliance_priority_add
from peerlearn.core.dates import date_format
from peerlearn.core.mail import notify
from peerlearn.matching import Encoder
from peerlearn.strategy.grouping import cluster_texts
from peerlearn.strategy.models import (
    GroupRank,
    LearningMethod,
    LearningNeed,
    LearningObjective,
    NeedGroup,
    PreAssessment,
    PreAssessmentState,
    StrategyPart,
)
from peerlearn.strategy.ranking import borda

MAX_GROUPS = 30


def preassessment_get(*, alliance: LearningAlliance) -> PreAssessment:
    """The alliance's pre-assessment, started on first use."""
    pa, _created = PreAssessment.objects.get_or_create(alliance=alliance)
    return pa


def _require_state(pa: PreAssessment, state: str, field: str, message: str) -> None:
    if pa.state != state:
        raise ValidationError({field: [message]})


# --- needs -----------------------------------------------------------------------------


def _clean_need_text(title: str, description: str) -> tuple[str, str]:
    title, description = title.strip(), description.strip()
    if not title:
        raise ValidationError({"title": [_("Name the need in a few words.")]})
    return title, description


@transaction.atomic
def need_submit(
    *, alliance: LearningAlliance, author: User, title: str, description: str = ""
) -> LearningNeed:
    """A member's challenge or learning need, while the pre-assessment collects them."""
    pa = preassessment_get(alliance=alliance)
    _require_state(
        pa,
        PreAssessmentState.COLLECTING,
        "title",
        _("The pre-assessment no longer collects needs: the ranking has started."),
    )
    title, description = _clean_need_text(title, description)
    if LearningNeed.objects.filter(alliance=alliance, author=author, title__iexact=title).exists():
        raise ValidationError(
            {"title": [_("You have already added this need: change the one listed instead.")]}
        )
    need = LearningNeed(alliance=alliance, author=author, title=title, description=description)
    need.full_clean()
    need.save()
    return need


@transaction.atomic
def need_update(*, need: LearningNeed, title: str, description: str = "") -> LearningNeed:
    pa = preassessment_get(alliance=need.alliance)
    _require_state(
        pa,
        PreAssessmentState.COLLECTING,
        "title",
        _("Needs can be changed only while the pre-assessment collects them."),
    )
    need.title, need.description = _clean_need_text(title, description)
    need.full_clean()
    need.save(update_fields=["title", "description", "updated_at"])
    return need


@transaction.atomic
def need_withdraw(*, need: LearningNeed) -> None:
    pa = preassessment_get(alliance=need.alliance)
    _require_state(
        pa,
        PreAssessmentState.COLLECTING,
        "title",
        _("Needs can be withdrawn only while the pre-assessment collects them."),
    )
    group = need.group
    need.delete()
    if group is not None and not group.needs.exists():
        group.delete()


# --- grouping --------------------------------------------------------------------------


@transaction.atomic
def needs_group(
    *,
    alliance: LearningAlliance,
    encoder: Encoder | None = None,
    n_groups: int | None = None,
    threshold: float | None = None,
) -> list[NeedGroup]:
    """Group the alliance's needs by meaning with the matching engine's encoder (see
    :mod:`peerlearn.strategy.grouping`), replacing any earlier grouping."""
    pa = preassessment_get(alliance=alliance)
    _require_state(
        pa,
        PreAssessmentState.COLLECTING,
        "n_groups",
        _("The needs are being ranked: they can no longer be regrouped."),
    )
    if n_groups is not None and not 1 <= n_groups <= MAX_GROUPS:
        raise ValidationError(
            {"n_groups": [_("Choose between 1 and %(max)s groups.") % {"max": MAX_GROUPS}]}
        )
    if threshold is not None and not 0.0 < threshold < 1.0:
        raise ValidationError({"threshold": [_("Give a similarity between 0 and 1, such as 0.3.")]})
    needs = list(alliance.learning_needs.order_by("created_at", "id"))
    if not needs:
        raise ValidationError({"n_groups": [_("There are no needs to group yet.")]})
    if encoder is None:
        from peerlearn.matchmaking.embeddings import texts_encoder

        encoder = texts_encoder()
    clustering = cluster_texts(
        [n.text for n in needs], encoder=encoder, n_groups=n_groups, threshold=threshold
    )
    alliance.need_groups.all().delete()
    groups = []
    for position, indices in enumerate(clustering.groups):
        group = NeedGroup.objects.create(
            alliance=alliance, title=needs[indices[0]].title[:200], position=position
        )
        LearningNeed.objects.filter(id__in=[needs[i].id for i in indices]).update(group=group)
        groups.append(group)
    pa.encoder = clustering.encoder[:60]
    pa.save(update_fields=["encoder"])
    return groups


def _require_regroupable(alliance: LearningAlliance, field: str) -> None:
    pa = preassessment_get(alliance=alliance)
    if pa.state == PreAssessmentState.CLOSED:
        raise ValidationError(
            {field: [_("The pre-assessment is closed: its groups are the agreed priorities.")]}
        )


@transaction.atomic
def need_group_rename(*, group: NeedGroup, title: str) -> NeedGroup:
    _require_regroupable(group.alliance, "title")
    title = title.strip()
    if not title:
        raise ValidationError({"title": [_("Give the group a title.")]})
    twin = group.alliance.need_groups.exclude(id=group.id).filter(title__iexact=title)
    if twin.exists():
        raise ValidationError(
            {
                "title": [
                    _(
                        "Another group is called “%(title)s”: members could not tell them "
                        "apart when they rank. Choose another title, or merge the two groups."
                    )
                    % {"title": title}
                ]
            }
        )
    group.title = title
    group.full_clean()
    group.save(update_fields=["title"])
    return group


@transaction.atomic
def need_move(*, need: LearningNeed, group: NeedGroup | None) -> NeedGroup:
    """Move a need to ``group``, or to a new group of its own (a split) when ``None``.
    A group left empty is removed. During the ranking, members' ranks of a removed group go
    with it, and a new group is unranked until they rank again."""
    alliance = need.alliance
    _require_regroupable(alliance, "group")
    if group is not None and group.alliance_id != alliance.id:
        raise ValidationError({"group": [_("Choose a group of this alliance.")]})
    if group is None:
        last = alliance.need_groups.aggregate(m=Max("position"))["m"]
        group = NeedGroup.objects.create(
            alliance=alliance, title=need.title[:200], position=(last or 0) + 1
        )
    old = need.group
    need.group = group
    need.save(update_fields=["group", "updated_at"])
    if old is not None and old.id != group.id and not old.needs.exists():
        old.delete()
    return group


@transaction.atomic
def need_groups_merge(*, source: NeedGroup, target: NeedGroup) -> NeedGroup:
    """Move every need of ``source`` into ``target`` and remove ``source``."""
    _require_regroupable(source.alliance, "merge_into")
    if source.id == target.id:
        raise ValidationError({"merge_into": [_("Choose another group to merge into.")]})
    if target.alliance_id != source.alliance_id:
        raise ValidationError({"merge_into": [_("Choose a group of this alliance.")]})
    source.needs.update(group=target)
    source.delete()
    return target


# --- ranking ---------------------------------------------------------------------------


@transaction.atomic
def ranking_open(*, alliance: LearningAlliance, site_url: str = "") -> PreAssessment:
    """Open the ranking of the grouped needs, and e-mail the alliance's learners, who rank
    them (their home page lists it until they have)."""
    from peerlearn.access.strategy import learners_of

    pa = preassessment_get(alliance=alliance)
    _require_state(
        pa,
        PreAssessmentState.COLLECTING,
        "state",
        _("The ranking can be opened only while the pre-assessment collects needs."),
    )
    if alliance.learning_needs.filter(group__isnull=True).exists():
        raise ValidationError(
            {"state": [_("Some needs are in no group yet: group the needs again first.")]}
        )
    if alliance.need_groups.count() < 2:
        raise ValidationError(
            {"state": [_("Group the needs into at least two groups before members rank them.")]}
        )
    pa.state = PreAssessmentState.RANKING
    pa.ranking_opened_at = timezone.now()
    pa.save(update_fields=["state", "ranking_opened_at"])
    notify(
        User.objects.filter(id__in=learners_of(alliance), is_active=True),
        "strategy/email/ranking_open",
        {
            "alliance": alliance.name,
            "groups": alliance.need_groups.count(),
            "url": site_url + reverse("strategy:ranking", args=[alliance.slug]),
        },
    )
    return pa


def ranking_not_open(pa: PreAssessment) -> str | None:
    """Why members cannot rank now (``None`` while the ranking is open): it has not opened
    yet, or it closed and its priorities are agreed."""
    if pa.state == PreAssessmentState.RANKING:
        return None
    if pa.state == PreAssessmentState.CLOSED:
        if pa.closed_at is None:
            return _(
                "The ranking is closed: the members' ranking is on the pre-assessment page, "
                "and its top groups are the alliance's priorities."
            )
        return _(
            "The ranking closed on %(date)s: the members' ranking is on the pre-assessment "
            "page, and its top groups are the alliance's priorities."
        ) % {"date": date_format(timezone.localtime(pa.closed_at))}
    return _("The ranking is not open: the facilitator opens it once the needs are grouped.")


@transaction.atomic
def ranking_submit(
    *, alliance: LearningAlliance, member: User, ranks: dict[int, int]
) -> list[GroupRank]:
    """A member's ranking of every group (``{group id: rank}``, ranks 1…n, each once),
    replacing their earlier one. Accepted while the ranking is open."""
    pa = preassessment_get(alliance=alliance)
    if (why := ranking_not_open(pa)) is not None:
        raise ValidationError({"ranks": [why]})
    group_ids = set(alliance.need_groups.values_list("id", flat=True))
    if set(ranks) != group_ids:
        raise ValidationError({"ranks": [_("Rank every group once: give each a number.")]})
    if sorted(ranks.values()) != list(range(1, len(group_ids) + 1)):
        raise ValidationError(
            {
                "ranks": [
                    _("Use each number from 1 to %(n)s once: 1 for the most important.")
                    % {"n": len(group_ids)}
                ]
            }
        )
    GroupRank.objects.filter(alliance=alliance, member=member).delete()
    return GroupRank.objects.bulk_create(
        GroupRank(alliance=alliance, member=member, group_id=g, rank=r) for g, r in ranks.items()
    )


def ranking_tally(*, alliance: LearningAlliance) -> list[tuple[NeedGroup, int, int]]:
    """The groups in the order of the members' aggregate ranking (Borda count, see
    :mod:`peerlearn.strategy.ranking`), each with its points and how many ranked it first."""
    groups = list(alliance.need_groups.all())
    by_member: dict[int, dict[int, int]] = {}
    for member_id, group_id, rank in GroupRank.objects.filter(alliance=alliance).values_list(
        "member_id", "group_id", "rank"
    ):
        by_member.setdefault(member_id, {})[group_id] = rank
    tallies = borda([g.id for g in groups], by_member.values())
    by_id = {g.id: g for g in groups}
    return [(by_id[t.group], t.points, t.places[0] if t.places else 0) for t in tallies]


@transaction.atomic
def ranking_close(*, alliance: LearningAlliance, priorities: int) -> list[AlliancePriority]:
    """Close the ranking: the top ``priorities`` groups of the aggregate ranking become the
    alliance's priority reform areas, in that order, replacing its earlier ones."""
    pa = preassessment_get(alliance=alliance)
    _require_state(
        pa,
        PreAssessmentState.RANKING,
        "state",
        _("The ranking is not open, so there is nothing to close."),
    )
    n = alliance.need_groups.count()
    if not 1 <= priorities <= n:
        raise ValidationError(
            {"priorities": [_("Keep between 1 and %(n)s priorities.") % {"n": n}]}
        )
    if not GroupRank.objects.filter(alliance=alliance).exists():
        raise ValidationError({"state": [_("No member has ranked the groups yet.")]})
    tally = ranking_tally(alliance=alliance)[:priorities]
    created = alliance_priorities_replace(
        alliance=alliance,
        priorities=[(group.title, _group_description(group)) for group, _p, _f in tally],
    )
    pa.state = PreAssessmentState.CLOSED
    pa.closed_at = timezone.now()
    pa.save(update_fields=["state", "closed_at"])
    return created


def _group_description(group: NeedGroup) -> str:
    titles = [n.title for n in group.needs.all()]
    text = _("From the members' needs: %(needs)s.") % {"needs": "; ".join(titles)}
    return text[:2000]


def alliance_priorities_replace(
    *, alliance: LearningAlliance, priorities: Sequence[tuple[str, str]]
) -> list[AlliancePriority]:
    """Replace the alliance's priority reform areas with ``priorities`` (title, description),
    in order, through the alliances app's own service for each one."""
    alliance.priorities.all().delete()
    return [
        alliance_priority_add(alliance=alliance, title=title[:200], description=description)
        for title, description in priorities
    ]


# --- the learning strategy --------------------------------------------------------------


@transaction.atomic
def strategy_parts_start(*, alliance: LearningAlliance) -> list[StrategyPart]:
    """A part, still empty and unconfirmed, for each peer learner and resource peer who has
    none yet."""
    from peerlearn.access.strategy import learners_of

    have = set(alliance.strategy_parts.values_list("member_id", flat=True))
    missing = [
        uid for uid in learners_of(alliance).values_list("user_id", flat=True) if uid not in have
    ]
    return StrategyPart.objects.bulk_create(
        StrategyPart(alliance=alliance, member_id=uid) for uid in missing
    )


@dataclass(frozen=True)
class ObjectiveInput:
    what: str
    topic: AlliancePriority | None = None
    learn_from: User | None = None
    methods: tuple[str, ...] = ()


@transaction.atomic
def strategy_part_update(
    *, part: StrategyPart, expected_result: str, objectives: Sequence[ObjectiveInput]
) -> StrategyPart:
    """Rewrite a member's part: the expected result and the objectives. A change of anything
    un-confirms the part, which the member then confirms again."""
    known = set(LearningMethod.values)
    cleaned: list[ObjectiveInput] = []
    for i, o in enumerate(objectives):
        what = o.what.strip()
        if not what:
            raise ValidationError(
                {"objectives": [_("Objective %(n)s: say what is learned.") % {"n": i + 1}]}
            )
        if o.topic is not None and o.topic.alliance_id != part.alliance_id:
            raise ValidationError(
                {
                    "objectives": [
                        _("Objective %(n)s: choose one of the alliance's shared topics.")
                        % {"n": i + 1}
                    ]
                }
            )
        if o.learn_from is not None and o.learn_from.id == part.member_id:
            raise ValidationError(
                {
                    "objectives": [
                        _("Objective %(n)s: name another member to learn from, not yourself.")
                        % {"n": i + 1}
                    ]
                }
            )
        unknown = [m for m in o.methods if m not in known]
        if unknown:
            raise ValidationError(
                {
                    "objectives": [
                        _("Objective %(n)s: unknown ways of learning: %(ways)s.")
                        % {"n": i + 1, "ways": ", ".join(unknown)}
                    ]
                }
            )
        cleaned.append(
            ObjectiveInput(what[:300], o.topic, o.learn_from, tuple(dict.fromkeys(o.methods)))
        )
    expected_result = expected_result.strip()
    before = _part_snapshot(part)
    part.expected_result = expected_result
    part.objectives.all().delete()
    LearningObjective.objects.bulk_create(
        LearningObjective(
            alliance_id=part.alliance_id,
            part=part,
            topic=o.topic,
            what=o.what,
            learn_from=o.learn_from,
            methods=list(o.methods),
            position=i,
        )
        for i, o in enumerate(cleaned)
    )
    if _part_snapshot(part) != before:
        part.confirmed_at = None
    part.full_clean()
    part.save(update_fields=["expected_result", "confirmed_at", "updated_at"])
    return part


def _part_snapshot(part: StrategyPart) -> tuple[Any, ...]:
    objectives = tuple(
        (o.what, o.topic_id, o.learn_from_id, tuple(o.methods or ()))
        for o in part.objectives.order_by("position", "id")
    )
    return (part.expected_result, objectives)


@transaction.atomic
def strategy_part_confirm_problems(part: StrategyPart) -> dict[str, list[str]]:
    """What the part lacks before its member can confirm it, every gap at once."""
    problems: dict[str, list[str]] = {}
    if not part.expected_result.strip():
        problems["expected_result"] = [
            _("Write the result you expect for your organisation first.")
        ]
    if not part.objectives.exists():
        problems["objectives"] = [_("Add at least one learning objective first.")]
    return problems


def strategy_part_confirm(*, part: StrategyPart) -> StrategyPart:
    """The member agrees to their part as it stands."""
    if problems := strategy_part_confirm_problems(part):
        raise ValidationError(problems)
    part.confirmed_at = timezone.now()
    part.save(update_fields=["confirmed_at", "updated_at"])
    return part


#: How long after a reminder the member may be reminded again.
REMIND_AGAIN_AFTER = timedelta(days=1)


@transaction.atomic
def strategy_part_remind(*, part: StrategyPart, by: User, site_url: str = "") -> StrategyPart:
    """E-mail the member that their part waits for them (an unconfirmed part only)."""
    if part.confirmed:
        raise ValidationError({"part": [_("This part is confirmed: no reminder is needed.")]})
    now = timezone.now()
    if part.reminded_at is not None and now - part.reminded_at < REMIND_AGAIN_AFTER:
        # A second click, or a second facilitator, must not e-mail the member twice.
        raise ValidationError(
            {
                "part": [
                    _(
                        "The member was reminded less than a day ago: give them time to "
                        "answer, and remind them again tomorrow if needed."
                    )
                ]
            }
        )
    part.reminded_at = now
    part.save(update_fields=["reminded_at"])
    notify(
        [part.member],
        "strategy/email/part_reminder",
        {
            "alliance": part.alliance.name,
            "by": by.name,
            "url": site_url + reverse("strategy:part", args=[part.alliance.slug, part.id]),
        },
    )
    return part
