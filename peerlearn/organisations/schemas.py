"""JSON shapes of organisations."""

from ninja import Field, Schema

from peerlearn.core.api import CountryFilter, SearchText
from peerlearn.core.schemas import OrganisationRef
from peerlearn.organisations.models import Organisation, OrganisationType


class OrganisationOut(OrganisationRef):
    type_label: str
    country_name: str | None
    website: str

    @staticmethod
    def resolve_type_label(obj: Organisation) -> str:
        return str(obj.get_type_display())

    @staticmethod
    def resolve_country_name(obj: Organisation) -> str | None:
        return obj.country.display_name if obj.country is not None else None


class OrganisationDetailOut(OrganisationOut):
    description: str
    visible_peer_count: int = Field(description="How many of its peers you may see.")


class OrganisationFiltersIn(Schema):
    country: CountryFilter = Field("", description="ISO 3166-1 alpha-2 code.")
    type: OrganisationType | None = Field(None, description="Organisation type.")
    q: SearchText = Field("", description="Part of the name, or the exact acronym.")
