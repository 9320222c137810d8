"""My data in the API: download it as a ZIP archive, erase the account."""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from peerlearn.access.accounts import access_account_for_download, access_account_for_erasure
from peerlearn.audit.models import AuditAction
from peerlearn.audit.services import audit_record
from peerlearn.core.api import Id, signed_in_user
from peerlearn.core.schemas import ErrorOut, ValidationErrorOut
from peerlearn.privacy.selectors import account_data_archive, archive_filename
from peerlearn.privacy.services import account_erase

router = Router(tags=["my data"])


class AccountEraseIn(Schema):
    password: str = Field(
        min_length=1, max_length=4096, description="The account's password, to confirm."
    )
    delete_shared: bool = Field(
        default=False,
        description="Also delete what was shared with others: challenges and experiences "
        "shared inside alliances, discussion posts (their text; threads nobody else wrote in "
        "go), published library items, shared diary entries, learning needs and activity "
        "feedback (otherwise they stay, attributed to “a former member”).",
    )


class AccountErasedOut(Schema):
    deleted_statements: int
    kept_statements: int
    deleted_records: int = Field(
        description="Other content that went: library items, initiatives, diary entries, "
        "posts emptied, threads, learning needs, feedback."
    )
    kept_records: int = Field(
        description="Other content that stays by “a former member”: posts, threads, "
        "published library items, shared diary entries."
    )


@router.get(
    "/{int:user_id}/data",
    response={200: None, 404: ErrorOut},
    summary="Download my data",
    openapi_extra={
        "responses": {
            200: {
                "description": "A ZIP archive of JSON and CSV files.",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def data_download(request: HttpRequest, user_id: Id) -> HttpResponse:
    """Everything the platform holds about you, as one ZIP archive (data.json and one CSV
    per table). Only your own id is accepted; any other answers 404."""
    account = access_account_for_download(signed_in_user(request), user_id)
    archive = account_data_archive(user=account)
    audit_record(
        action=AuditAction.DATA_DOWNLOAD,
        actor=account,
        request=request,
        object_type="accounts.user",
        object_id=account.pk,
        detail={"format": "zip", "bytes": len(archive), "via": "api"},
        after_commit=True,
    )
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive_filename(user=account)}"'
    return response


@router.post(
    "/{int:user_id}/erase",
    response={200: AccountErasedOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Erase my account",
)
def erase(request: HttpRequest, user_id: Id, payload: AccountEraseIn) -> Status[dict[str, int]]:
    """Erase your account (your password confirms it). Your private content goes; what you
    shared inside alliances stays as “a former member”'s unless `delete_shared`. Every API
    token stops working and the session ends."""
    account = access_account_for_erasure(signed_in_user(request), user_id)
    counts = account_erase(
        user=account, password=payload.password, delete_shared=payload.delete_shared
    )
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        logout(request)
    return Status(
        200,
        {
            "deleted_statements": counts["deleted_statements"],
            "kept_statements": counts["kept_statements"],
            "deleted_records": counts["deleted_records"],
            "kept_records": counts["kept_records"],
        },
    )
