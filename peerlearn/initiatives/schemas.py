"""JSON shapes of the initiatives registry."""

from typing import Any

from ninja import Field, Schema

from peerlearn.core.api import CountryFilter, SearchText, ThemeFilter
from peerlearn.core.choices import PartnershipType
from peerlearn.core.schemas import AllianceRef, OrganisationRef, ThemeRef
from peerlearn.initiatives.models import Initiative


class InitiativeOut(Schema):
    slug: str
    name: str
    type: PartnershipType = Field(description="I: knowledge transfer; II: common challenges.")
    type_label: str
    countries: list[str] = Field(description="ISO 3166-1 alpha-2 codes.")
    coverage: str
    implementers: list[OrganisationRef]
    funders: list[OrganisationRef]
    themes: list[ThemeRef]
    summary: str
    started: int | None
    ended: int | None

    @staticmethod
    def resolve_type_label(obj: Initiative) -> str:
        return str(obj.get_type_display())

    @staticmethod
    def resolve_countries(obj: Initiative) -> list[str]:
        return [country.code for country in obj.countries.all()]


class LinkOut(Schema):
    label: str
    url: str


class InitiativeDetailOut(InitiativeOut):
    lessons: str
    links: list[LinkOut]
    alliances: list[AllianceRef] = Field(description="Learning alliances you may see.")

    @staticmethod
    def resolve_alliances(obj: Any) -> list[Any]:
        # Prefetched through the access layer by the selector.
        return list(obj.alliances.all())


class InitiativeFiltersIn(Schema):
    type: PartnershipType | None = Field(None, description="I or II.")
    theme: ThemeFilter = Field("", description="Theme slug.")
    country: CountryFilter = Field("", description="ISO 3166-1 alpha-2 code.")
    q: SearchText = Field("", description="Words in the name or summary.")
