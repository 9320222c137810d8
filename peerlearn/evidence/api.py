"""Evidence of results in the API: results chains, outcomes, the transfer register and the
knowledge-flow graph, scorecard rounds, one's diary and insights. Each endpoint renders the
same read model (``selectors``) as its page and fetches through the same access layer."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from peerlearn.access.alliances import access_alliance_by_slug
from peerlearn.access.base import Viewer
from peerlearn.access.evidence import (
    access_diary_entry_by_id,
    access_indicator_by_id,
    access_indicator_for_manage,
    access_insight_by_id,
    access_insight_for_manage,
    access_outcome_by_id,
    access_outcome_for_manage,
    access_scorecard_round_by_id,
    access_scorecard_round_for_manage,
    access_scorecard_round_for_sheet,
    access_transfer_by_id,
    access_transfer_for_manage,
    alliance_shown_to,
    insight_sources_for,
    own_diary_entries,
)
from peerlearn.access.visibility import alliance_item_level_now
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.api import Id, Page, Slug, signed_in_user
from peerlearn.core.models import Country, SDGTarget
from peerlearn.core.schemas import ErrorOut, ValidationErrorOut
from peerlearn.evidence import selectors, services
from peerlearn.evidence.models import (
    DiaryEntry,
    Indicator,
    Insight,
    KnowledgeTransfer,
    OutcomeStatement,
    ScorecardRound,
)
from peerlearn.evidence.schemas import (
    AllianceFilterIn,
    EntryIn,
    EntryOut,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatchIn,
    InsightIn,
    InsightOut,
    InsightPatchIn,
    KnowledgeFlowOut,
    OutcomeIn,
    OutcomeOut,
    OutcomePatchIn,
    PeriodIn,
    ResultsChainOut,
    RoundDetailOut,
    RoundIn,
    RoundOut,
    RoundPatchIn,
    SheetIn,
    TransferIn,
    TransferOut,
    TransferPatchIn,
)
from peerlearn.organisations.models import Organisation

router = Router(tags=["evidence"])
WRITE = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _dec(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _indicator(view: selectors.IndicatorView) -> dict[str, Any]:
    i = view.indicator
    return {
        "id": i.id,
        "alliance": i.alliance.slug,
        "level": i.level,
        "level_label": i.get_level_display(),
        "result": i.result,
        "name": i.name,
        "kind": i.kind,
        "unit": i.unit,
        "source": i.source,
        "baseline_value": _num(i.baseline_value),
        "baseline_text": i.baseline_text,
        "baseline_date": i.baseline_date,
        "means_of_verification": i.means_of_verification,
        "visibility": i.visibility,
        "periods": [
            {
                "id": p.period.id,
                "starts_on": p.period.starts_on,
                "ends_on": p.period.ends_on,
                "target_value": _num(p.period.target_value),
                "target_text": p.period.target_text,
                "actual_value": _num(p.actual),
                "actual_computed": p.computed,
                "actual_text": p.period.actual_text,
                "note": p.period.note,
            }
            for p in view.periods
        ],
    }


def _chain(chain: selectors.ResultsChain) -> dict[str, Any]:
    return {
        "alliance": chain.alliance.slug,
        "can_manage": chain.can_manage,
        "levels": [
            {
                "level": level.level,
                "label": level.label,
                "indicators": [_indicator(v) for v in level.indicators],
            }
            for level in chain.levels
        ],
    }


def _outcome(o: OutcomeStatement) -> dict[str, Any]:
    return {
        "id": o.id,
        "alliance": o.alliance.slug,
        "social_actor": o.social_actor,
        "change_kind": o.change_kind,
        "description": o.description,
        "observed_on": o.observed_on,
        "place": o.place,
        "significance": o.significance,
        "contribution": o.contribution,
        "sources": o.sources,
        "substantiator": o.substantiator,
        "substantiation": o.substantiation,
        "intended": o.intended,
        "effect": o.effect,
        "sdg_target": o.sdg_target_id,
        "visibility": o.visibility,
    }


def _transfer(user: Viewer, t: KnowledgeTransfer) -> dict[str, Any]:
    shown = alliance_shown_to(user, t.alliance_id)
    return {
        "id": t.id,
        "alliance": t.alliance.slug if t.alliance and shown else None,
        "practice": t.practice,
        "description": t.description,
        "origin_organisation": {"id": t.origin_organisation.id, "name": t.origin_organisation.name},
        "origin_country": t.origin_country_id,
        "adopters": [{"id": o.id, "name": o.name} for o in t.adopters.all()],
        "transferred_on": t.transferred_on,
        "evidence": t.evidence,
        "status": t.status,
        "visibility": t.visibility,
    }


def _round(s: selectors.RoundSummary) -> dict[str, Any]:
    r = s.round
    return {
        "id": r.id,
        "alliance": r.alliance.slug,
        "title": r.title,
        "opens_on": r.opens_on,
        "closes_on": r.closes_on,
        "visibility": r.visibility,
        "sheet_count": s.sheet_count,
        "overall": s.overall,
        "averages": [
            {"item": code, "title": str(title), "average": avg}
            for _label, code, title, avg in s.rows()
        ],
    }


def _round_detail(user: Viewer, found: ScorecardRound) -> dict[str, Any]:
    d = selectors.scorecard_round_detail(reader=user, scorecard_round=found)
    return {
        **_round(d.summary),
        "can_fill_in": d.can_fill_in,
        "closed_statement": d.closed_statement,
        "sheets": [
            {
                "id": v.sheet.id,
                "assessor": str(v.sheet.assessor),
                "kind": v.sheet.kind,
                "summary": v.sheet.summary,
                "submitted_at": v.sheet.submitted_at,
                "scores": [
                    {"item": s.item, "score": s.score, "comment": s.comment} for s in v.scores
                ],
            }
            for v in d.sheets
        ],
    }


def _entry(e: DiaryEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "author": str(e.author),
        "alliance": e.alliance.slug if e.alliance else None,
        "kind": e.kind,
        "title": e.title,
        "text": e.text,
        "written_on": e.written_on,
        "visibility": e.visibility,
    }


def _insight(user: Viewer, i: Insight) -> dict[str, Any]:
    return {
        "id": i.id,
        "alliance": i.alliance.slug if i.alliance else None,
        "title": i.title,
        "text": i.text,
        "visibility": i.visibility,
        "sources": list(
            selectors.insight_sources(reader=user, insight=i).values_list("id", flat=True)
        ),
    }


def _alliance_or_none(user: Viewer, slug: str | None) -> LearningAlliance | None:
    return access_alliance_by_slug(user, slug) if slug else None


# --- the results chain -------------------------------------------------------------------


@router.get(
    "/alliances/{slug}/results",
    response={200: ResultsChainOut, 404: ErrorOut},
    summary="An alliance's results chain",
)
def results(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """Indicators you may see, by level, with baselines, targets and actual values."""
    user = signed_in_user(request)
    alliance = access_alliance_by_slug(user, slug)
    return _chain(selectors.results_chain(reader=user, alliance=alliance))


@router.post(
    "/alliances/{slug}/indicators",
    response={201: IndicatorOut, **WRITE},
    summary="Add an indicator to an alliance's results chain",
)
def indicator_create(request: HttpRequest, slug: Slug, payload: IndicatorIn) -> Any:
    """For the alliance's facilitators."""
    user = signed_in_user(request)
    alliance = access_alliance_by_slug(user, slug)
    data = payload.dict()
    data["baseline_value"] = _dec(data["baseline_value"])
    indicator = services.indicator_create(alliance=alliance, created_by=user, **data)
    return Status(201, _indicator(selectors.indicator_detail(reader=user, indicator=indicator)))


