"""Learning alliances: the list, one alliance as far as the viewer may see inside it, and
moving it through the Learning Guide's stages."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from peerlearn.access.alliances import (
    access_alliance_by_slug,
    access_alliance_for_manage,
)
from peerlearn.access.base import Viewer
from peerlearn.alliances.models import LearningAlliance
from peerlearn.alliances.schemas import (
    AllianceDetailOut,
    AllianceFiltersIn,
    AllianceOut,
    StageChangeIn,
)
from peerlearn.alliances.selectors import (
    AllianceFilters,
    alliance_detail,
    alliance_list,
)
from peerlearn.alliances.services import alliance_stage_change
from peerlearn.core.api import Page, Slug, signed_in_user
from peerlearn.core.http import site_url
from peerlearn.core.schemas import ErrorOut, ValidationErrorOut

router = Router(tags=["learning alliances"])


def _detail(user: Viewer, alliance: LearningAlliance) -> dict[str, Any]:
    detail = alliance_detail(user=user, alliance=alliance)
    a = detail.alliance
    members = detail.members
    languages = list(a.working_languages.all())
    funders = list(a.funders.all())
    organisations = list(a.member_organisations.all())
    return {
        "slug": a.slug,
        "name": a.name,
        "theme": a.theme,
        "type": a.type,
        "type_label": a.get_type_display(),
        "stage": a.stage,
        "stage_label": a.get_stage_display(),
        "visibility": a.visibility,
        "purpose": a.purpose,
        "working_languages": [language.code for language in languages],
        "funders": funders,
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
        "member_count": len(detail.memberships),
        "organisation_count": len(organisations),
        "initiative": detail.initiative,
        "organisations": organisations,
        "members": [
            {
                "name": str(membership.user),
                "role": membership.role,
                "role_label": membership.get_role_display(),
                "organisation": membership.user.organisation,
                "peer_id": peer_id,
                "joined_on": membership.joined_on,
            }
            for membership, peer_id in members.shown
        ],
        "hidden_member_count": members.hidden_count,
        "priorities": list(a.priorities.all()),
        "stage_history": [
            {
                "from_stage": view.change.from_stage,
                "to_stage": view.change.to_stage,
                "to_stage_label": view.change.get_to_stage_display(),
                "changed_at": view.change.changed_at,
                "changed_by": view.changed_by,
                "note": view.note,
            }
            for view in detail.stage_history
        ],
        "challenges": detail.challenges,
        "you": {"inside": detail.inside, "can_manage": detail.can_manage},
    }


@router.get("", response=list[AllianceOut], summary="List learning alliances")
@paginate(Page)
def alliances(
    request: HttpRequest, filters: Query[AllianceFiltersIn]
) -> QuerySet[LearningAlliance]:
    """The alliances you may see."""
    qs = alliance_list(
        user=signed_in_user(request),
        filters=AllianceFilters(
            theme=filters.theme,
            stage=int(filters.stage) if filters.stage is not None else None,
            type=filters.type.value if filters.type else "",
            mine=filters.mine,
        ),
    )
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    return qs


@router.get(
    "/{slug}", response={200: AllianceDetailOut, 404: ErrorOut}, summary="Get a learning alliance"
)
def alliance(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """The alliance with its organisations, priorities and stage history, and the members
    and challenges you may see."""
    user = signed_in_user(request)
    return _detail(user, access_alliance_by_slug(user, slug))


@router.post(
    "/{slug}/stage",
    response={200: AllianceDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Move a learning alliance to another stage",
)
def alliance_stage(request: HttpRequest, slug: Slug, payload: StageChangeIn) -> dict[str, Any]:
    """For the alliance's facilitators. Stages may be revisited, but not skipped forward:
    each move is recorded with who made it and why."""
    user = signed_in_user(request)
    alliance = access_alliance_for_manage(user, slug)
    alliance_stage_change(
        alliance=alliance,
        stage=int(payload.stage),
        changed_by=user,
        note=payload.note,
        site_url=site_url(request),
    )
    return _detail(user, alliance)
