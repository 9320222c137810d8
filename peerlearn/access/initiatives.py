"""The initiatives registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from peerlearn.access.base import (
    NotFound,
    Viewer,
    has_role,
    is_platform_admin,
    is_signed_in,
)
from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility

if TYPE_CHECKING:
    from peerlearn.initiatives.models import Initiative


def initiatives_visible_to(user: Viewer) -> QuerySet[Initiative]:
    from peerlearn.initiatives.models import Initiative

    qs = Initiative.objects.all()
    if is_platform_admin(user):
        return qs
    q = Q(visibility=Visibility.PUBLIC)
    if is_signed_in(user):
        q |= Q(visibility=Visibility.PLATFORM)
    if has_role(user, Role.FACILITATOR):
        # Facilitators curate the registry, drafts included.
        q |= Q(visibility__in=[Visibility.ALLIANCE, Visibility.PRIVATE])
    return qs.filter(q)


def access_initiative_by_slug(user: Viewer, slug: str) -> Initiative:
    initiative = initiatives_visible_to(user).filter(slug=slug).first()
    if initiative is None:
        raise NotFound(_("No such initiative."))
    return initiative
