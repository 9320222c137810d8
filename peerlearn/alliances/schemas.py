"""JSON shapes of learning alliances."""

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict

from peerlearn.access.visibility import Visibility
from peerlearn.alliances.models import AllianceStage, LearningAlliance
from peerlearn.core.api import NotBool, SearchText, ThemeFilter
from peerlearn.core.choices import PartnershipType
from peerlearn.core.schemas import OrganisationRef, ThemeRef
from peerlearn.peers.schemas import AllianceStatementOut

STAGES_HELP = (
    "Stage of the EIP Peer-to-Peer Learning Guide: 0 pre-assessment, 1 foundational peer "
    "group engagement, 2 sustained contact between individuals, 3 learning outcomes, "
    "4 learning applied at scale."
)


class _AllianceFields(Schema):
    slug: str
    name: str
    theme: ThemeRef
    type: PartnershipType = Field(description="I: knowledge transfer; II: common challenges.")
    type_label: str
    stage: int = Field(description=STAGES_HELP)
    stage_label: str
    visibility: Visibility
    purpose: str
    working_languages: list[str] = Field(description="ISO 639-1 codes.")
    funders: list[OrganisationRef]
    starts_on: date | None
    ends_on: date | None
    member_count: int
    organisation_count: int


class AllianceOut(_AllianceFields):
    """An alliance as listed."""

    @staticmethod
    def resolve_type_label(obj: LearningAlliance) -> str:
        return str(obj.get_type_display())

    @staticmethod
    def resolve_stage_label(obj: LearningAlliance) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_working_languages(obj: LearningAlliance) -> list[str]:
        return [language.code for language in obj.working_languages.all()]

    @staticmethod
    def resolve_member_count(obj: Any) -> int:
        return int(obj.n_members)

    @staticmethod
    def resolve_organisation_count(obj: Any) -> int:
        return int(obj.n_organisations)


class InitiativeRef(Schema):
    slug: str
    name: str


class MemberOrganisationOut(Schema):
    organisation: OrganisationRef
    joined_on: date | None


class MemberOut(Schema):
    name: str
    role: str
    role_label: str
    organisation: OrganisationRef | None
    peer_id: int | None = Field(description="Their peer profile, if you may see it.")
    joined_on: date | None


class PriorityOut(Schema):
    title: str
    description: str


class StageChangeOut(Schema):
    from_stage: int | None
    to_stage: int
    to_stage_label: str
    changed_at: datetime
    changed_by: str | None = Field(description="Null unless you can see that member.")
    note: str | None = Field(description="Why; shown only inside the alliance.")


class ViewerOut(Schema):
    inside: bool = Field(description="You are inside the alliance's safe space.")
    can_manage: bool = Field(description="You may change its stage.")


class AllianceDetailOut(_AllianceFields):
    """One alliance, as far as the viewer may see inside it (built by the endpoint)."""

    initiative: InitiativeRef | None = Field(description="Null if none, or not visible to you.")
    organisations: list[MemberOrganisationOut]
    members: list[MemberOut] = Field(description="The members you may see.")
    hidden_member_count: int = Field(description="Members not shown to you.")
    priorities: list[PriorityOut] = Field(description="Priority reform areas.")
    stage_history: list[StageChangeOut] = Field(description="Newest first.")
    challenges: list[AllianceStatementOut] = Field(
        description="Challenges raised in the alliance that you may see (the pre-assessment)."
    )
    you: ViewerOut


class AllianceFiltersIn(Schema):
    theme: ThemeFilter = Field("", description="Theme slug.")
    stage: AllianceStage | None = Field(None, description=STAGES_HELP)
    type: PartnershipType | None = Field(None, description="I or II.")
    mine: bool = Field(False, description="Only alliances you are a member of.")
    q: SearchText = Field("", description="Part of the name.")


class StageChangeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    stage: Annotated[AllianceStage, NotBool] = Field(description=STAGES_HELP)
    note: str = Field("", max_length=2000, description="Why the alliance moves on (or back).")
