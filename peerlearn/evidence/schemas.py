"""JSON shapes of the evidence app. Every request field is bounded."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict

from peerlearn.access.evidence import alliance_shown_to, diary_entries_visible_to
from peerlearn.access.visibility import Visibility
from peerlearn.core.api import Id
from peerlearn.evidence.models import (
    ChangeKind,
    Effect,
    EntryKind,
    IndicatorKind,
    IndicatorSource,
    ResultLevel,
    SheetKind,
    Substantiation,
    TransferStatus,
)
from peerlearn.evidence.principles import CODES

ItemCode = StrEnum("ItemCode", {c.upper().replace("-", "_"): c for c in CODES})  # type: ignore[misc]

MAX_VALUE = 1e13
Value = Annotated[float, Field(ge=-MAX_VALUE, le=MAX_VALUE)]


# --- out ---------------------------------------------------------------------------------


class Named(Schema):
    id: int
    name: str


class PeriodOut(Schema):
    id: int
    starts_on: date
    ends_on: date
    target_value: float | None
    target_text: str
    actual_value: float | None = Field(
        description="As entered, or counted from the activities for a computed indicator."
    )
    actual_computed: bool
    actual_text: str
    note: str


class IndicatorOut(Schema):
    id: int
    alliance: str = Field(description="The alliance's slug.")
    level: int = Field(description="1 inputs, 2 activities, 3 outputs, 4 outcomes, 5 impact.")
    level_label: str
    result: str
    name: str
    kind: IndicatorKind
    unit: str
    source: IndicatorSource
    baseline_value: float | None
    baseline_text: str
    baseline_date: date | None
    means_of_verification: str
    visibility: Visibility
    periods: list[PeriodOut]


class LevelOut(Schema):
    level: int
    label: str
    indicators: list[IndicatorOut]


class ResultsChainOut(Schema):
    alliance: str
    levels: list[LevelOut]
    can_manage: bool


class OutcomeOut(Schema):
    id: int
    alliance: str
    social_actor: str
    change_kind: ChangeKind
    description: str
    observed_on: date
    place: str
    significance: str
    contribution: str
    sources: str
    substantiator: str
    substantiation: Substantiation
    intended: bool
    effect: Effect
    sdg_target: str | None = Field(description="The SDG target's code, e.g. 16.6.")
    visibility: Visibility

    @staticmethod
    def resolve_alliance(obj: Any) -> str:
        if isinstance(obj, dict):
            return str(obj["alliance"])
        return str(obj.alliance.slug)

    @staticmethod
    def resolve_sdg_target(obj: Any) -> str | None:
        if isinstance(obj, dict):
            return obj["sdg_target"]  # type: ignore[no-any-return]
        return obj.sdg_target_id  # type: ignore[no-any-return]


class TransferOut(Schema):
    id: int
    alliance: str | None
    practice: str
    description: str
    origin_organisation: Named
    origin_country: str = Field(description="ISO 3166-1 alpha-2.")
    adopters: list[Named]
    transferred_on: date
    evidence: str
    status: TransferStatus
    visibility: Visibility

    @staticmethod
    def resolve_alliance(obj: Any, context: Any) -> str | None:
        # The register is platform-wide: its alliance is named only to who may see it.
        if isinstance(obj, dict):
            return obj["alliance"]  # type: ignore[no-any-return]
        user = context["request"].auth
        if obj.alliance_id is None or not alliance_shown_to(user, obj.alliance_id):
            return None
        return str(obj.alliance.slug)

    @staticmethod
    def resolve_origin_country(obj: Any) -> str:
        if isinstance(obj, dict):
            return str(obj["origin_country"])
        return str(obj.origin_country_id)

    @staticmethod
    def resolve_adopters(obj: Any) -> list[Any]:
        if isinstance(obj, dict):
            return list(obj["adopters"])
        return list(obj.adopters.all())


class EdgeOut(Schema):
    transfer_id: int
    source_id: int
    source: str
    target_id: int
    target: str
    practice: str
    status: str


class KnowledgeFlowOut(Schema):
    node_count: int
    edges: list[EdgeOut]


class ScoreOut(Schema):
    item: str
    score: int
    comment: str


class SheetOut(Schema):
    id: int
    assessor: str
    kind: SheetKind
    summary: str
    submitted_at: datetime
    scores: list[ScoreOut]


class AverageOut(Schema):
    item: str
    title: str
    average: float | None


class RoundOut(Schema):
    id: int
    alliance: str
    title: str
    opens_on: date
    closes_on: date
    visibility: Visibility
    sheet_count: int
    overall: float | None
    averages: list[AverageOut]


class RoundDetailOut(RoundOut):
    sheets: list[SheetOut] = Field(description="The scorecards you may read (inside only).")
    can_fill_in: bool
    closed_statement: str = Field(
        "",
        description="Why the round takes no scorecard today (not open yet, or closed: its "
        "scorecards are final); empty while it is open.",
    )


class EntryOut(Schema):
    id: int
    author: str
    alliance: str | None
    kind: EntryKind
    title: str
    text: str
    written_on: date
    visibility: Visibility

    @staticmethod
    def resolve_author(obj: Any) -> str:
        if isinstance(obj, dict):
            return str(obj["author"])
        return str(obj.author)

    @staticmethod
    def resolve_alliance(obj: Any) -> str | None:
        if isinstance(obj, dict):
            return obj["alliance"]  # type: ignore[no-any-return]
        return obj.alliance.slug if obj.alliance_id else None


class InsightOut(Schema):
    id: int
    alliance: str | None
    title: str
    text: str
    visibility: Visibility
    sources: list[int] = Field(description="Ids of the source entries you may see.")

    @staticmethod
    def resolve_alliance(obj: Any) -> str | None:
        if isinstance(obj, dict):
            return obj["alliance"]  # type: ignore[no-any-return]
        return obj.alliance.slug if obj.alliance_id else None

    @staticmethod
    def resolve_sources(obj: Any, context: Any) -> list[int]:
        if isinstance(obj, dict):
            return list(obj["sources"])
        user = context["request"].auth
        return list(
            diary_entries_visible_to(user).filter(insights=obj).values_list("id", flat=True)
        )


# --- in ----------------------------------------------------------------------------------


class IndicatorIn(Schema):
    level: ResultLevel
    result: str = Field(..., min_length=1, max_length=300)
    name: str = Field(..., min_length=1, max_length=300)
    kind: IndicatorKind = IndicatorKind.QUANTITATIVE
    unit: str = Field("", max_length=40)
    source: IndicatorSource = IndicatorSource.MANUAL
    baseline_value: Value | None = None
    baseline_text: str = Field("", max_length=4000)
    baseline_date: date | None = None
    means_of_verification: str = Field("", max_length=4000)
    visibility: Visibility = Visibility.ALLIANCE


class IndicatorPatchIn(Schema):
    """The fields to change; those left out stay as they are (periods: ``/periods``)."""

    model_config = ConfigDict(extra="forbid")

    level: ResultLevel | None = None
    result: str | None = Field(None, min_length=1, max_length=300)
    name: str | None = Field(None, min_length=1, max_length=300)
    kind: IndicatorKind | None = None
    unit: str | None = Field(None, max_length=40)
    source: IndicatorSource | None = None
    baseline_value: Value | None = None
    baseline_text: str | None = Field(None, max_length=4000)
    baseline_date: date | None = None
    means_of_verification: str | None = Field(None, max_length=4000)
    visibility: Visibility | None = None


class PeriodIn(Schema):
    starts_on: date
    ends_on: date
    target_value: Value | None = None
    target_text: str = Field("", max_length=4000)
    actual_value: Value | None = None
    actual_text: str = Field("", max_length=4000)
    note: str = Field("", max_length=4000)


class OutcomeIn(Schema):
    social_actor: str = Field(..., min_length=1, max_length=200)
    change_kind: ChangeKind
    description: str = Field(..., min_length=1, max_length=8000)
    observed_on: date
    place: str = Field(..., min_length=1, max_length=200)
    significance: str = Field(..., min_length=1, max_length=8000)
    contribution: str = Field(..., min_length=1, max_length=8000)
    sources: str = Field("", max_length=8000)
    substantiator: str = Field("", max_length=200)
    substantiation: Substantiation = Substantiation.NOT_YET
    intended: bool = True
    effect: Effect = Effect.POSITIVE
    sdg_target: str | None = Field(None, max_length=8, description="e.g. 16.6")
    visibility: Visibility = Visibility.ALLIANCE


class OutcomePatchIn(Schema):
    """The fields to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    social_actor: str | None = Field(None, min_length=1, max_length=200)
    change_kind: ChangeKind | None = None
    description: str | None = Field(None, min_length=1, max_length=8000)
    observed_on: date | None = None
    place: str | None = Field(None, min_length=1, max_length=200)
    significance: str | None = Field(None, min_length=1, max_length=8000)
    contribution: str | None = Field(None, min_length=1, max_length=8000)
    sources: str | None = Field(None, max_length=8000)
    substantiator: str | None = Field(None, max_length=200)
    substantiation: Substantiation | None = None
    intended: bool | None = None
    effect: Effect | None = None
    sdg_target: str | None = Field(None, max_length=8, description='e.g. 16.6; "" clears it.')
    visibility: Visibility | None = None


