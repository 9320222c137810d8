"""JSON shapes of activities, feedback, action plans and calendars. Every field a request
carries is bounded."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime

from peerlearn.activities.models import ActivityKind, MilestoneStatus
from peerlearn.core.api import Id, NotBool, Slug

Likert = Annotated[int, Field(ge=1, le=5), NotBool]
MAX_PARTICIPANTS = 1000
MAX_COST = 1_000_000_000_000


class ActivityFiltersIn(Schema):
    alliance: Slug | None = Field(None, description="Only this alliance's activities (its slug).")
    upcoming: bool = Field(False, description="Only activities that have not ended.")


class _ActivityFieldsIn(Schema):
    kind: ActivityKind
    title: str = Field(min_length=1, max_length=200)
    starts_at: AwareDatetime = Field(description="With its UTC offset.")
    ends_at: AwareDatetime = Field(description="With its UTC offset.")
    time_zone: str = Field(
        "UTC", max_length=64, description="The IANA zone it is held in (Africa/Nairobi)."
    )
    place: str = Field("", max_length=300)
    link: str = Field("", max_length=500, description="An https address, for online activities.")
    agenda: str = Field("", max_length=20000)
    participants: list[Id] = Field(
        default_factory=list,
        max_length=MAX_PARTICIPANTS,
        description="User ids of alliance members to invite.",
    )
    cost_amount: float | None = Field(None, ge=0, le=MAX_COST)
    cost_currency: str = Field("", max_length=3, description="ISO 4217, e.g. KES.")


class ActivityCreateIn(_ActivityFieldsIn):
    alliance: Slug = Field(description="The alliance's slug.")


class ActivityUpdateIn(_ActivityFieldsIn):
    pass


class AttendanceIn(Schema):
    attended: list[Id] = Field(
        max_length=MAX_PARTICIPANTS, description="User ids of the participants who attended."
    )


class OutputIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    url: str = Field(min_length=1, max_length=500)


class FeedbackIn(Schema):
    usefulness: Likert
    relevance: Likert
    trust: Likert
    voice: Likert
    intention: Likert
    comment: str = Field("", max_length=5000)
    signed: bool = Field(False, description="Show your name to the facilitators.")


class ParticipantOut(Schema):
    user_id: int
    name: str | None = Field(description="Only where you may see their profile.")
    attended: bool | None = Field(description="Null until attendance is recorded.")


class OutputOut(Schema):
    id: int
    title: str
    url: str


class FeedbackSummaryOut(Schema):
    responses: int
    participants: int
    rate: float | None
    averages: dict[str, float | None] = Field(
        description=(
            "Null while one or two people have answered without signing: with the signed "
            "answers' scores, they would tell theirs."
        )
    )
    unsigned_withheld: bool = Field(
        description=(
            "The averages and the unsigned answers' comments are withheld until three "
            "people have answered without signing."
        )
    )


#: An answer's scores, for whoever may read them.
_SCORE = Field(description="Null in an unsigned answer: its scores count in the averages only.")


class FeedbackOut(Schema):
    usefulness: int | None = _SCORE
    relevance: int | None = _SCORE
    trust: int | None = _SCORE
    voice: int | None = _SCORE
    intention: int | None = _SCORE
    comment: str | None = Field(
        description=(
            "Null in an unsigned answer until three people have answered without signing, "
            "so that nobody's comment can be told apart."
        )
    )
    signed: bool
    author: str | None = Field(description="Only when signed (or your own).")
    updated_at: datetime | None = Field(
        description="Only when signed (or your own): when someone answered would tell who."
    )


class ActivityOut(Schema):
    id: int
    alliance: str = Field(description="The alliance's slug.")
    kind: ActivityKind
    kind_label: str
    title: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    status: str
    place: str
    link: str

    @staticmethod
    def resolve_alliance(obj: Any) -> str:
        return str(obj["alliance"] if isinstance(obj, dict) else obj.alliance.slug)

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj["kind_label"] if isinstance(obj, dict) else obj.get_kind_display())


class ActivityDetailOut(ActivityOut):
    agenda: str
    starts_local: datetime = Field(description="In the activity's time zone.")
    ends_local: datetime
    starts_yours: datetime = Field(description="In your time zone (calendar settings).")
    your_time_zone: str
    cost_amount: float | None
    cost_currency: str
    sequence: int
    participants: list[ParticipantOut]
    outputs: list[OutputOut]
    can_manage: bool
    can_give_feedback: bool
    outside_alliance_dates: Literal["before_start", "after_end"] | None = Field(
        description=(
            "It starts before the alliance's start date, or ends after its end date: a "
            "warning, not a refusal (an alliance's dates are its plan; a preparatory "
            "meeting or a follow-up may fall outside). Null within them."
        )
    )
    my_feedback: FeedbackOut | None


class ActivityFeedbackOut(Schema):
    """For the alliance's facilitators: the summary and every answer, unnamed unless
    signed."""

    summary: FeedbackSummaryOut
    answers: list[FeedbackOut]


class MilestoneIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    due_on: date
    status: MilestoneStatus = MilestoneStatus.NOT_STARTED
    evidence_url: str = Field("", max_length=500)


class MilestoneUpdateIn(Schema):
    status: MilestoneStatus
    evidence_url: str = Field("", max_length=500)
    due_on: date | None = None


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    status: MilestoneStatus
    overdue: bool
    evidence_url: str


class PlanActionIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    owner: Id | None = Field(None, description="User id of an alliance member.")


class PlanActionOut(Schema):
    id: int
    title: str
    owner: str | None = Field(description="Only where you may see their profile.")
    milestones: list[MilestoneOut]


class ActionPlanIn(Schema):
    alliance: Slug
    organisation: Id = Field(description="A member organisation's id.")
    title: str = Field(min_length=1, max_length=200)
    goal: str = Field("", max_length=5000)


class ActionPlanOut(Schema):
    id: int
    alliance: str
    organisation: str
    organisation_id: int
    title: str
    goal: str
    can_edit: bool
    actions: list[PlanActionOut]


class CalendarOut(Schema):
    feed_url: str = Field(description="Your secret calendar address (all your alliances).")
    alliance_feed_urls: dict[str, str] = Field(description="By alliance slug.")
    time_zone: str


class CalendarIn(Schema):
    time_zone: str = Field(max_length=64)
