"""Organisations: the ministries, parliaments, counties and agencies peers come from."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from peerlearn.access.base import NotFound
from peerlearn.core.api import Id, Page, signed_in_user
from peerlearn.core.schemas import ErrorOut
from peerlearn.organisations.models import Organisation
from peerlearn.organisations.schemas import (
    OrganisationDetailOut,
    OrganisationFiltersIn,
    OrganisationOut,
)
from peerlearn.organisations.selectors import (
    OrganisationFilters,
    organisation_list,
    organisation_visible_peer_count,
)

router = Router(tags=["organisations"])


@router.get("", response=list[OrganisationOut], summary="List organisations")
@paginate(Page)
def organisations(
    request: HttpRequest, filters: Query[OrganisationFiltersIn]
) -> QuerySet[Organisation]:
    return organisation_list(
        filters=OrganisationFilters(
            country=filters.country,
            type=filters.type.value if filters.type else "",
            q=filters.q,
        )
    )


@router.get(
    "/{int:organisation_id}",
    response={200: OrganisationDetailOut, 404: ErrorOut},
    summary="Get an organisation",
)
def organisation(request: HttpRequest, organisation_id: Id) -> Organisation:
    found = Organisation.objects.select_related("country").filter(id=organisation_id).first()
    if found is None:
        raise NotFound(_("No such organisation."))
    found.visible_peer_count = organisation_visible_peer_count(  # type: ignore[attr-defined]
        user=signed_in_user(request), organisation=found
    )
    return found
