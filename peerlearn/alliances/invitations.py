"""The signed link an invitation e-mail carries: the invitation's id, signed with the
project's secret and valid for a limited time."""

from __future__ import annotations

from django.core import signing

#: How long an invitation link stays valid.
INVITATION_MAX_AGE_DAYS = 60
_SALT = "peerlearn.alliances.invitation"


def invitation_token(invitation_id: int) -> str:
    return signing.dumps(invitation_id, salt=_SALT, compress=True)


def invitation_id_from_token(token: str) -> int | None:
    """The invitation id a token names, or ``None`` for a forged or expired one."""
    try:
        value = signing.loads(token, salt=_SALT, max_age=INVITATION_MAX_AGE_DAYS * 86400)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None
