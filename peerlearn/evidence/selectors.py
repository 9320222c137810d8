"""Reads of the evidence app, each for a given reader, built on the access layer.

For the reports and open-data exports, these are the entry points (pass ``reader=None``
for the public, i.e. what an anonymous visitor may see — the open data and an outsiders'
report; pass a user for a members' report):

* :func:`results_chain` ``(reader=, alliance=)`` → :class:`ResultsChain`: the alliance's
  indicators the reader may see, by level (inputs → impact), each with its baseline and
  its periods' targets and actuals (computed ones from the activities, see
  ``computed.computed_actuals``);
* :func:`outcome_list` ``(reader=, alliance=None)`` → queryset of ``OutcomeStatement``;
* :func:`transfer_list` ``(reader=, alliance=None)`` → queryset of ``KnowledgeTransfer``
  (origin, country and adopters prefetched); :func:`knowledge_flow` the same as a graph,
  its edges and its SVG;
* :func:`scorecard_rounds` ``(reader=, alliance=)`` → list of :class:`RoundSummary`: each
  round the reader may see with the average score of every principle and step (averages
  only; the assessors' comments stay inside the alliance);
* :func:`scorecard_low_scores` ``(alliance_ids)`` → ``{alliance id: [titles]}``: the
  principles and steps averaging ≤ 2 in each alliance's latest round, for the facilitator
  dashboard's warnings (the caller passes alliances the viewer manages).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Avg, Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from peerlearn.access.base import Viewer
from peerlearn.access.evidence import (
    can_manage_evidence,
    diary_entries_visible_to,
    indicator_periods_visible_to,
    indicators_visible_to,
    insights_visible_to,
    may_fill_in_scorecard,
    outcomes_visible_to,
    own_diary_entries,
    scorecard_round_closed_reason,
    scorecard_rounds_visible_to,
    scorecard_scores_visible_to,
    scorecard_sheets_visible_to,
    transfers_visible_to,
)
from peerlearn.alliances.models import LearningAlliance
from peerlearn.evidence import charts, graph
from peerlearn.evidence.computed import computed_actual
from peerlearn.evidence.models import (
    DiaryEntry,
    Indicator,
    IndicatorPeriod,
    IndicatorSource,
    Insight,
    KnowledgeTransfer,
    OutcomeStatement,
    ResultLevel,
    ScorecardRound,
    ScorecardSheet,
    ScorecardSheetScore,
)
from peerlearn.evidence.principles import BY_CODE, ITEMS, LOW_SCORE, short_label


def _reader(reader: Viewer | None) -> Viewer:
    return AnonymousUser() if reader is None else reader


# --- the results chain -------------------------------------------------------------------


@dataclass
class PeriodView:
    period: IndicatorPeriod
    #: The actual shown: computed from the activities, or as entered.
    actual: Decimal | None
    computed: bool


@dataclass
class IndicatorView:
    indicator: Indicator
    periods: list[PeriodView]

    @property
    def latest_actual(self) -> Decimal | None:
        values = [p.actual for p in self.periods if p.actual is not None]
        return values[-1] if values else None


@dataclass
class LevelView:
    level: int
    label: str
    indicators: list[IndicatorView]


@dataclass
class ResultsChain:
    alliance: LearningAlliance
    levels: list[LevelView]
    can_manage: bool

    @property
    def indicator_count(self) -> int:
        return sum(len(level.indicators) for level in self.levels)


def results_chain(*, reader: Viewer | None, alliance: LearningAlliance) -> ResultsChain:
    user = _reader(reader)
    periods = indicator_periods_visible_to(user).order_by("starts_on", "id")
    indicators = (
        indicators_visible_to(user)
        .filter(alliance=alliance)
        .prefetch_related(Prefetch("periods", queryset=periods))
        .order_by("level", "position", "id")
    )
    by_level: dict[int, list[IndicatorView]] = defaultdict(list)
    for indicator in indicators:
        views = []
        for period in indicator.periods.all():
            if indicator.source == IndicatorSource.MANUAL:
                views.append(PeriodView(period, period.actual_value, computed=False))
            else:
                views.append(PeriodView(period, computed_actual(indicator, period), computed=True))
        by_level[indicator.level].append(IndicatorView(indicator, views))
    levels = [
        LevelView(int(value), str(label), by_level.get(int(value), []))
        for value, label in ResultLevel.choices
    ]
    return ResultsChain(alliance, levels, can_manage_evidence(user, alliance))


def indicator_detail(*, reader: Viewer, indicator: Indicator) -> IndicatorView:
    chain = results_chain(reader=reader, alliance=indicator.alliance)
    for level in chain.levels:
        for view in level.indicators:
            if view.indicator.id == indicator.id:
                return view
    return IndicatorView(indicator, [])


# --- outcomes and transfers --------------------------------------------------------------


def outcome_list(
    *, reader: Viewer | None, alliance: LearningAlliance | None = None
) -> QuerySet[OutcomeStatement]:
    qs = outcomes_visible_to(_reader(reader)).select_related("alliance", "sdg_target")
    if alliance is not None:
        qs = qs.filter(alliance=alliance)
    return qs.order_by("-observed_on", "-id")


def transfer_list(
    *, reader: Viewer | None, alliance: LearningAlliance | None = None
) -> QuerySet[KnowledgeTransfer]:
    qs = (
        transfers_visible_to(_reader(reader))
        .select_related("alliance", "origin_organisation", "origin_country")
        .prefetch_related("adopters")
    )
    if alliance is not None:
        qs = qs.filter(alliance=alliance)
    return qs.order_by("-transferred_on", "-id")


@dataclass
class KnowledgeFlow:
    edges: list[graph.Edge]
    svg: str
    node_count: int


def knowledge_flow(
    *, reader: Viewer | None, alliance: LearningAlliance | None = None
) -> KnowledgeFlow:
    """Who learned what from whom, among the transfers the reader may see."""
    g = graph.knowledge_graph(transfer_list(reader=reader, alliance=alliance))
    title = (
        _("Knowledge flows in %(alliance)s") % {"alliance": alliance.name}
        if alliance is not None
        else _("Knowledge flows across the platform")
    )
    description = _(
        "Each arrow runs from the organisation a practice came from to one that took it up; "
        "the table beside the drawing lists the same transfers."
    )
    return KnowledgeFlow(
        graph.graph_edges(g),
        graph.graph_svg(g, title=title, description=description),
        g.number_of_nodes(),
    )


# --- the principles scorecard ------------------------------------------------------------


@dataclass
class RoundSummary:
    round: ScorecardRound
    averages: dict[str, float | None]
    sheet_count: int

    @property
    def overall(self) -> float | None:
        values = [v for v in self.averages.values() if v is not None]
        return round(sum(values) / len(values), 2) if values else None

    def rows(self) -> list[tuple[str, str, Any, float | None]]:
        """(short label, code, title, average) per principle and step."""
        return [(short_label(i.code), i.code, i.title, self.averages.get(i.code)) for i in ITEMS]


def _averages(round_ids: Iterable[int]) -> dict[int, dict[str, float | None]]:
    """Average scores per round and item, over all of a round's sheets (figures, not
    comments: what a published round may show)."""
    found: dict[int, dict[str, float | None]] = {rid: dict.fromkeys(BY_CODE) for rid in round_ids}
    rows = (
        ScorecardSheetScore.objects.filter(sheet__round_id__in=list(found))
        .values("sheet__round_id", "item")
        .annotate(avg=Avg("score"))
    )
    for row in rows:
        if row["item"] in BY_CODE:
            found[row["sheet__round_id"]][row["item"]] = round(float(row["avg"]), 2)
    return found


def scorecard_rounds(*, reader: Viewer | None, alliance: LearningAlliance) -> list[RoundSummary]:
    rounds = list(
        scorecard_rounds_visible_to(_reader(reader))
        .filter(alliance=alliance)
        .annotate(n_sheets=Count("sheets"))
        .order_by("opens_on", "id")
    )
    averages = _averages(r.id for r in rounds)
    return [RoundSummary(r, averages[r.id], r.n_sheets) for r in rounds]


@dataclass
class SheetView:
    sheet: ScorecardSheet
    scores: list[ScorecardSheetScore]


@dataclass
class RoundDetail:
    summary: RoundSummary
    previous: RoundSummary | None
    radar_svg: str
    trend_svg: str
    trend: list[RoundSummary]
    sheets: list[SheetView]
    can_fill_in: bool
    can_manage: bool
    #: Why the round takes no scorecard today ("This round closed on …"), or "" while open.
    closed_statement: str = ""
    own_sheet: ScorecardSheet | None = None
    item_titles: dict[str, str] = field(default_factory=dict)


def scorecard_round_detail(*, reader: Viewer, scorecard_round: ScorecardRound) -> RoundDetail:
    """A round's radar chart (the round before it dashed), the trend across the rounds the
    reader may see, the table of averages, and the sheets the reader may read."""
    alliance = scorecard_round.alliance
    trend = scorecard_rounds(reader=reader, alliance=alliance)
    summary = next((s for s in trend if s.round.id == scorecard_round.id), None)
    if summary is None:
        summary = RoundSummary(
            scorecard_round, _averages([scorecard_round.id])[scorecard_round.id], 0
        )
    earlier = [
        s
        for s in trend
        if (s.round.opens_on, s.round.id) < (scorecard_round.opens_on, scorecard_round.id)
    ]
    previous = earlier[-1] if earlier else None
    axes = [short_label(i.code) for i in ITEMS]
    series = [charts.Series(scorecard_round.title, [summary.averages[i.code] for i in ITEMS])]
    if previous is not None:
        series.append(
            charts.Series(previous.round.title, [previous.averages[i.code] for i in ITEMS])
        )
    radar = charts.radar_svg(
        axes,
        series,
        title=_("Average scores of %(round)s on the principles and steps")
        % {"round": scorecard_round.title},
    )
    trend_chart = charts.trend_svg(
        [s.round.title for s in trend],
        [charts.Series(_("Average of all principles and steps"), [s.overall for s in trend])],
        title=_("Average score across rounds"),
    )
    scores = scorecard_scores_visible_to(reader).order_by("id")
    sheets = (
        scorecard_sheets_visible_to(reader)
        .filter(round=scorecard_round)
        .select_related("assessor")
        .prefetch_related(Prefetch("scores", queryset=scores))
        .order_by("submitted_at", "id")
    )
    views = [SheetView(s, list(s.scores.all())) for s in sheets]
    own = next((v.sheet for v in views if v.sheet.assessor_id == getattr(reader, "id", None)), None)
    closed = scorecard_round_closed_reason(scorecard_round)
    return RoundDetail(
        summary=summary,
        previous=previous,
        radar_svg=radar,
        trend_svg=trend_chart,
        trend=trend,
        sheets=views,
        can_fill_in=may_fill_in_scorecard(reader, scorecard_round),
        can_manage=can_manage_evidence(reader, alliance),
        closed_statement=closed[1] if closed else "",
        own_sheet=own,
        item_titles={i.code: str(i.title) for i in ITEMS},
    )


def scorecard_low_scores(alliance_ids: Iterable[int]) -> dict[int, list[str]]:
    """For each alliance, the titles of the principles and steps whose average is at most
    2 in its latest round with any sheet (alliances with none are left out). No access
    check: the caller passes alliances its viewer manages."""
    ids = list(alliance_ids)
    latest: dict[int, int] = {}
    rounds = (
        ScorecardRound.objects.filter(alliance_id__in=ids, sheets__isnull=False)
        .distinct()
        .order_by("alliance_id", "opens_on", "id")
        .values_list("alliance_id", "id")
    )
    for alliance_id, round_id in rounds:
        latest[alliance_id] = round_id
    averages = _averages(latest.values())
    found: dict[int, list[str]] = {}
    for alliance_id, round_id in latest.items():
        low = [
            str(BY_CODE[code].title)
            for code, avg in averages[round_id].items()
            if avg is not None and avg <= LOW_SCORE
        ]
        if low:
            found[alliance_id] = low
    return found


# --- diaries and insights ----------------------------------------------------------------


@dataclass
class Diary:
    own: QuerySet[DiaryEntry]
    shared_with_me: QuerySet[DiaryEntry]


def diary_for(*, user: Viewer) -> Diary:
    own = own_diary_entries(user).select_related("alliance")
    shared = (
        diary_entries_visible_to(user)
        .exclude(author_id=getattr(user, "id", None))
        .select_related("author", "alliance")
        .order_by("-written_on", "-id")
    )
    return Diary(own=own, shared_with_me=shared)


def insight_list(
    *, reader: Viewer | None, alliance: LearningAlliance | None = None
) -> QuerySet[Insight]:
    qs = insights_visible_to(_reader(reader)).select_related("alliance", "created_by")
    if alliance is not None:
        qs = qs.filter(alliance=alliance)
    return qs


def insight_sources(*, reader: Viewer, insight: Insight) -> QuerySet[DiaryEntry]:
    """The insight's sources the reader may see (others are counted, not shown)."""
    return diary_entries_visible_to(reader).filter(insights=insight).select_related("author")


