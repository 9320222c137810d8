"""JSON shapes of the signed-in account and its API tokens."""

from datetime import datetime

from ninja import Field, Schema

from peerlearn.accounts.models import User
from peerlearn.core.schemas import OrganisationRef


class AccountOut(Schema):
    """The signed-in user's own account. Only ever about oneself: other users appear in
    the API by name and organisation only."""

    id: int
    username: str
    name: str
    email: str
    role: str = Field(description="peer, facilitator, authoriser, funder or admin.")
    organisation: OrganisationRef | None
    preferred_language: str
    email_verified: bool = Field(
        description="False after sign-up until the e-mailed link is followed; until then "
        "the profile is shown to nobody else and enters no matching."
    )
    pending_email: str = Field(
        description="A new address asked for on the account page; it becomes ``email`` once "
        "the link e-mailed to it is followed. Empty when no change waits."
    )
    peer_profile_id: int | None = Field(description="Null if the account has no peer profile.")

    @staticmethod
    def resolve_peer_profile_id(obj: User) -> int | None:
        profile = getattr(obj, "peer_profile", None)
        return profile.id if profile is not None else None


class ApiTokenOut(Schema):
    id: int
    label: str
    prefix: str = Field(description="The first characters after pl_, to recognise the key.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiTokenCreatedOut(ApiTokenOut):
    key: str = Field(description="The secret key. Shown only now: store it safely.")


class ApiTokenIn(Schema):
    label: str = Field(
        min_length=1, max_length=100, description="What the key is for, e.g. reporting script."
    )


class VerificationSentOut(Schema):
    detail: str
    email_verified: bool
