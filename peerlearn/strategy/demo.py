"""The pre-assessment and learning strategy in the demo story.

The Kenya alliance (case 5): the counties' eight knowledge gaps and a few more needs,
grouped under the four priority reform areas the alliance agreed, ranked by every peer
learner (the Borda count puts them in the alliance's order) and closed; then a learning
strategy in which each member says what they learn, from whom and how, and what they
expect for their county — confirmed by all but three (the `peer` account's part waits for
its confirmation). The Evidence in African Parliaments alliance has a strategy drafted but
confirmed by nobody, and the Climate Finance alliance none at all: both show principle
warnings on the facilitator's dashboard.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance, MemberRole
from peerlearn.demo.data import kenya
from peerlearn.strategy.models import (
    GroupRank,
    LearningNeed,
    NeedGroup,
    PreAssessment,
    PreAssessmentState,
    StrategyPart,
)
from peerlearn.strategy.models import (
    LearningMethod as M,
)
from peerlearn.strategy.services import (
    ObjectiveInput,
    strategy_part_confirm,
    strategy_part_update,
    strategy_parts_start,
)

#: Needs raised beyond the eight knowledge gaps: (author, title, description, priority index).
EXTRA_NEEDS: tuple[tuple[str, str, str, int], ...] = (
    ("samuel.langat", "Enforcement powers missing from the finance act",
     "Our finance act lists the fees but not how to enforce them, so every closure of a "
     "defaulting business is challenged.", 0),
    ("peter.kyalo", "Who the director of revenue reports to",
     "Revenue sits under the budget office and competes with it for staff and vehicles; we "
     "want to see where other counties placed the revenue function.", 1),
    ("joseph.njoroge", "Targets that are fair across revenue streams",
     "A collector at a busy bus park and one at a rural market cannot have the same target; "
     "how do others set fair ones?", 2),
    ("lilian.odhiambo", "Training officers on the new payment system",
     "Officers who collected cash for years need hands-on practice with the mobile payment "
     "system before they can help traders use it.", 3),
)  # fmt: skip

#: Which priority (index into kenya.PRIORITIES) each of the eight knowledge gaps belongs to.
GAP_PRIORITY: dict[str, int] = {
    "Inadequate revenue policies and laws": 0,
    "Political interference in revenue collection": 0,
    "Stand-alone revenue systems that do not integrate": 1,
    "A revenue department starved of budget": 1,
    "Incentives and sanctions that do not work": 2,
    "No performance contracts in the revenue department": 2,
    "Building the skills of revenue staff": 3,
    "Taxpayers who do not see why they should pay": 3,
}

#: The members' rankings, cycled over the peer learners: each lists the priorities' indices
#: from most to least important. Over one cycle the Borda points are 16, 11, 8 and 1, so
#: the aggregate follows the alliance's order.
RANKING_CYCLE: tuple[tuple[int, ...], ...] = (
    (0, 1, 2, 3),
    (1, 0, 2, 3),
    (0, 2, 1, 3),
    (0, 1, 3, 2),
    (2, 0, 1, 3),
    (0, 1, 2, 3),
)

#: Parts left unconfirmed: the `peer` account's (so the demo shows the confirm button) and
#: those of the two clerks still waiting for their county's authorisation.
UNCONFIRMED = {"peer", "collins.kimeu", "lucy.ndungu"}

PARLIAMENTS_SLUG = "evidence-in-african-parliaments"


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def seed_demo(today: date) -> None:
    kenya_alliance = LearningAlliance.objects.filter(slug=kenya.ALLIANCE_SLUG).first()
    if kenya_alliance is not None:
        start = kenya_alliance.starts_on or today
        users = {
            u.username: u
            for u in User.objects.filter(
                username__in=[p.username for p in (*kenya.PEOPLE, kenya.RESOURCE_PEER)]
            )
        }
        _kenya_pre_assessment(kenya_alliance, users, start)
        _kenya_strategy(kenya_alliance, users, start)
    parliaments = LearningAlliance.objects.filter(slug=PARLIAMENTS_SLUG).first()
    if parliaments is not None:
        _unconfirmed_strategy(parliaments)


def _kenya_pre_assessment(alliance: LearningAlliance, users: dict[str, User], start: date) -> None:
    if PreAssessment.objects.filter(alliance=alliance).exists():
        return
    opened = start - timedelta(days=kenya.PRE_ASSESSMENT_DAYS_BEFORE_START)
    groups = [
        NeedGroup.objects.create(alliance=alliance, title=title, position=i)
        for i, (title, _description) in enumerate(kenya.PRIORITIES)
    ]
    needs = [
        (s.author, s.title, s.description, GAP_PRIORITY[s.title])
        for s in kenya.STATEMENTS
        if s.kind == "challenge" and s.title in GAP_PRIORITY
    ]
    for author, title, description, priority in (*needs, *EXTRA_NEEDS):
        if author in users:
            need = LearningNeed.objects.create(
                alliance=alliance,
                author=users[author],
                title=title,
                description=description,
                group=groups[priority],
            )
            LearningNeed.objects.filter(id=need.id).update(created_at=_at(opened))
    peers = [p.username for p in kenya.PEOPLE if p.role == MemberRole.PEER and p.username in users]
    ranks = []
    for i, username in enumerate(peers):
        order = RANKING_CYCLE[i % len(RANKING_CYCLE)]
        ranks += [
            GroupRank(alliance=alliance, member=users[username], group=groups[g], rank=r + 1)
            for r, g in enumerate(order)
        ]
    GroupRank.objects.bulk_create(ranks)
    PreAssessment.objects.create(
        alliance=alliance,
        state=PreAssessmentState.CLOSED,
        encoder="tfidf",
        closed_at=_at(start - timedelta(days=3)),
    )


def _objective(position: str) -> tuple[int, str, tuple[str, ...], tuple[str, ...], str]:
    """(priority index, what, teachers in order of preference, how, expected result) for a
    member, by their position."""
    if "Enforcement" in position or "Legal" in position:
        return (
            0,
            "Enforcement powers and appeals in a county revenue administration act",
            ("emmanuel.kahindi", "kazungu.katana"),
            (M.WORKSHOP, M.MUTUAL_CONSULTANCY),
            "A draft revenue administration act with enforcement and appeals, tabled "
            "in the county assembly.",
        )
    if "ICT" in position:
        return (
            1,
            "Integrating revenue systems with the county's financial system",
            ("hassan.omar", "janet.koech"),
            (M.COACHING, M.EXCHANGE_VISIT),
            "One weekly revenue report produced from the systems, not compiled by hand.",
        )
    if "Human Resource" in position or "Budget" in position:
        return (
            2,
            "Cascading performance contracts with fair targets for every stream",
            ("stephen.mwangangi", "catherine.nzioka"),
            (M.COACHING, M.EXCHANGE_VISIT),
            "Performance contracts signed by every revenue officer, reviewed quarterly.",
        )
    if "Director" in position or "Chief Officer" in position:
        return (
            1,
            "How other counties organised the revenue department and its reporting lines",
            ("stephen.mwangangi", "george.ouma"),
            (M.EXCHANGE_VISIT, M.ROUNDTABLE),
            "A proposal to the county executive on the revenue department's structure "
            "and its own budget line.",
        )
    if "Manager" in position:  # the resource peer
        return (
            3,
            "How county revenue departments use their systems day to day",
            ("janet.koech", "peer"),
            (M.EXCHANGE_VISIT,),
            "Guidance for counties on automation that fits how collection works.",
        )
    return (3, "Practical collection and taxpayer-service skills from officers in other "
            "counties", ("lilian.odhiambo", "francis.muriuki"),
            (M.COACHING, M.EXCHANGE_VISIT, M.ONLINE_COURSE),
            "Officers who explain every charge to traders and use the payment system "
            "without help.")  # fmt: skip


def _kenya_strategy(alliance: LearningAlliance, users: dict[str, User], start: date) -> None:
    if alliance.strategy_parts.exists():
        return
    strategy_parts_start(alliance=alliance)
    topics = list(alliance.priorities.all())
    people = {p.username: p for p in (*kenya.PEOPLE, kenya.RESOURCE_PEER)}
    by_user = {u.id: name for name, u in users.items()}
    for part in alliance.strategy_parts.select_related("member"):
        person = people.get(by_user.get(part.member_id, ""))
        if person is None:
            continue
        priority, what, teachers, how, result = _objective(person.position)
        teacher = next((users[t] for t in teachers if t in users and t != person.username), None)
        strategy_part_update(
            part=part,
            expected_result=result,
            objectives=[
                ObjectiveInput(
                    what=what,
                    topic=topics[priority] if priority < len(topics) else None,
                    learn_from=teacher,
                    methods=tuple(how),
                )
            ],
        )
        if person.username not in UNCONFIRMED:
            strategy_part_confirm(part=part)
            StrategyPart.objects.filter(id=part.id).update(
                confirmed_at=_at(start + timedelta(days=10))
            )


def _unconfirmed_strategy(alliance: LearningAlliance) -> None:
    """A strategy agreed at the foundational workshops (case 4), never confirmed by its
    members on the platform."""
    if alliance.strategy_parts.exists():
        return
    topics = list(alliance.priorities.all())
    for i, part in enumerate(strategy_parts_start(alliance=alliance)):
        strategy_part_update(
            part=part,
            expected_result="A research service that answers members within their deadlines.",
            objectives=[
                ObjectiveInput(
                    what="How another parliament's research week brings members and staff together",
                    topic=topics[i % len(topics)] if topics else None,
                    methods=(M.EXCHANGE_VISIT, M.VIDEO_CONFERENCE),
                )
            ],
        )
