"""JSON shapes of peers, their challenges (demand) and experiences (supply).

Other people's profiles never show their e-mail address, user name, gender or visibility
setting: gender is kept for aggregate, gender-balanced matching and appears only on one's
own profile (``/peers/me``)."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from peerlearn.access.visibility import Visibility
from peerlearn.core.api import (
    CountryFilter,
    Id,
    LanguageFilter,
    RegionFilter,
    SearchText,
    Stage,
    ThemeFilter,
)
from peerlearn.core.schemas import AllianceRef, OrganisationRef, ThemeRef
from peerlearn.peers.models import PeerProfile

# --- output ------------------------------------------------------------------------------


class PeerRef(Schema):
    """A peer as other resources point at them."""

    id: int
    name: str
    organisation: OrganisationRef | None

    @staticmethod
    def resolve_name(obj: PeerProfile) -> str:
        return str(obj.user)  # "a former member" once the account is erased

    @staticmethod
    def resolve_organisation(obj: PeerProfile) -> Any:
        return obj.user.organisation


class _StatementCore(Schema):
    id: int
    title: str
    description: str
    theme: ThemeRef
    visibility: Visibility
    created_at: datetime
    updated_at: datetime


class StatementBriefOut(_StatementCore):
    """A challenge or an experience, as listed under its author."""

    alliance: AllianceRef | None = Field(
        description="The learning alliance it was raised in; null if none, or if you may "
        "not see that alliance."
    )

    @staticmethod
    def resolve_alliance(obj: Any) -> Any:
        # Not annotated means not checked: hide rather than risk naming a closed alliance.
        return obj.alliance if getattr(obj, "alliance_visible", False) else None


class StatementOut(StatementBriefOut):
    peer: PeerRef


class AllianceStatementOut(_StatementCore):
    """A challenge or an experience, as listed under the alliance it was raised in."""

    peer: PeerRef


class PeerOut(Schema):
    id: int
    name: str
    position: str
    organisation: OrganisationRef | None
    country: str | None = Field(description="ISO 3166-1 alpha-2 of the peer's organisation.")
    seniority: int = Field(description="1 (entry level) to 5 (executive or political).")
    seniority_label: str
    reform_stage: int = Field(
        description="Stage in the reform cycle: 1 identifying, 2 designing, 3 piloting, "
        "4 implementing at scale, 5 consolidated."
    )
    reform_stage_label: str
    languages: list[str] = Field(description="ISO 639-1 codes of working languages.")
    reform_areas: list[ThemeRef]
    authorised: bool = Field(description="Whether the home organisation has authorised them.")

    @staticmethod
    def resolve_name(obj: PeerProfile) -> str:
        return str(obj.user)  # "a former member" once the account is erased

    @staticmethod
    def resolve_organisation(obj: PeerProfile) -> Any:
        return obj.user.organisation

    @staticmethod
    def resolve_country(obj: PeerProfile) -> str | None:
        organisation = obj.user.organisation
        return organisation.country_id if organisation is not None else None

    @staticmethod
    def resolve_seniority_label(obj: PeerProfile) -> str:
        return str(obj.get_seniority_display())

    @staticmethod
    def resolve_reform_stage_label(obj: PeerProfile) -> str:
        return str(obj.get_reform_stage_display())

    @staticmethod
    def resolve_languages(obj: PeerProfile) -> list[str]:
        return [language.code for language in obj.languages.all()]

    @staticmethod
    def resolve_reform_areas(obj: PeerProfile) -> list[Any]:
        return list(obj.reform_areas.all())


class PeerDetailOut(PeerOut):
    bio: str
    challenges: list[StatementBriefOut] = Field(description="Those you may see.")
    experiences: list[StatementBriefOut] = Field(description="Those you may see.")

    # The endpoint attaches the lists the access layer allows; the model's own related
    # managers would hold everything, so they are never read here.
    @staticmethod
    def resolve_challenges(obj: Any) -> list[Any]:
        return list(getattr(obj, "visible_challenges", []))

    @staticmethod
    def resolve_experiences(obj: Any) -> list[Any]:
        return list(getattr(obj, "visible_experiences", []))


class AuthorisationOut(Schema):
    id: int
    status: str
    authoriser: str
    scope: str
    requested_at: datetime
    decided_on: date | None

    @staticmethod
    def resolve_authoriser(obj: Any) -> str:
        return str(obj.authoriser)


class AuthorisationDetailOut(AuthorisationOut):
    """A request as the peer who made it and the authoriser who decides it see it."""

    peer: PeerRef
    note: str


class AuthoriserOut(Schema):
    id: int
    name: str


class AuthorisationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    authoriser: Id = Field(
        description="An authoriser of your own organisation: see /authorisations/authorisers."
    )
    scope: str = Field(
        min_length=1,
        max_length=2000,
        description="What you ask to be authorised for, e.g. an alliance and what you may share.",
    )


class AuthorisationDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: Literal["granted", "declined", "revoked"] = Field(
        description="granted or declined for a request; revoked for a granted authorisation."
    )
    note: str = Field("", max_length=2000)


class MyProfileOut(PeerDetailOut):
    """One's own profile: everything, including what others never see."""

    username: str
    email: str
    gender: str
    visibility: Visibility
    authorisations: list[AuthorisationOut]

    @staticmethod
    def resolve_username(obj: PeerProfile) -> str:
        return obj.user.username

    @staticmethod
    def resolve_email(obj: PeerProfile) -> str:
        return obj.user.email

    @staticmethod
    def resolve_authorisations(obj: Any) -> list[Any]:
        return list(getattr(obj, "visible_authorisations", []))


