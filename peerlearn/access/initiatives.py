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
    from peerlearn.accounts.models import User
    from peerlearn.initiatives.models import Initiative


def initiatives_visible_to(user: Viewer) -> QuerySet[Initiative]:
    """Published entries at the viewer's level; a proposer's own proposals, whatever became
    of them; and, for facilitators, who curate the registry, everything (drafts and the
    proposals waiting for review)."""
    from peerlearn.initiatives.models import Initiative, InitiativeStatus

    qs = Initiative.objects.all()
    if is_platform_admin(user):
        return qs
    if has_role(user, Role.FACILITATOR):
        return qs
    published = Q(status=InitiativeStatus.PUBLISHED)
    q = published & Q(visibility=Visibility.PUBLIC)
    if is_signed_in(user):
        q |= published & Q(visibility=Visibility.PLATFORM)
        q |= Q(proposed_by=user)
    return qs.filter(q)


def access_initiative_by_slug(user: Viewer, slug: str) -> Initiative:
    initiative = initiatives_visible_to(user).filter(slug=slug).first()
    if initiative is None:
        raise NotFound(_("No such initiative."))
    return initiative


def can_propose_initiative(user: Viewer) -> bool:
    """Any signed-in user may propose an entry for the registry."""
    return is_signed_in(user)


def can_review_initiatives(user: Viewer) -> bool:
    """Facilitators and administrators publish or decline proposals."""
    if is_platform_admin(user):
        return True
    return has_role(user, Role.FACILITATOR)


def initiatives_to_review(user: Viewer) -> QuerySet[Initiative]:
    """The proposals waiting for ``user``'s review (none for those who do not review)."""
    from peerlearn.initiatives.models import Initiative, InitiativeStatus

    if not can_review_initiatives(user):
        return Initiative.objects.none()
    return Initiative.objects.filter(status=InitiativeStatus.PROPOSED)


def access_initiative_for_review(user: Viewer, slug: str) -> Initiative:
    """A proposal ``user`` may publish or decline; NotFound for anything else."""
    initiative = initiatives_to_review(user).filter(slug=slug).first()
    if initiative is None:
        raise NotFound(_("No such proposal waiting for review."))
    return initiative


def access_initiative_for_resubmit(user: Viewer, slug: str) -> Initiative:
    """A declined proposal its proposer may change and send again; NotFound for anything
    else (including another person's)."""
    from peerlearn.initiatives.models import Initiative, InitiativeStatus

    if not is_signed_in(user):
        raise NotFound(_("No such declined proposal of yours."))
    initiative = Initiative.objects.filter(
        slug=slug, proposed_by=user, status=InitiativeStatus.DECLINED
    ).first()
    if initiative is None:
        raise NotFound(_("No such declined proposal of yours."))
    return initiative


def can_resubmit_initiative(user: Viewer, initiative: Initiative) -> bool:
    from peerlearn.initiatives.models import InitiativeStatus

    return (
        is_signed_in(user)
        and initiative.proposed_by_id == user.id
        and initiative.status == InitiativeStatus.DECLINED
    )


def initiative_reviewers() -> QuerySet[User]:
    """Who is told of a new proposal: the active facilitators."""
    from peerlearn.accounts.models import User

    return User.objects.filter(role=Role.FACILITATOR, is_active=True)