@router.get(
    "/indicators/{indicator_id}",
    response={200: IndicatorOut, 404: ErrorOut},
    summary="An indicator with its periods",
)
def indicator(request: HttpRequest, indicator_id: Id) -> dict[str, Any]:
    user = signed_in_user(request)
    found: Indicator = access_indicator_by_id(user, indicator_id)
    return _indicator(selectors.indicator_detail(reader=user, indicator=found))


def _sdg_target(code: str | None) -> SDGTarget | None:
    """The SDG target of a code (None for none given), or a refusal naming the field."""
    if not code:
        return None
    target = SDGTarget.objects.filter(code=code).first()
    if target is None:
        raise ValidationError({"sdg_target": [_("No such SDG target; use a code like 16.6.")]})
    return target


#: Fields a PATCH may set to null; a null elsewhere leaves the field as it is.
INDICATOR_NULLABLE = {"baseline_value", "baseline_date"}


@router.patch(
    "/indicators/{indicator_id}",
    response={200: IndicatorOut, **WRITE},
    summary="Change an indicator",
)
def indicator_patch(
    request: HttpRequest, indicator_id: Id, payload: IndicatorPatchIn
) -> dict[str, Any]:
    """For the alliance's facilitators; only the fields given change (not the periods)."""
    user = signed_in_user(request)
    found = access_indicator_for_manage(user, indicator_id)
    data = {f: getattr(found, f) for f in services.INDICATOR_FIELDS}
    data["visibility"] = alliance_item_level_now(found)
    given = payload.model_dump(exclude_unset=True)
    data.update({k: v for k, v in given.items() if v is not None or k in INDICATOR_NULLABLE})
    if "baseline_value" in given:
        data["baseline_value"] = _dec(given["baseline_value"])
    services.indicator_update(indicator=found, updated_by=user, **data)
    return _indicator(selectors.indicator_detail(reader=user, indicator=found))


