"""Who the viewer is, the two refusals, and the safe space every domain's rules build on.

``access_*`` functions across the package fetch one object for a purpose and raise
:class:`NotFound` when it does not exist *or* may not be seen (so that existence does not
leak), and :class:`AccessDenied` when it may be seen but not changed. ``*_visible_to(user)``
return querysets already narrowed to what the user may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from peerlearn.access.memo import remembered
from peerlearn.access.roles import Role

if TYPE_CHECKING:
    from peerlearn.accounts.models import User
    from peerlearn.peers.models import PeerProfile

    Viewer = User | AnonymousUser
else:
    Viewer = Any


class NotFound(Http404):
    """The object does not exist, or the user may not know that it does."""


class AccessDenied(PermissionDenied):
    """The user may see the object but not do this to it."""


def is_signed_in(user: Viewer) -> TypeGuard[User]:
    """A signed-in, active user. A ``TypeGuard`` (not ``TypeIs``): ``False`` does not mean
    anonymous, since an inactive ``User`` is not signed in either."""
    return bool(user and user.is_authenticated and user.is_active)


def is_platform_admin(user: Viewer) -> bool:
    return is_signed_in(user) and bool(user.is_platform_admin)


def platform_admins() -> QuerySet[User]:
    """The active administrators (role or superuser): the people the platform itself writes
    to when something needs one of them. Mirrors :attr:`User.is_platform_admin`."""
    from django.db.models import Q

    from peerlearn.accounts.models import User

    return User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True)


def role_of(user: Viewer) -> Role | None:
    """The signed-in user's role (administrators: :attr:`Role.ADMIN`), else ``None``."""
    if not is_signed_in(user):
        return None
    if is_platform_admin(user):
        return Role.ADMIN
    return Role(user.role)


def has_role(user: Viewer, role: Role) -> TypeGuard[User]:
    """The user holds ``role`` itself (an administrator holds only :attr:`Role.ADMIN`)."""
    return is_signed_in(user) and user.role == role


def require_role(user: Viewer, *roles: Role) -> None:
    """Raise AccessDenied unless the user has one of ``roles`` (administrators always do)."""
    if is_platform_admin(user):
        return
    if any(has_role(user, role) for role in roles):
        return
    raise AccessDenied(
        _("This needs one of the roles: %(roles)s.")
        % {"roles": ", ".join(str(role.label) for role in roles)}
    )


@remembered
def profile_of(user: Viewer) -> PeerProfile | None:
    """The viewer's own peer profile, if they have one — the one way every page and endpoint
    finds it. Read once per reading request (:mod:`.memo`): callers must not change it."""
    from peerlearn.peers.models import PeerProfile

    if not is_signed_in(user):
        return None
    return PeerProfile.objects.filter(user=user).select_related("user").first()


@dataclass(frozen=True)
class Memberships:
    """The alliances a user is a member of, in any role, and those they facilitate."""

    member_of: frozenset[int]
    facilitating: frozenset[int]


NO_MEMBERSHIPS = Memberships(frozenset(), frozenset())


@remembered
def memberships_of(user: Viewer) -> Memberships:
    """The user's memberships, read in one query (once per reading request: :mod:`.memo`)."""
    from peerlearn.alliances.models import AllianceMembership, MemberRole

    if not is_signed_in(user):
        return NO_MEMBERSHIPS
    rows = list(AllianceMembership.objects.filter(user=user).values_list("alliance_id", "role"))
    return Memberships(
        member_of=frozenset(alliance_id for alliance_id, _role in rows),
        facilitating=frozenset(
            alliance_id for alliance_id, role in rows if role == MemberRole.FACILITATOR
        ),
    )


@remembered
def inner_alliance_ids(user: Viewer) -> frozenset[int]:
    """Alliances whose safe space the user is inside: as a member in any role, or as a
    funder whose organisation funds the alliance. Read from the database when asked (once
    per reading request: :mod:`.memo`), for ``__in`` lookups and ``in`` tests."""
    from peerlearn.alliances.models import LearningAlliance

    if not is_signed_in(user):
        return frozenset()
    inside = memberships_of(user).member_of
    if has_role(user, Role.FUNDER) and user.organisation_id:
        funded = LearningAlliance.objects.filter(funders=user.organisation_id)
        inside |= frozenset(funded.values_list("id", flat=True))
    return inside


def members_of(alliance_ids: frozenset[int]) -> QuerySet[Any]:
    """The user ids of every member, in any role, of the given alliances."""
    from peerlearn.alliances.models import AllianceMembership

    return AllianceMembership.objects.filter(alliance_id__in=alliance_ids).values("user_id")
