"""JSON shapes of the initiatives registry."""

from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from peerlearn.core.api import CountryFilter, Id, RegionFilter, SearchText, ThemeFilter
from peerlearn.core.choices import PartnershipType
from peerlearn.core.schemas import AllianceRef, OrganisationRef, ThemeRef
from peerlearn.initiatives.models import Initiative

ThemeSlug = Annotated[str, Field(min_length=1, max_length=60)]
CountryCode = Annotated[str, Field(min_length=2, max_length=2)]
SDGCode = Annotated[str, Field(min_length=1, max_length=8)]


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
    sdg_targets: list[str] = Field(description="SDG target codes, e.g. 16.6.")
    status: str = Field(description="published, proposed (waiting for review) or declined.")
    summary: str
    started: int | None
    ended: int | None

    @staticmethod
    def resolve_sdg_targets(obj: Initiative) -> list[str]:
        return [t.code for t in obj.sdg_targets.all()]

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
    region: RegionFilter = Field("", description="UN M49 region or sub-region code.")
    implementer: Id | None = Field(None, description="Id of an implementing organisation.")
    funder: Id | None = Field(None, description="Id of a funding organisation.")
    sdg_target: str = Field("", max_length=8, description="SDG target code, e.g. 16.6.")
    q: SearchText = Field("", description="Words in the name or summary.")


class MapFiltersIn(InitiativeFiltersIn):
    measure: Literal["initiatives", "alliances", "peers"] = Field(
        "initiatives", description="What is counted per country."
    )


class MapCountryOut(Schema):
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    name: str
    count: int


class InitiativeProposalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    type: PartnershipType
    summary: str = Field(min_length=1, max_length=5000)
    lessons: str = Field("", max_length=5000)
    themes: list[ThemeSlug] = Field(min_length=1, max_length=20, description="Theme slugs.")
    countries: list[CountryCode] = Field([], max_length=200, description="ISO alpha-2 codes.")
    coverage: str = Field("", max_length=200)
    implementers: list[Id] = Field(min_length=1, max_length=20, description="Organisation ids.")
    funders: list[Id] = Field([], max_length=20, description="Organisation ids.")
    sdg_targets: list[SDGCode] = Field([], max_length=30, description="SDG target codes.")
    started: int | None = Field(None, ge=1950, le=2100)
    ended: int | None = Field(None, ge=1950, le=2100)
    link: str = Field("", max_length=500, description="An address to read more.")
    visibility: Literal["public", "platform"] = Field("public", description="Once published.")


class InitiativeReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["publish", "decline"]
    visibility: Literal["public", "platform"] | None = Field(None, description="To publish.")
    note: str = Field("", max_length=2000, description="Why it is declined (required then).")