@router.delete(
    "/indicators/{indicator_id}",
    response={204: None, **WRITE},
    summary="Delete an indicator and its periods",
)
def indicator_delete(request: HttpRequest, indicator_id: Id) -> Status[None]:
    """For the alliance's facilitators; its recorded periods go with it."""
    user = signed_in_user(request)
    services.indicator_delete(
        indicator=access_indicator_for_manage(user, indicator_id), deleted_by=user
    )
    return Status(204, None)


@router.post(
    "/indicators/{indicator_id}/periods",
    response={200: IndicatorOut, **WRITE},
    summary="Record an indicator's target and actual for a period",
)
def period_save(request: HttpRequest, indicator_id: Id, payload: PeriodIn) -> dict[str, Any]:
    """A period with the same start date is updated. For the alliance's facilitators."""
    user = signed_in_user(request)
    found = access_indicator_for_manage(user, indicator_id)
    data = payload.dict()
    data["target_value"] = _dec(data["target_value"])
    data["actual_value"] = _dec(data["actual_value"])
    services.indicator_period_save(indicator=found, saved_by=user, **data)
    return _indicator(selectors.indicator_detail(reader=user, indicator=found))


# --- outcomes ----------------------------------------------------------------------------


@router.get("/outcomes", response=list[OutcomeOut], summary="Harvested outcomes")
@paginate(Page)
def outcomes(request: HttpRequest, filters: Query[AllianceFilterIn]) -> QuerySet[OutcomeStatement]:
    """The outcomes you may see, newest first; ``alliance`` narrows to one alliance."""
    user = signed_in_user(request)
    alliance = _alliance_or_none(user, filters.alliance)
    return selectors.outcome_list(reader=user, alliance=alliance)


@router.get(
    "/outcomes/{outcome_id}", response={200: OutcomeOut, 404: ErrorOut}, summary="An outcome"
)
def outcome(request: HttpRequest, outcome_id: Id) -> dict[str, Any]:
    return _outcome(access_outcome_by_id(signed_in_user(request), outcome_id))


@router.post(
    "/alliances/{slug}/outcomes",
    response={201: OutcomeOut, **WRITE},
    summary="Harvest an outcome",
)
def outcome_create(request: HttpRequest, slug: Slug, payload: OutcomeIn) -> Any:
    """For the alliance's facilitators."""
    user = signed_in_user(request)
    alliance = access_alliance_by_slug(user, slug)
    data = payload.dict()
    target = _sdg_target(data.pop("sdg_target"))
    found = services.outcome_create(alliance=alliance, created_by=user, sdg_target=target, **data)
    return Status(201, _outcome(found))


@router.patch(
    "/outcomes/{outcome_id}",
    response={200: OutcomeOut, **WRITE},
    summary="Change an outcome",
)
def outcome_patch(request: HttpRequest, outcome_id: Id, payload: OutcomePatchIn) -> dict[str, Any]:
    """For the alliance's facilitators; only the fields given change (e.g. the
    substantiation, once the substantiator has answered)."""
    user = signed_in_user(request)
    found = access_outcome_for_manage(user, outcome_id)
    data = {f: getattr(found, f) for f in services.OUTCOME_FIELDS}
    data["visibility"] = alliance_item_level_now(found)
    given = payload.model_dump(exclude_unset=True)
    code = given.pop("sdg_target", None)
    data.update({k: v for k, v in given.items() if v is not None})
    if code is not None:  # "" clears it
        data["sdg_target"] = _sdg_target(code)
    services.outcome_update(outcome=found, updated_by=user, **data)
    return _outcome(found)


