"""The case library: case studies with their lessons, and resources (documents and links).

What you see follows the website: published items at their level; an alliance's items
only inside that alliance; your own submissions whatever their state. Facilitators'
items are published at once; other people's wait for a facilitator's review.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from peerlearn.access.base import NotFound
from peerlearn.access.initiatives import access_initiative_by_slug
from peerlearn.access.library import (
    access_case_by_id,
    access_case_for_edit,
    access_case_for_review,
    access_resource_by_id,
    access_resource_for_edit,
    access_resource_for_review,
    alliances_attachable_by,
)
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.api import Id, Page, signed_in_user
from peerlearn.core.http import site_url
from peerlearn.core.schemas import ErrorOut, ValidationErrorOut
from peerlearn.initiatives.models import Initiative, InitiativeStatus
from peerlearn.library.models import Case, Resource
from peerlearn.library.schemas import (
    CaseDetailOut,
    CaseIn,
    CaseOut,
    LibraryFiltersIn,
    ResourceDetailOut,
    ResourceFiltersIn,
    ResourceIn,
    ResourceOut,
    ReviewIn,
)
from peerlearn.library.selectors import (
    LibraryFilters,
    case_detail,
    case_list,
    published_cases,
    resource_detail,
    resource_list,
)
from peerlearn.library.services import (
    case_create,
    case_update,
    item_decline,
    item_publish,
    resource_create,
    resource_update,
)

router = Router(tags=["library"])

WRITE_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


def _filters(f: LibraryFiltersIn, type: str = "") -> LibraryFilters:
    return LibraryFilters(
        q=f.q, theme=f.theme, tag=f.tag.strip().lower(), country=f.country, type=type
    )


@router.get("/cases", response=list[CaseOut], summary="List case studies")
@paginate(Page)
def cases(request: HttpRequest, filters: Query[LibraryFiltersIn]) -> QuerySet[Case]:
    return case_list(user=signed_in_user(request), filters=_filters(filters))


@router.get(
    "/cases/{case_id}", response={200: CaseDetailOut, 404: ErrorOut}, summary="Get a case study"
)
def case(request: HttpRequest, case_id: Id) -> Case:
    user = signed_in_user(request)
    return case_detail(user=user, case=access_case_by_id(user, case_id))


def _initiative(user: User, slug: str | None) -> Initiative | None:
    if not slug:
        return None
    try:
        initiative = access_initiative_by_slug(user, slug)
    except NotFound:
        initiative = None
    if initiative is None or initiative.status != InitiativeStatus.PUBLISHED:
        raise ValidationError(
            {"initiative": [_("No such initiative: use a slug from /api/v1/initiatives.")]}
        )
    return initiative


def _alliance(user: User, slug: str | None) -> LearningAlliance | None:
    if not slug:
        return None
    alliance = alliances_attachable_by(user).filter(slug=slug).first()
    if alliance is None:
        raise ValidationError(
            {"alliance": [_("Choose a learning alliance you are a member of, or none.")]}
        )
    return alliance


def _case_fields(user: User, payload: CaseIn) -> dict[str, Any]:
    return {
        "title": payload.title,
        "summary": payload.summary,
        "body": payload.body,
        "lessons": payload.lessons,
        "themes": payload.themes,
        "countries": [c.upper() for c in payload.countries],
        "tags": payload.tags,
        "source": payload.source,
        "link": payload.link,
        "initiative": _initiative(user, payload.initiative),
        "alliance": _alliance(user, payload.alliance),
        "visibility": payload.visibility,
    }


@router.post(
    "/cases",
    response={201: CaseDetailOut, 422: ValidationErrorOut},
    summary="Add a case study",
)
def case_add(request: HttpRequest, payload: CaseIn) -> Status[Any]:
    """Facilitators publish at once; anyone else's case waits for a facilitator's review
    (``status``: proposed) and only its author and the reviewers see it meanwhile."""
    user = signed_in_user(request)
    created = case_create(author=user, site=site_url(request), **_case_fields(user, payload))
    return Status(201, case_detail(user=user, case=created))


@router.put(
    "/cases/{case_id}",
    response={200: CaseDetailOut, 403: ErrorOut, **WRITE_ERRORS},
    summary="Change a case study",
)
def case_change(request: HttpRequest, case_id: Id, payload: CaseIn) -> Case:
    """Its author and the facilitators who publish it; a change by anyone else who is not
    a publisher sends it back to review."""
    user = signed_in_user(request)
    item = access_case_for_edit(user, case_id)
    case_update(case=item, editor=user, site=site_url(request), **_case_fields(user, payload))
    return case_detail(user=user, case=item)


@router.get("/resources", response=list[ResourceOut], summary="List resources")
@paginate(Page)
def resources(request: HttpRequest, filters: Query[ResourceFiltersIn]) -> QuerySet[Resource]:
    user = signed_in_user(request)
    return resource_list(
        user=user, filters=_filters(filters, filters.type.value if filters.type else "")
    )


@router.get(
    "/resources/{resource_id}",
    response={200: ResourceDetailOut, 404: ErrorOut},
    summary="Get a resource",
)
def resource(request: HttpRequest, resource_id: Id) -> Resource:
    user = signed_in_user(request)
    return resource_detail(user=user, resource=access_resource_by_id(user, resource_id))


def _case(user: User, case_id: int | None) -> Case | None:
    if case_id is None:
        return None
    found = published_cases(user).filter(id=case_id).first()
    if found is None:
        raise ValidationError(
            {"case": [_("No such case study: use an id from /api/v1/library/cases.")]}
        )
    return found


def _resource_fields(user: User, payload: ResourceIn) -> dict[str, Any]:
    return {
        "title": payload.title,
        "type": payload.type.value,
        "description": payload.description,
        "url": payload.link,
        "themes": payload.themes,
        "tags": payload.tags,
        "case": _case(user, payload.case),
        "alliance": _alliance(user, payload.alliance),
        "visibility": payload.visibility,
    }


@router.post(
    "/resources",
    response={201: ResourceDetailOut, 422: ValidationErrorOut},
    summary="Add a resource",
)
def resource_add(request: HttpRequest, payload: ResourceIn) -> Status[Any]:
    """A resource needs its ``link`` here; a document's file is then uploaded with
    ``POST /library/resources/{id}/file`` (or the whole resource added on the website).
    Reviewed like cases."""
    user = signed_in_user(request)
    created = resource_create(
        author=user, site=site_url(request), **_resource_fields(user, payload)
    )
    return Status(201, resource_detail(user=user, resource=created))


@router.put(
    "/resources/{resource_id}",
    response={200: ResourceDetailOut, 403: ErrorOut, **WRITE_ERRORS},
    summary="Change a resource",
)
def resource_change(request: HttpRequest, resource_id: Id, payload: ResourceIn) -> Resource:
    user = signed_in_user(request)
    item = access_resource_for_edit(user, resource_id)
    resource_update(
        resource=item, editor=user, site=site_url(request), **_resource_fields(user, payload)
    )
    return resource_detail(user=user, resource=item)


@router.post(
    "/resources/{resource_id}/file",
    response={200: ResourceDetailOut, 403: ErrorOut, **WRITE_ERRORS},
    summary="Upload or replace a resource's file",
)
def resource_file_put(request: HttpRequest, resource_id: Id, file: File[UploadedFile]) -> Resource:
    """``multipart/form-data`` with the field ``file``: PDF, DOCX, XLSX, PPTX, ODT, CSV,
    TXT, PNG or JPG, checked by extension and content, at most
    ``PEERLEARN_LIBRARY_MAX_UPLOAD_MB`` (10) MB."""
    user = signed_in_user(request)
    item = access_resource_for_edit(user, resource_id)
    resource_update(
        resource=item,
        editor=user,
        site=site_url(request),
        title=item.title,
        type=item.type,
        description=item.description,
        url=item.url,
        upload=file,
        themes=[t.slug for t in item.themes.all()],
        tags=[t.name for t in item.tags.all()],
        case=item.case,
        alliance=item.alliance,
        visibility=item.visibility,
    )
    return resource_detail(user=user, resource=item)


@router.post(
    "/cases/{case_id}/review",
    response={200: CaseDetailOut, **WRITE_ERRORS},
    summary="Publish or decline a submitted case study",
)
def case_review(request: HttpRequest, case_id: Id, payload: ReviewIn) -> Case:
    """For the facilitators who review it; anything but a submission waiting for your
    review is 404."""
    user = signed_in_user(request)
    item = access_case_for_review(user, case_id)
    _decide(request, user, item, payload)
    return case_detail(user=user, case=item)


@router.post(
    "/resources/{resource_id}/review",
    response={200: ResourceDetailOut, **WRITE_ERRORS},
    summary="Publish or decline a submitted resource",
)
def resource_review(request: HttpRequest, resource_id: Id, payload: ReviewIn) -> Resource:
    user = signed_in_user(request)
    item = access_resource_for_review(user, resource_id)
    _decide(request, user, item, payload)
    return resource_detail(user=user, resource=item)


def _decide(request: HttpRequest, user: User, item: Case | Resource, payload: ReviewIn) -> None:
    if payload.decision == "publish":
        item_publish(item=item, reviewer=user, site=site_url(request))
    else:
        item_decline(item=item, reviewer=user, note=payload.note, site=site_url(request))
