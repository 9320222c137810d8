"""The signed-in account, and the bearer keys scripts use to call the API."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status

from peerlearn.access.base import NotFound
from peerlearn.accounts import ratelimit
from peerlearn.accounts.models import ApiToken, User
from peerlearn.accounts.schemas import (
    AccountOut,
    ApiTokenCreatedOut,
    ApiTokenIn,
    ApiTokenOut,
    VerificationSentOut,
)
from peerlearn.accounts.services import (
    api_token_create,
    api_token_revoke,
    email_verification_send,
)
from peerlearn.core.api import Id, signed_in_user
from peerlearn.core.http import site_url
from peerlearn.core.schemas import ErrorOut, ValidationErrorOut

router = Router(tags=["account"])


@router.get("/me", response=AccountOut, summary="Who am I")
def account_me(request: HttpRequest) -> User:
    return get_object_or_404(
        User.objects.select_related("organisation", "peer_profile"), id=signed_in_user(request).id
    )


@router.post(
    "/me/verification",
    response={202: VerificationSentOut, 200: VerificationSentOut, 429: ErrorOut},
    summary="Send the e-mail verification link again",
    url_name="account_verification_send",
)
def account_verification_send(request: HttpRequest) -> Any:
    """E-mail a new verification link to the account's address (202), or say it is verified
    already (200). Limited to ``PEERLEARN_VERIFICATION_EMAIL_RATE`` per account: beyond,
    429 with ``Retry-After``."""
    user = signed_in_user(request)
    wait = ratelimit.check(request, every_form=False)
    if wait is not None:
        return ratelimit.too_many_requests(request, wait)
    if email_verification_send(user=user, site_url=site_url(request)):
        message = _("We sent a new link to %(email)s.") % {"email": user.email}
        return Status(202, {"detail": message, "email_verified": False})
    return Status(200, {"detail": _("The e-mail address is verified."), "email_verified": True})


@router.get("/tokens", response=list[ApiTokenOut], summary="List my API tokens")
def token_list(request: HttpRequest) -> Any:
    return ApiToken.objects.filter(user=signed_in_user(request)).order_by("-created_at")


@router.post(
    "/tokens",
    response={201: ApiTokenCreatedOut, 422: ValidationErrorOut},
    summary="Create an API token",
)
def token_create(request: HttpRequest, payload: ApiTokenIn) -> Status[dict[str, Any]]:
    """Create a bearer key. The answer carries the key once; only a hash is kept."""
    token, key = api_token_create(user=signed_in_user(request), label=payload.label)
    out = ApiTokenOut.model_validate(token).model_dump()
    return Status(201, {**out, "key": key})


@router.delete(
    "/tokens/{int:token_id}",
    response={204: None, 404: ErrorOut},
    summary="Revoke an API token",
)
def token_revoke(request: HttpRequest, token_id: Id) -> Status[None]:
    token = ApiToken.objects.filter(
        user=signed_in_user(request), id=token_id, revoked_at__isnull=True
    ).first()
    if token is None:
        raise NotFound(_("No such active token."))
    api_token_revoke(token=token)
    return Status(204, None)
