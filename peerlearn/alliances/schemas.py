"""JSON shapes of learning alliances."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from peerlearn.access.visibility import Visibility
from peerlearn.alliances.models import (
    AllianceStage,
    LearningAlliance,
    MemberRole,
    RiskKind,
)
from peerlearn.core.api import Id, NotBool, SearchText, ThemeFilter
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
    closed_on: date | None = Field(
        description="The day a facilitator closed the alliance; null while it runs."
    )
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
    closing_note: str | None = Field(
        description="What the closed alliance achieved or why it stopped; shown only inside it."
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
    confirm_open_questions: bool = Field(
        False,
        description=(
            "Move on although questions of the current stage are still open (refused with "
            "422 on `confirm_open` otherwise)."
        ),
    )


class CloseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(
        "", max_length=2000, description="What the alliance achieved, or why it stops now."
    )
    confirm_open_questions: bool = Field(
        False,
        description=(
            "Close although questions of the current stage are still open (refused with 422 "
            "on `confirm_open` otherwise)."
        ),
    )


class ReopenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=2000, description="Why the alliance reopens.")


# --- running an alliance ---------------------------------------------------------------

LanguageCode = Annotated[str, Field(min_length=2, max_length=3)]
ThemeSlug = Annotated[str, Field(min_length=1, max_length=80)]


class AllianceIn(Schema):
    """A new alliance; you become its first facilitator."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    theme: ThemeSlug = Field(description="Theme slug.")
    type: PartnershipType = PartnershipType.TYPE_II
    purpose: str = Field(min_length=1, max_length=5000)
    working_languages: list[LanguageCode] = Field(
        min_length=1, max_length=20, description="ISO 639-1 codes."
    )
    starts_on: date | None = None
    ends_on: date | None = None
    visibility: Visibility = Visibility.PLATFORM
    initiative: str | None = Field(None, max_length=80, description="Initiative slug.")
    funders: list[Id] = Field([], max_length=50, description="Organisation ids.")


class AlliancePatchIn(Schema):
    """The fields to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    theme: ThemeSlug | None = None
    type: PartnershipType | None = None
    purpose: str | None = Field(None, min_length=1, max_length=5000)
    working_languages: list[LanguageCode] | None = Field(None, min_length=1, max_length=20)
    starts_on: date | None = None
    ends_on: date | None = None
    visibility: Visibility | None = None
    initiative: str | None = Field(None, max_length=80, description='Initiative slug; "" unlinks.')
    funders: list[Id] | None = Field(None, max_length=50, description="Organisation ids.")


class ManagedMemberOut(Schema):
    """A member; who they are is null where their peer profile is not shared with you."""

    id: int = Field(description="The membership's id.")
    user_id: int | None
    name: str | None
    email: str | None
    organisation: OrganisationRef | None
    role: MemberRole
    role_label: str
    joined_on: date | None
    invited_as: str | None = Field(
        None,
        description="For a member whose profile is not shared with you who joined by an "
        "invitation you may read: the name and address that invitation was sent to.",
    )


class InvitationOut(Schema):
    id: int
    email: str = Field(
        description="The address invited; empty for someone invited from the directory, "
        "whose address on the platform is not shown."
    )
    name: str
    role: MemberRole
    source: str
    invited_by: str | None
    created_at: datetime


class MembersOut(Schema):
    """The alliance's people, for its facilitators."""

    members: list[ManagedMemberOut]
    invitations: list[InvitationOut] = Field(description="Open invitations.")


class MemberAddIn(Schema):
    model_config = ConfigDict(extra="forbid")

    user_id: Id = Field(description="A person from the directory (`GET .../directory`).")
    role: MemberRole = MemberRole.PEER


class MemberRoleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    role: MemberRole


class LeaveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    successor_membership_id: Id | None = Field(
        None, description="The member who takes over, when you are the only facilitator."
    )


class InviteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254)
    name: str = Field("", max_length=200)
    role: MemberRole = MemberRole.PEER


class InviteOut(Schema):
    sent: bool = Field(description="False when the address was a member or invited already.")
    invitation: InvitationOut | None


class CohortIn(Schema):
    model_config = ConfigDict(extra="forbid")

    filename: str = Field(min_length=5, max_length=200, description="Ends in .csv or .xlsx.")
    content_base64: str = Field(
        min_length=1, max_length=2_800_000, description="The file, base64-encoded (2 MB at most)."
    )


class CohortOut(Schema):
    invited: list[str]
    already_invited: list[str]
    already_members: list[str]


class AcceptIn(Schema):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=10, max_length=300, description="From the invitation's link.")


class PersonOut(Schema):
    id: int
    name: str
    organisation: OrganisationRef | None


class DirectoryIn(Schema):
    q: SearchText = Field("", description="Two letters at least.")


class PriorityIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=2000)


class PriorityDetailOut(Schema):
    id: int
    title: str
    description: str
    position: int


class MoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    direction: Literal["up", "down"]


class ChecklistItemOut(Schema):
    key: str
    text: str
    answer: str
    answered_by: str | None
    updated_at: datetime | None


class ChecklistStageOut(Schema):
    stage: int
    label: str
    current: bool
    open_count: int
    items: list[ChecklistItemOut]


class ChecklistOut(Schema):
    """The Learning Guide's questions for each stage, with the alliance's answers."""

    stage: int = Field(description=STAGES_HELP)
    can_edit: bool
    stages: list[ChecklistStageOut]


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=40, description="The question's key.")
    answer: str = Field(max_length=5000, description="Empty clears the answer.")


class AnswersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: list[AnswerIn] = Field(max_length=40)


class RiskNoteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: RiskKind
    title: str = Field(min_length=1, max_length=200)
    body: str = Field("", max_length=5000)


class RiskNoteOut(Schema):
    id: int
    kind: RiskKind
    kind_label: str
    title: str
    body: str
    written_by: str | None
    created_at: datetime
    updated_at: datetime


class HistoryOut(Schema):
    when: datetime
    actor: str
    text: str


class OrganisationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organisation_id: Id