@router.delete("/outcomes/{outcome_id}", response={204: None, **WRITE}, summary="Delete an outcome")
def outcome_delete(request: HttpRequest, outcome_id: Id) -> Status[None]:
    """For the alliance's facilitators."""
    user = signed_in_user(request)
    services.outcome_delete(outcome=access_outcome_for_manage(user, outcome_id), deleted_by=user)
    return Status(204, None)


# --- transfers ---------------------------------------------------------------------------


@router.get("/transfers", response=list[TransferOut], summary="The knowledge-transfer register")
@paginate(Page)
def transfers(
    request: HttpRequest, filters: Query[AllianceFilterIn]
) -> QuerySet[KnowledgeTransfer]:
    """The transfers you may see; an alliance you may not see is left unnamed."""
    user = signed_in_user(request)
    alliance = _alliance_or_none(user, filters.alliance)
    return selectors.transfer_list(reader=user, alliance=alliance)


@router.get(
    "/transfers/{transfer_id}",
    response={200: TransferOut, 404: ErrorOut},
    summary="A knowledge transfer",
)
def transfer(request: HttpRequest, transfer_id: Id) -> dict[str, Any]:
    user = signed_in_user(request)
    return _transfer(user, access_transfer_by_id(user, transfer_id))


@router.post("/transfers", response={201: TransferOut, **WRITE}, summary="Register a transfer")
def transfer_create(request: HttpRequest, payload: TransferIn) -> Any:
    """For facilitators: in an alliance they run, or with none."""
    user = signed_in_user(request)
    alliance = _alliance_or_none(user, payload.alliance)
    found = services.transfer_create(
        created_by=user,
        alliance=alliance,
        practice=payload.practice,
        description=payload.description,
        origin_organisation=_organisation(payload.origin_organisation),
        origin_country=_country(payload.origin_country),
        adopters=_adopters(payload.adopters),
        transferred_on=payload.transferred_on,
        evidence=payload.evidence,
        status=payload.status,
        visibility=payload.visibility,
    )
    return Status(201, _transfer(user, found))


def _organisation(organisation_id: int) -> Organisation:
    found = Organisation.objects.filter(id=organisation_id).first()
    if found is None:
        raise ValidationError({"origin_organisation": [_("No such organisation.")]})
    return found


def _country(code: str) -> Country:
    found = Country.objects.filter(code=code.upper()).first()
    if found is None:
        raise ValidationError({"origin_country": [_("Use an ISO 3166-1 alpha-2 code, e.g. KE.")]})
    return found


def _adopters(ids: list[int]) -> list[Organisation]:
    adopters = list(Organisation.objects.filter(id__in=ids))
    if len(adopters) != len(set(ids)):
        raise ValidationError(
            {"adopters": [_("One of the adopting organisations does not exist.")]}
        )
    return adopters


@router.patch(
    "/transfers/{transfer_id}",
    response={200: TransferOut, **WRITE},
    summary="Change a knowledge transfer",
)
def transfer_patch(request: HttpRequest, transfer_id: Id, payload: TransferPatchIn) -> Any:
    """For those who keep it: the alliance's facilitators, or whoever registered a transfer
    outside any alliance. Only the fields given change (e.g. its status once adopted)."""
    user = signed_in_user(request)
    found = access_transfer_for_manage(user, transfer_id)
    given = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    data: dict[str, Any] = {
        "alliance": found.alliance,
        "practice": found.practice,
        "description": found.description,
        "origin_organisation": found.origin_organisation,
        "origin_country": found.origin_country,
        "adopters": list(found.adopters.all()),
        "transferred_on": found.transferred_on,
        "evidence": found.evidence,
        "status": found.status,
        "visibility": alliance_item_level_now(found),
    }
    data.update(given)
    if "origin_organisation" in given:
        data["origin_organisation"] = _organisation(given["origin_organisation"])
    if "origin_country" in given:
        data["origin_country"] = _country(given["origin_country"])
    if "adopters" in given:
        data["adopters"] = _adopters(given["adopters"])
    services.transfer_update(transfer=found, updated_by=user, **data)
    return _transfer(user, access_transfer_by_id(user, transfer_id))


