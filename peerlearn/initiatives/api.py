"""The registry of peer-learning initiatives: a map of the peer-to-peer space."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from peerlearn.access.initiatives import (
    access_initiative_by_slug,
    access_initiative_for_review,
    can_review_initiatives,
)
from peerlearn.core.api import Page, Slug, signed_in_user
from peerlearn.core.geography import country_name
from peerlearn.core.http import site_url
from peerlearn.core.schemas import ErrorOut, ValidationErrorOut
from peerlearn.initiatives.models import Initiative
from peerlearn.initiatives.schemas import (
    InitiativeDetailOut,
    InitiativeFiltersIn,
    InitiativeOut,
    InitiativeProposalIn,
    InitiativeReviewIn,
    MapCountryOut,
    MapFiltersIn,
)
from peerlearn.initiatives.selectors import (
    InitiativeFilters,
    country_counts,
    initiative_detail,
    initiative_list,
    initiative_review_queue,
    initiatives_proposed_by,
)
from peerlearn.initiatives.services import (
    initiative_decline,
    initiative_propose,
    initiative_publish,
)
from peerlearn.organisations.models import Organisation

router = Router(tags=["initiatives"])


@router.get("", response=list[InitiativeOut], summary="List initiatives")
@paginate(Page)
def initiatives(request: HttpRequest, filters: Query[InitiativeFiltersIn]) -> QuerySet[Initiative]:
    return initiative_list(user=signed_in_user(request), filters=_filters(filters))


def _filters(filters: InitiativeFiltersIn) -> InitiativeFilters:
    return InitiativeFilters(
        type=filters.type.value if filters.type else "",
        theme=filters.theme,
        country=filters.country,
        region=filters.region,
        implementer=filters.implementer,
        funder=filters.funder,
        sdg_target=filters.sdg_target,
        q=filters.q,
    )


@router.get("/map", response=list[MapCountryOut], summary="Count per country, for the map")
def initiative_map(request: HttpRequest, filters: Query[MapFiltersIn]) -> list[dict[str, Any]]:
    """Initiatives (every filter but the country), learning alliances (by their member
    organisations' countries; type and theme) or peers (by organisation, every theme) that
    you may see, per country, most first."""
    counts = country_counts(
        user=signed_in_user(request), measure=filters.measure, filters=_filters(filters)
    )
    rows = [{"country": c, "name": country_name(c), "count": n} for c, n in counts.items()]
    return sorted(rows, key=lambda r: (-r["count"], r["name"]))


@router.get("/proposals", response=list[InitiativeOut], summary="Proposals for the registry")
@paginate(Page)
def initiative_proposals(request: HttpRequest) -> QuerySet[Initiative]:
    """For facilitators (who review them): the proposals waiting for review. For everyone
    else: their own proposals that are not published (waiting, or declined)."""
    user = signed_in_user(request)
    if can_review_initiatives(user):
        return initiative_review_queue(user=user)
    return initiatives_proposed_by(user=user).prefetch_related(
        "countries", "implementers", "funders", "themes", "sdg_targets"
    )


def _organisations(ids: list[int], field: str) -> list[Organisation]:
    found = {o.id: o for o in Organisation.objects.filter(id__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError(
            {
                field: [
                    _("No such organisation: %(ids)s. Use ids from /api/v1/organisations.")
                    % {"ids": ", ".join(map(str, missing))}
                ]
            }
        )
    return [found[i] for i in ids]


@router.post(
    "/proposals",
    response={201: InitiativeDetailOut, 422: ValidationErrorOut},
    summary="Propose an initiative for the registry",
)
def initiative_proposal_create(request: HttpRequest, payload: InitiativeProposalIn) -> Status[Any]:
    """Any signed-in user may propose; a facilitator publishes it or declines it with a
    reason, and the proposer is e-mailed either way. Until then only the proposer and the
    facilitators see it."""
    user = signed_in_user(request)
    initiative = initiative_propose(
        proposer=user,
        site=site_url(request),
        name=payload.name,
        type=payload.type.value,
        summary=payload.summary,
        lessons=payload.lessons,
        themes=payload.themes,
        countries=[c.upper() for c in payload.countries],
        coverage=payload.coverage,
        implementers=_organisations(payload.implementers, "implementers"),
        funders=_organisations(payload.funders, "funders"),
        sdg_targets=payload.sdg_targets,
        started=payload.started,
        ended=payload.ended,
        links=[(_("Website"), payload.link)] if payload.link else [],
        visibility=payload.visibility,
    )
    return Status(201, initiative_detail(user=user, initiative=initiative))


@router.post(
    "/{slug}/review",
    response={200: InitiativeDetailOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Publish or decline a proposal",
)
def initiative_review(request: HttpRequest, slug: Slug, payload: InitiativeReviewIn) -> Any:
    """For facilitators: publish a proposal (public or platform) or decline it with a note
    the proposer reads. Anything but a proposal waiting for review is 404."""
    user = signed_in_user(request)
    initiative = access_initiative_for_review(user, slug)
    if payload.decision == "publish":
        initiative_publish(
            initiative=initiative,
            reviewer=user,
            visibility=payload.visibility or "",
            site=site_url(request),
        )
    else:
        initiative_decline(
            initiative=initiative, reviewer=user, note=payload.note, site=site_url(request)
        )
    return initiative_detail(user=user, initiative=initiative)


@router.get(
    "/{slug}", response={200: InitiativeDetailOut, 404: ErrorOut}, summary="Get an initiative"
)
def initiative(request: HttpRequest, slug: Slug) -> Initiative:
    user = signed_in_user(request)
    return initiative_detail(user=user, initiative=access_initiative_by_slug(user, slug))
