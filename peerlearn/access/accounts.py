"""A person's own account and data: who may download it, and who may erase it.

Both rights belong to the person alone. An administrator acting on someone's request does so
in the back office, not through these pages, so a stolen administrator session cannot take
or wipe everyone's data through them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from peerlearn.access.base import NotFound, Viewer, is_platform_admin, is_signed_in
from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility

if TYPE_CHECKING:
    from peerlearn.accounts.models import User


def _own_account(user: Viewer, account_id: int) -> User:
    """The signed-in user's account when ``account_id`` is theirs; any other id is "no such
    account", whether or not it exists."""
    if not is_signed_in(user):
        raise NotFound(_("No such account."))
    if user.id != account_id:
        raise NotFound(_("No such account."))
    return user


def access_account_for_download(user: Viewer, account_id: int) -> User:
    """The account whose data ``user`` is about to download: only their own."""
    return _own_account(user, account_id)


def access_account_for_erasure(user: Viewer, account_id: int) -> User:
    """The account ``user`` is about to erase: only their own."""
    return _own_account(user, account_id)


def can_change_own_organisation(user: Viewer) -> bool:
    """Whether someone may change their organisation themselves (their account page). Not
    an authoriser or a funder: their organisation decides what they may see (its peers'
    requests and shared diaries; the alliances it funds), so only an administrator changes
    it, in the back office."""
    if not is_signed_in(user):
        return False
    if user.role == Role.AUTHORISER:
        return False
    return user.role != Role.FUNDER


def invitations_waiting_for(user: Viewer) -> QuerySet[User]:
    """The people invited who have not signed in yet, for those who invite: the
    administrators (to everyone else, none)."""
    from peerlearn.accounts.models import User

    qs = User.objects.filter(
        invited_at__isnull=False,
        last_login__isnull=True,
        is_active=True,
        erased_at__isnull=True,
    )
    if is_platform_admin(user):
        return qs
    return qs.none()


def access_invitation_for_resend(user: Viewer, account_id: int) -> User:
    """The invited person an administrator is sending the invitation to again: only while
    they have not signed in."""
    account = invitations_waiting_for(user).filter(id=account_id).first()
    if account is None:
        raise NotFound(_("No such invitation: the person may have signed in already."))
    return account


def shared_in_alliances_q() -> Q:
    """Statements their author shared inside alliances: raised in an alliance, or shown at
    the alliance level. These stay with the alliance when the author's account is erased
    (attributed to "a former member"); everything else the author wrote goes."""
    return Q(alliance__isnull=False) | Q(visibility=Visibility.ALLIANCE)


def published_for_others_q(published_status: str) -> Q:
    """Content its author published for others to read (``published_status``, above
    private): it stays, by "a former member", when the author's account is erased, unless
    they ask for it to go too."""
    return Q(status=published_status) & ~Q(visibility=Visibility.PRIVATE)


def kept_private_q() -> Q:
    """Content its author kept to themselves: it goes with their account."""
    return Q(visibility=Visibility.PRIVATE)


def erased_author_q(prefix: str = "") -> Q:
    """Content whose author's account was erased (reached through ``prefix``)."""
    return Q(**{f"{prefix}user__erased_at__isnull": False})
