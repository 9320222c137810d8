"""The registry of peer-learning initiatives: a map of the peer-to-peer space."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from peerlearn.access.initiatives import access_initiative_by_slug
from peerlearn.core.api import Page, Slug, signed_in_user
from peerlearn.core.schemas import ErrorOut
from peerlearn.initiatives.models import Initiative
from peerlearn.initiatives.schemas import InitiativeDetailOut, InitiativeFiltersIn, InitiativeOut
from peerlearn.initiatives.selectors import InitiativeFilters, initiative_detail, initiative_list

router = Router(tags=["initiatives"])


@router.get("", response=list[InitiativeOut], summary="List initiatives")
@paginate(Page)
def initiatives(request: HttpRequest, filters: Query[InitiativeFiltersIn]) -> QuerySet[Initiative]:
    return initiative_list(
        user=signed_in_user(request),
        filters=InitiativeFilters(
            type=filters.type.value if filters.type else "",
            theme=filters.theme,
            country=filters.country,
            q=filters.q,
        ),
    )


@router.get(
    "/{slug}", response={200: InitiativeDetailOut, 404: ErrorOut}, summary="Get an initiative"
)
def initiative(request: HttpRequest, slug: Slug) -> Initiative:
    user = signed_in_user(request)
    return initiative_detail(user=user, initiative=access_initiative_by_slug(user, slug))
