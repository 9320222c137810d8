"""The evidence part of the demo, for the Kenyan alliance (case 5 of the paper): a results
chain with baselines and actuals, two harvested outcomes, the seasonal bus-park ticket
carried from Kisumu to Nakuru (public), two scorecard rounds that show a trend, a few
diary entries and one insight drawn from them. Idempotent: everything is found by its
natural key (an indicator's name, an outcome's actor, a practice, a round's title, an
entry's author and title) and only what is missing is made."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from peerlearn.access.visibility import Visibility as V
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.models import Country, SDGTarget
from peerlearn.demo.data import kenya
from peerlearn.evidence.models import (
    ChangeKind,
    DiaryEntry,
    EntryKind,
    Indicator,
    IndicatorKind,
    IndicatorPeriod,
    IndicatorSource,
    Insight,
    KnowledgeTransfer,
    OutcomeStatement,
    ResultLevel,
    ScorecardRound,
    ScorecardSheet,
    ScorecardSheetScore,
    SheetKind,
    Substantiation,
    TransferStatus,
)
from peerlearn.evidence.principles import CODES
from peerlearn.organisations.models import Organisation

SEASONAL_TICKET = "Seasonal bus-park ticket paid by the matatu sacco"
INSIGHT_TITLE = "Collective payment makes compliance a shared duty"
ROUND_TITLES = ("Scorecard, first month", "Scorecard, third month")

# (level, result, name, kind, unit, source, baseline, visibility,
#  [(target, actual) for the two periods])
INDICATORS: tuple[tuple[Any, ...], ...] = (
    (
        ResultLevel.OUTCOME,
        "Counties collect more of their own revenue",
        "Own-source revenue collected by the seven member counties",
        IndicatorKind.QUANTITATIVE,
        "KES million",
        IndicatorSource.MANUAL,
        Decimal("2140"),
        V.PUBLIC,
        [(Decimal("2200"), Decimal("2185")), (Decimal("2300"), Decimal("2342"))],
    ),
    (
        ResultLevel.OUTPUT,
        "Bus-park fees are paid without cash",
        "Share of bus-park fees paid cashless in Kisumu",
        IndicatorKind.QUANTITATIVE,
        "%",
        IndicatorSource.MANUAL,
        Decimal("18"),
        V.PUBLIC,
        [(Decimal("35"), Decimal("31")), (Decimal("50"), Decimal("57"))],
    ),
    (
        ResultLevel.ACTIVITY,
        "Peers meet and learn together",
        "Learning activities held",
        IndicatorKind.QUANTITATIVE,
        "activities",
        IndicatorSource.ACTIVITIES_HELD,
        Decimal("0"),
        V.ALLIANCE,
        [(Decimal("3"), None), (Decimal("3"), None)],
    ),
    (
        ResultLevel.INPUT,
        "Facilitation and funding are in place",
        "Facilitation by CEG under the SPARKS! grant",
        IndicatorKind.QUALITATIVE,
        "",
        IndicatorSource.MANUAL,
        None,
        V.ALLIANCE,
        [(None, None), (None, None)],
    ),
)

# The first round: trust and visibility of the learning low; the third month: higher.
ROUND_SCORES = (
    dict.fromkeys(CODES, 3) | {"trust": 2, "visibility": 2, "time": 2, "shared-planning": 3},
    dict.fromkeys(CODES, 4) | {"trust": 4, "visibility": 3, "time": 3, "impact": 4},
)


def seed_demo(today: dt.date) -> None:
    alliance = LearningAlliance.objects.filter(slug=kenya.ALLIANCE_SLUG).first()
    facilitator = User.objects.filter(username="facilitator").first()
    if alliance is None or facilitator is None:
        return
    orgs = {
        county: Organisation.objects.filter(name=kenya.county_org(county)).first()
        for county in kenya.COUNTIES
    }
    periods = [
        (today - dt.timedelta(days=100), today - dt.timedelta(days=51)),
        (today - dt.timedelta(days=50), today - dt.timedelta(days=1)),
    ]
    _indicators(alliance, facilitator, today, periods)
    _outcomes(alliance, facilitator, today)
    _transfer(alliance, facilitator, today, orgs)
    _rounds(alliance, facilitator, today)
    _diaries(alliance, facilitator, today)


def _indicators(
    alliance: LearningAlliance,
    facilitator: User,
    today: dt.date,
    periods: list[tuple[dt.date, dt.date]],
) -> None:
    for position, (level, result, name, kind, unit, source, baseline, level_v, values) in enumerate(
        INDICATORS
    ):
        indicator = Indicator.objects.filter(alliance=alliance, name=name).first()
        if indicator is None:
            indicator = Indicator.objects.create(
                alliance=alliance,
                level=level,
                result=result,
                name=name,
                kind=kind,
                unit=unit,
                source=source,
                baseline_value=baseline,
                baseline_text=(
                    "No facilitation; counties learned from each other only at national forums."
                    if kind == IndicatorKind.QUALITATIVE
                    else ""
                ),
                baseline_date=today - dt.timedelta(days=120),
                means_of_verification=(
                    "County revenue reports to the Controller of Budget; the alliance's "
                    "activity records."
                ),
                visibility=level_v,
                position=position,
                created_by=facilitator,
            )
        for (start, end), (target, actual) in zip(periods, values, strict=True):
            if IndicatorPeriod.objects.filter(indicator=indicator, starts_on=start).exists():
                continue
            qualitative = kind == IndicatorKind.QUALITATIVE
            IndicatorPeriod.objects.create(
                alliance=alliance,
                indicator=indicator,
                starts_on=start,
                ends_on=end,
                target_value=target,
                actual_value=actual,
                target_text="A facilitator and a small grant for the six months"
                if qualitative
                else "",
                actual_text="In place; CEG facilitates every meeting" if qualitative else "",
            )


def _outcomes(alliance: LearningAlliance, facilitator: User, today: dt.date) -> None:
    target = SDGTarget.objects.filter(code="16.6").first()
    outcomes = [
        {
            "social_actor": "Kisumu County revenue department",
            "change_kind": ChangeKind.PRACTICE,
            "description": (
                "Replaced day tickets at the main bus park with a seasonal ticket that each "
                "matatu sacco pays for its vehicles, by mobile money."
            ),
            "observed_on": today - dt.timedelta(days=60),
            "place": "Kisumu bus park",
            "significance": (
                "Parking revenue rose at once and cash no longer changes hands at the gate, "
                "closing a known leak."
            ),
            "contribution": (
                "The idea came up at the alliance's second meeting, when Nakuru and Kisumu "
                "compared their bus-park collections."
            ),
            "sources": "County revenue reports; interview with the revenue officer for bus parks.",
            "substantiator": "Chief Officer for Finance, Kisumu",
            "substantiation": Substantiation.SUBSTANTIATED,
            "intended": True,
            "visibility": V.PUBLIC,
        },
        {
            "social_actor": "Kilifi County Assembly finance committee",
            "change_kind": ChangeKind.POLICY,
            "description": (
                "Added enforcement powers and an appeals procedure for fees to the county's "
                "draft finance bill."
            ),
            "observed_on": today - dt.timedelta(days=20),
            "place": "Kilifi",
            "significance": "Fees charged under old council by-laws now have a legal basis.",
            "contribution": (
                "Kilifi's legal officer drafted the clauses after the alliance's session on "
                "revenue laws."
            ),
            "sources": "Draft finance bill; minutes of the committee.",
            "substantiator": "",
            "substantiation": Substantiation.PENDING,
            "intended": True,
            "visibility": V.ALLIANCE,
        },
    ]
    for data in outcomes:
        if OutcomeStatement.objects.filter(
            alliance=alliance, social_actor=data["social_actor"]
        ).exists():
            continue
        OutcomeStatement.objects.create(
            alliance=alliance, created_by=facilitator, sdg_target=target, **data
        )


def _transfer(
    alliance: LearningAlliance,
    facilitator: User,
    today: dt.date,
    orgs: dict[str, Organisation | None],
) -> None:
    origin, adopter = orgs.get("Kisumu"), orgs.get("Nakuru")
    kenya_country = Country.objects.filter(code="KE").first()
    if origin is None or adopter is None or kenya_country is None:
        return
    if KnowledgeTransfer.objects.filter(practice=SEASONAL_TICKET).exists():
        return
    transfer = KnowledgeTransfer.objects.create(
        alliance=alliance,
        practice=SEASONAL_TICKET,
        description=(
            "Public service vehicles pay for a season rather than a day; the sacco pays for "
            "its members, so compliance becomes a collective duty."
        ),
        origin_organisation=origin,
        origin_country=kenya_country,
        transferred_on=today - dt.timedelta(days=30),
        evidence="Nakuru's finance act amendment and its first month's bus-park collections.",
        status=TransferStatus.ADAPTED,
        visibility=V.PUBLIC,
        created_by=facilitator,
    )
    transfer.adopters.set([adopter])


def _rounds(alliance: LearningAlliance, facilitator: User, today: dt.date) -> None:
    members = [
        *list(
            User.objects.filter(
                alliance_memberships__alliance=alliance, username__in=["peer", "lilian.odhiambo"]
            )
        ),
        facilitator,
    ]
    for n, (title, scores) in enumerate(zip(ROUND_TITLES, ROUND_SCORES, strict=True)):
        opens = today - dt.timedelta(days=90 - 60 * n)
        found = ScorecardRound.objects.filter(alliance=alliance, title=title).first()
        if found is None:
            found = ScorecardRound.objects.create(
                alliance=alliance,
                title=title,
                opens_on=opens,
                closes_on=opens + dt.timedelta(days=14),
                # Public where the alliance is; never wider than it.
                visibility=V.PUBLIC if alliance.visibility == V.PUBLIC else alliance.visibility,
                created_by=facilitator,
            )
        for i, user in enumerate(members):
            if ScorecardSheet.objects.filter(round=found, assessor=user).exists():
                continue
            sheet = ScorecardSheet.objects.create(
                alliance=alliance,
                round=found,
                assessor=user,
                kind=SheetKind.PEER if user == facilitator else SheetKind.SELF,
                summary="",
            )
            # Filled in while the round was open, a day apart, as its members did.
            filled = dt.datetime.combine(
                opens + dt.timedelta(days=1 + i),
                dt.time(10),
                tzinfo=timezone.get_current_timezone(),
            )
            ScorecardSheet.objects.filter(id=sheet.id).update(submitted_at=filled)
            ScorecardSheetScore.objects.bulk_create(
                ScorecardSheetScore(
                    alliance=alliance,
                    sheet=sheet,
                    item=code,
                    # Assessors differ a little around the round's figure.
                    score=max(1, min(5, value + (1 if (i + j) % 5 == 0 else 0))),
                    comment=(
                        "Counties still hold back their revenue figures."
                        if code == "trust" and n == 0
                        else ""
                    ),
                )
                for j, (code, value) in enumerate(scores.items())
            )


def _diaries(alliance: LearningAlliance, facilitator: User, today: dt.date) -> None:
    entries = [
        (
            "peer",
            EntryKind.LEARNED,
            "Kisumu's saccos pay for their members",
            "Lilian showed how the seasonal ticket makes the sacco collect from its own "
            "drivers. We lose a lot at the gate in Wote; I will bring it to our director.",
            V.ALLIANCE,
            10,
        ),
        (
            "lilian.odhiambo",
            EntryKind.APPLIED,
            "First month of cashless seasonal tickets",
            "All twelve saccos at the main park paid by mobile money this month. Two asked "
            "for monthly instead of quarterly tickets; we agreed.",
            V.PLATFORM,
            8,
        ),
        (
            "peer",
            EntryKind.REFLECTION,
            "Why I hesitated to share our figures",
            "I worried the other counties would judge our collection rate. Hearing Kakamega "
            "talk openly about their arrears made it easier.",
            V.PRIVATE,
            5,
        ),
    ]
    made: list[DiaryEntry] = []
    for username, kind, title, text, level, days_ago in entries:
        author = User.objects.filter(username=username).first()
        if author is None:
            continue
        entry = DiaryEntry.objects.filter(author=author, title=title).first()
        if entry is None:
            entry = DiaryEntry.objects.create(
                author=author,
                alliance=alliance,
                kind=kind,
                title=title,
                text=text,
                written_on=today - dt.timedelta(days=days_ago),
                visibility=level,
            )
        made.append(entry)
    if Insight.objects.filter(title=INSIGHT_TITLE).exists():
        return
    insight = Insight.objects.create(
        alliance=alliance,
        title=INSIGHT_TITLE,
        text=(
            "Where the sacco pays for its vehicles, drivers remind each other to pay: counties "
            "that adopt the seasonal ticket should agree the price with the saccos first."
        ),
        visibility=V.ALLIANCE,
        created_by=facilitator,
    )
    insight.sources.set([e for e in made if e.visibility != V.PRIVATE])
