"""Reference data endpoints, and the pieces every app's endpoints share: paging and the
validated filter types whose errors name the query parameter and the fix."""

from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from peerlearn.access.base import NotFound
from peerlearn.accounts.models import User
from peerlearn.core.models import Country, Language, SDGTarget, Theme
from peerlearn.core.schemas import CountryOut, LanguageOut, SDGTargetOut, ThemeOut
from peerlearn.core.validators import normalise_country_code, normalise_language_code

MAX_PAGE_SIZE = 300
# Every integer and string the API takes is bounded (the OpenAPI schema says so, and a test
# checks it): ids fit the database's 64-bit keys, offsets stay far below overflow.
MAX_ID = 2**63 - 1
MAX_OFFSET = 1_000_000_000


def _not_a_bool(value: Any) -> Any:
    # JSON true and false are not the numbers 1 and 0.
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer, not true or false")
    return value


NotBool = BeforeValidator(_not_a_bool)
Id = Annotated[int, Field(ge=1, le=MAX_ID), NotBool]
Slug = Annotated[str, Field(min_length=1, max_length=80)]
Stage = Annotated[int, Field(ge=1, le=5), NotBool]  # a reform stage or seniority level


def signed_in_user(request: HttpRequest) -> User:
    """The user the API authenticated (by bearer key or session)."""
    return request.auth  # type: ignore[attr-defined,no-any-return]


class Page(LimitOffsetPagination):
    """``?limit=&offset=`` paging; the answer states the total ``count`` across all pages."""

    class Input(Schema):
        limit: int = Field(
            settings.PEERLEARN_PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"How many items to return, 1–{MAX_PAGE_SIZE}.",
        )
        offset: int = Field(
            0, ge=0, le=MAX_OFFSET, description=f"How many items to skip, 0–{MAX_OFFSET:_}."
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="How many items match, on all pages together.")
        limit: int
        offset: int

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        offset, limit = pagination.offset, pagination.limit
        return {
            "items": queryset[offset : offset + limit],
            "count": queryset.count(),
            "limit": limit,
            "offset": offset,
        }


# --- filter parameters -------------------------------------------------------------------
# Each raises a pydantic error so that ninja reports it as 422 at ["query", <parameter>],
# with the same message the services give for the same mistake in a body.


def _error(kind: str, message: str) -> PydanticCustomError:
    # The message goes in as context, never as the template, so braces in user input
    # cannot be mistaken for placeholders.
    return PydanticCustomError(kind, "{message}", {"message": message})


def _country_code(value: str) -> str:
    if not value:
        return ""
    try:
        return normalise_country_code(value)
    except DjangoValidationError as e:
        raise _error("unknown_country", e.messages[0]) from e


def _language_code(value: str) -> str:
    if not value:
        return ""
    try:
        return normalise_language_code(value)
    except DjangoValidationError as e:
        raise _error("unknown_language", e.messages[0]) from e


def _theme_slug(value: str) -> str:
    if not value:
        return ""
    if not Theme.objects.filter(slug=value).exists():
        raise _error(
            "unknown_theme",
            _("Unknown theme “%(slug)s”: choose one of the themes listed at /api/v1/themes.")
            % {"slug": value},
        )
    return value


def _region_code(value: str) -> str:
    if not value:
        return ""
    if not Country.objects.filter(Q(region=value) | Q(subregion=value)).exists():
        raise _error(
            "unknown_region",
            _(
                "Unknown region “%(value)s”: use a UN M49 region or sub-region code such as "
                "002 (Africa) or 014 (Eastern Africa), as listed at /api/v1/countries."
            )
            % {"value": value},
        )
    return value


CountryFilter = Annotated[str, Field(max_length=100), AfterValidator(_country_code)]
LanguageFilter = Annotated[str, Field(max_length=100), AfterValidator(_language_code)]
ThemeFilter = Annotated[str, Field(max_length=60), AfterValidator(_theme_slug)]
RegionFilter = Annotated[str, Field(max_length=3), AfterValidator(_region_code)]
SearchText = Annotated[str, Field(max_length=200)]


# --- reference data ----------------------------------------------------------------------

router = Router(tags=["reference data"])


class CountryFilters(Schema):
    region: RegionFilter = Field("", description="UN M49 region or sub-region code.")
    in_use: bool = Field(False, description="Only countries with at least one organisation.")
    q: SearchText = Field("", description="Part of the English name or the ISO code.")


@router.get("/countries", response=list[CountryOut], summary="List countries")
@paginate(Page)
def country_list(request: HttpRequest, filters: Query[CountryFilters]) -> QuerySet[Country]:
    """ISO 3166-1 countries with their UN M49 region, named in the request's language."""
    qs = Country.objects.all()
    if filters.region:
        qs = qs.filter(Q(region=filters.region) | Q(subregion=filters.region))
    if filters.in_use:
        qs = qs.filter(organisations__isnull=False).distinct()
    if filters.q:
        qs = qs.filter(
            Q(name__icontains=filters.q) | Q(code__iexact=filters.q) | Q(alpha_3__iexact=filters.q)
        )
    return qs.order_by("name")


@router.get("/countries/{code}", response=CountryOut, summary="Get a country")
def country_get(request: HttpRequest, code: Annotated[str, Field(max_length=100)]) -> Country:
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise NotFound(_("No such country: use an ISO 3166-1 alpha-2 code such as KE."))
    return country


class LanguageFilters(Schema):
    q: SearchText = Field("", description="Part of the English name, or the ISO code.")


@router.get("/languages", response=list[LanguageOut], summary="List languages")
@paginate(Page)
def language_list(request: HttpRequest, filters: Query[LanguageFilters]) -> QuerySet[Language]:
    """ISO 639-1 languages: the codes peers and alliances give as working languages."""
    qs = Language.objects.all()
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(code__iexact=filters.q))
    return qs.order_by("name")


@router.get("/themes", response=list[ThemeOut], summary="List themes")
@paginate(Page)
def theme_list(request: HttpRequest) -> QuerySet[Theme]:
    """The reform themes challenges, experiences, alliances and initiatives share, with the
    SDG targets each contributes to."""
    return Theme.objects.prefetch_related("sdg_targets").order_by("name")


@router.get("/themes/{slug}", response=ThemeOut, summary="Get a theme")
def theme_get(request: HttpRequest, slug: Slug) -> Theme:
    theme = Theme.objects.prefetch_related("sdg_targets").filter(slug=slug).first()
    if theme is None:
        raise NotFound(_("No such theme: the themes are listed at /api/v1/themes."))
    return theme


class SDGTargetFilters(Schema):
    goal: int | None = Field(None, ge=1, le=17, description="Only this goal's targets.")


@router.get("/sdg-targets", response=list[SDGTargetOut], summary="List SDG targets")
@paginate(Page)
def sdg_target_list(request: HttpRequest, filters: Query[SDGTargetFilters]) -> QuerySet[SDGTarget]:
    """The targets of SDG 16 (effective, accountable, transparent institutions) and the few
    others themes point at."""
    qs = SDGTarget.objects.all()
    if filters.goal is not None:
        qs = qs.filter(goal=filters.goal)
    return qs.order_by("goal", "position")