class TransferIn(Schema):
    alliance: str | None = Field(None, max_length=80, description="An alliance's slug, or none.")
    practice: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=8000)
    origin_organisation: Id
    origin_country: str = Field(..., min_length=2, max_length=2)
    adopters: list[Id] = Field(..., max_length=100)
    transferred_on: date
    evidence: str = Field("", max_length=8000)
    status: TransferStatus = TransferStatus.CONSIDERED
    visibility: Visibility = Visibility.ALLIANCE


class TransferPatchIn(Schema):
    """The fields to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    practice: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=8000)
    origin_organisation: Id | None = None
    origin_country: str | None = Field(None, min_length=2, max_length=2)
    adopters: list[Id] | None = Field(None, max_length=100)
    transferred_on: date | None = None
    evidence: str | None = Field(None, max_length=8000)
    status: TransferStatus | None = None
    visibility: Visibility | None = None


class RoundIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    opens_on: date
    closes_on: date
    visibility: Visibility = Visibility.ALLIANCE


class RoundPatchIn(Schema):
    """The fields to change; those left out stay as they are. A later closing day reopens
    a closed round."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=200)
    opens_on: date | None = None
    closes_on: date | None = None
    visibility: Visibility | None = None


class ScoreIn(Schema):
    item: ItemCode
    score: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=2000)


class SheetIn(Schema):
    kind: SheetKind = SheetKind.SELF
    summary: str = Field("", max_length=4000)
    scores: list[ScoreIn] = Field(..., max_length=len(CODES))


class EntryIn(Schema):
    kind: EntryKind = EntryKind.REFLECTION
    title: str = Field(..., min_length=1, max_length=200)
    text: str = Field(..., min_length=1, max_length=20000)
    written_on: date
    alliance: str | None = Field(None, max_length=80)
    visibility: Visibility = Visibility.PRIVATE


class InsightIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    text: str = Field(..., min_length=1, max_length=20000)
    alliance: str | None = Field(None, max_length=80)
    sources: list[Id] = Field(..., max_length=200)
    visibility: Visibility = Visibility.ALLIANCE


class InsightPatchIn(Schema):
    """The fields to change; those left out stay as they are. ``sources`` replaces the
    entries you may see; those you may no longer see are kept."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=200)
    text: str | None = Field(None, min_length=1, max_length=20000)
    sources: list[Id] | None = Field(None, max_length=200)
    visibility: Visibility | None = None


class AllianceFilterIn(Schema):
    alliance: str | None = Field(None, max_length=80, description="An alliance's slug.")