# --- input -------------------------------------------------------------------------------


class PeerFiltersIn(Schema):
    """The directory's filters."""

    country: CountryFilter = Field("", description="ISO 3166-1 alpha-2 code, e.g. KE.")
    region: RegionFilter = Field("", description="UN M49 region or sub-region, e.g. 002.")
    theme: ThemeFilter = Field(
        "", description="Theme slug: a reform area, challenge or experience of the peer."
    )
    stage: int | None = Field(None, ge=1, le=5, description="Stage in the reform cycle, 1–5.")
    language: LanguageFilter = Field("", description="ISO 639-1 code, e.g. fr.")
    q: SearchText = Field("", description="Words in the name, position or organisation.")


class MyProfilePatchIn(Schema):
    """Change any of these; fields left out (or null) stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=150)
    organisation: Id | None = Field(None, description="Id of an organisation.")
    position: str | None = Field(None, min_length=1, max_length=200)
    seniority: Stage | None = Field(None, description="1 (entry) to 5 (executive).")
    reform_stage: Stage | None = Field(None, description="1 to 5, see PeerOut.")
    gender: str | None = Field(
        None, max_length=50, description="Optional, self-described; empty to remove."
    )
    bio: str | None = Field(None, max_length=5000)
    visibility: Visibility | None = Field(None, description="Who may see your profile.")
    languages: list[Annotated[str, Field(max_length=100)]] | None = Field(
        None, min_length=1, max_length=20, description='ISO 639-1 codes, e.g. ["en", "fr"].'
    )
    reform_areas: list[Annotated[str, Field(max_length=60)]] | None = Field(
        None, max_length=20, description="Theme slugs."
    )


class StatementFiltersIn(Schema):
    theme: ThemeFilter = Field("", description="Theme slug.")
    country: CountryFilter = Field(
        "", description="ISO 3166-1 alpha-2 of the author's organisation."
    )
    alliance: str = Field("", max_length=80, description="Slug of a learning alliance.")
    peer: Id | None = Field(None, description="Id of the author's peer profile.")
    mine: bool = Field(False, description="Only your own.")
    q: SearchText = Field("", description="Words in the title or description.")


class StatementIn(Schema):
    model_config = ConfigDict(extra="forbid")

    theme: str = Field(min_length=1, max_length=60, description="Theme slug, see /themes.")
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=10000)
    visibility: Visibility = Field(Visibility.PLATFORM, description="Who may see it.")
    alliance: str | None = Field(
        None,
        max_length=80,
        description="Slug of a learning alliance you belong to, if it was raised there.",
    )


class StatementPatchIn(Schema):
    """Change any of these; fields left out stay as they are. ``alliance: null`` unlinks."""

    model_config = ConfigDict(extra="forbid")

    theme: str | None = Field(None, min_length=1, max_length=60)
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, min_length=1, max_length=10000)
    visibility: Visibility | None = None
    alliance: str | None = Field(None, max_length=80)