@router.delete(
    "/transfers/{transfer_id}",
    response={204: None, **WRITE},
    summary="Delete a knowledge transfer registered by mistake",
)
def transfer_delete(request: HttpRequest, transfer_id: Id) -> Status[None]:
    user = signed_in_user(request)
    services.transfer_delete(
        transfer=access_transfer_for_manage(user, transfer_id), deleted_by=user
    )
    return Status(204, None)


@router.get(
    "/knowledge-flow",
    response={200: KnowledgeFlowOut, 404: ErrorOut},
    summary="The knowledge-flow graph's edges",
)
def knowledge_flow(request: HttpRequest, filters: Query[AllianceFilterIn]) -> dict[str, Any]:
    """Who learned what from whom, among the transfers you may see (the page draws it)."""
    user = signed_in_user(request)
    flow = selectors.knowledge_flow(reader=user, alliance=_alliance_or_none(user, filters.alliance))
    return {"node_count": flow.node_count, "edges": [e.__dict__ for e in flow.edges]}


# --- the principles scorecard ------------------------------------------------------------


@router.get(
    "/alliances/{slug}/rounds",
    response={200: list[RoundOut], 404: ErrorOut},
    summary="An alliance's scorecard rounds",
)
def rounds(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    user = signed_in_user(request)
    alliance = access_alliance_by_slug(user, slug)
    return [_round(s) for s in selectors.scorecard_rounds(reader=user, alliance=alliance)]


@router.post(
    "/alliances/{slug}/rounds",
    response={201: RoundDetailOut, **WRITE},
    summary="Open a scorecard round",
)
def round_create(request: HttpRequest, slug: Slug, payload: RoundIn) -> Any:
    user = signed_in_user(request)
    alliance = access_alliance_by_slug(user, slug)
    found = services.scorecard_round_create(alliance=alliance, created_by=user, **payload.dict())
    return Status(201, _round_detail(user, found))


@router.get(
    "/rounds/{round_id}",
    response={200: RoundDetailOut, 404: ErrorOut},
    summary="A scorecard round",
)
def scorecard_round(request: HttpRequest, round_id: Id) -> dict[str, Any]:
    """Average scores; the scorecards and comments too, inside the alliance."""
    user = signed_in_user(request)
    return _round_detail(user, access_scorecard_round_by_id(user, round_id))


@router.patch(
    "/rounds/{round_id}",
    response={200: RoundDetailOut, **WRITE},
    summary="Change a scorecard round",
)
def round_patch(request: HttpRequest, round_id: Id, payload: RoundPatchIn) -> dict[str, Any]:
    """For the alliance's facilitators; only the fields given change. A round cannot open
    after its first scorecard was filled in, nor close before its last (422)."""
    user = signed_in_user(request)
    found = access_scorecard_round_for_manage(user, round_id)
    data = {f: getattr(found, f) for f in ("title", "opens_on", "closes_on", "visibility")}
    data["visibility"] = alliance_item_level_now(found)
    data.update({k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None})
    services.scorecard_round_update(scorecard_round=found, updated_by=user, **data)
    return _round_detail(user, found)


@router.delete(
    "/rounds/{round_id}",
    response={204: None, **WRITE},
    summary="Delete a scorecard round no one has filled in",
)
def round_delete(request: HttpRequest, round_id: Id) -> Status[None]:
    """For the alliance's facilitators; a round with scorecards is kept (422)."""
    user = signed_in_user(request)
    found = access_scorecard_round_for_manage(user, round_id)
    services.scorecard_round_delete(scorecard_round=found, deleted_by=user)
    return Status(204, None)


@router.post(
    "/rounds/{round_id}/sheets",
    response={200: RoundDetailOut, **WRITE},
    summary="Fill in your scorecard",
)
def sheet_submit(request: HttpRequest, round_id: Id, payload: SheetIn) -> dict[str, Any]:
    """Every principle and step scored 1–5; sending again replaces your scorecard while the
    round is open. Outside its dates the answer is 422, keyed ``opens_on`` or ``closes_on``."""
    user = signed_in_user(request)
    found = access_scorecard_round_for_sheet(user, round_id)
    services.scorecard_sheet_submit(
        scorecard_round=found,
        assessor=user,
        kind=payload.kind,
        summary=payload.summary,
        scores={str(s.item.value): (s.score, s.comment) for s in payload.scores},
    )
    return _round_detail(user, found)


# --- diaries and insights ----------------------------------------------------------------


@router.get("/diary", response=list[EntryOut], summary="Your learning diary")
@paginate(Page)
def diary(request: HttpRequest) -> QuerySet[DiaryEntry]:
    return own_diary_entries(signed_in_user(request)).select_related("author", "alliance")


@router.get("/diary/{entry_id}", response={200: EntryOut, 404: ErrorOut}, summary="A diary entry")
def diary_entry(request: HttpRequest, entry_id: Id) -> dict[str, Any]:
    return _entry(access_diary_entry_by_id(signed_in_user(request), entry_id))


@router.post("/diary", response={201: EntryOut, **WRITE}, summary="Write a diary entry")
def diary_entry_create(request: HttpRequest, payload: EntryIn) -> Any:
    user = signed_in_user(request)
    data = payload.dict()
    alliance = _alliance_or_none(user, data.pop("alliance"))
    return Status(201, _entry(services.diary_entry_create(author=user, alliance=alliance, **data)))


@router.get("/insights", response=list[InsightOut], summary="Insights")
@paginate(Page)
def insights(request: HttpRequest) -> QuerySet[Insight]:
    return selectors.insight_list(reader=signed_in_user(request))


@router.get(
    "/insights/{insight_id}", response={200: InsightOut, 404: ErrorOut}, summary="An insight"
)
def insight(request: HttpRequest, insight_id: Id) -> dict[str, Any]:
    user = signed_in_user(request)
    return _insight(user, access_insight_by_id(user, insight_id))


@router.post("/insights", response={201: InsightOut, **WRITE}, summary="Write an insight")
def insight_create(request: HttpRequest, payload: InsightIn) -> Any:
    """For facilitators, from diary entries shared with them."""
    user = signed_in_user(request)
    alliance = _alliance_or_none(user, payload.alliance)
    sources = list(insight_sources_for(user).filter(id__in=payload.sources))
    if len(sources) != len(set(payload.sources)):
        raise ValidationError(
            {"sources": [_("An insight draws only on entries shared with you; check the ids.")]}
        )
    found = services.insight_create(
        created_by=user,
        alliance=alliance,
        title=payload.title,
        text=payload.text,
        sources=sources,
        visibility=payload.visibility,
    )
    return Status(201, _insight(user, found))


@router.patch(
    "/insights/{insight_id}", response={200: InsightOut, **WRITE}, summary="Change an insight"
)
def insight_patch(request: HttpRequest, insight_id: Id, payload: InsightPatchIn) -> Any:
    """For its author (and administrators); only the fields given change."""
    user = signed_in_user(request)
    found = access_insight_for_manage(user, insight_id)
    given = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    seen = insight_sources_for(user)
    sources = list(seen.filter(id__in=found.sources.values("id")))
    if "sources" in given:
        sources = list(seen.filter(id__in=given["sources"]))
        if len(sources) != len(set(given["sources"])):
            raise ValidationError(
                {"sources": [_("An insight draws only on entries shared with you; check the ids.")]}
            )
    services.insight_update(
        insight=found,
        updated_by=user,
        alliance=found.alliance,
        title=given.get("title", found.title),
        text=given.get("text", found.text),
        sources=sources,
        visibility=given.get("visibility", alliance_item_level_now(found)),
    )
    return _insight(user, access_insight_by_id(user, insight_id))


@router.delete("/insights/{insight_id}", response={204: None, **WRITE}, summary="Delete an insight")
def insight_delete(request: HttpRequest, insight_id: Id) -> Status[None]:
    """For its author (and administrators); the diary entries it drew on stay."""
    user = signed_in_user(request)
    services.insight_delete(insight=access_insight_for_manage(user, insight_id), deleted_by=user)
    return Status(204, None)