# --- one alliance's evidence -------------------------------------------------------------


@dataclass
class AllianceEvidence:
    alliance: LearningAlliance
    chain: ResultsChain
    outcomes: QuerySet[OutcomeStatement]
    transfers: QuerySet[KnowledgeTransfer]
    flow: KnowledgeFlow
    rounds: list[RoundSummary]
    insights: QuerySet[Insight]
    can_manage: bool


def alliance_evidence(*, reader: Viewer, alliance: LearningAlliance) -> AllianceEvidence:
    chain = results_chain(reader=reader, alliance=alliance)
    return AllianceEvidence(
        alliance=alliance,
        chain=chain,
        outcomes=outcome_list(reader=reader, alliance=alliance),
        transfers=transfer_list(reader=reader, alliance=alliance),
        flow=knowledge_flow(reader=reader, alliance=alliance),
        rounds=scorecard_rounds(reader=reader, alliance=alliance),
        insights=insight_list(reader=reader, alliance=alliance),
        can_manage=chain.can_manage,
    )


__all__ = [
    "AllianceEvidence",
    "Diary",
    "IndicatorView",
    "KnowledgeFlow",
    "ResultsChain",
    "RoundDetail",
    "RoundSummary",
    "alliance_evidence",
    "diary_for",
    "indicator_detail",
    "insight_list",
    "insight_sources",
    "knowledge_flow",
    "outcome_list",
    "results_chain",
    "scorecard_low_scores",
    "scorecard_round_detail",
    "scorecard_rounds",
    "transfer_list",
]
