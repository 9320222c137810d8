"""The case library: case studies and resources.

Published items follow the general rule: *private* — their author; *alliance* — the safe
space of their alliance (members in any role and its funders) or, with no alliance,
whoever shares an alliance with the author; *platform* — signed-in users; *public* —
anyone. An item attached to a learning alliance is that alliance's: only those inside it
see it (whatever level it was given), and never someone who may not see the alliance
itself. A resource attached to a case study is never shown to someone who may not see
the case. Administrators see everything.

Submissions: an author always sees their own items, waiting or declined. Facilitators and
administrators publish directly; anyone else who is signed in submits, and a facilitator
reviews — any facilitator for an item with no alliance, the alliance's facilitators for
an alliance's item (the same people edit published items).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from peerlearn.access.alliances import alliances_managed_by, alliances_visible_to
from peerlearn.access.base import (
    AccessDenied,
    NotFound,
    Viewer,
    has_role,
    inner_alliance_ids,
    is_platform_admin,
    is_signed_in,
    members_of,
)
from peerlearn.access.memo import remembered
from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility

if TYPE_CHECKING:
    from peerlearn.accounts.models import User
    from peerlearn.alliances.models import LearningAlliance
    from peerlearn.library.models import Case, Resource


def _published_q(user: Viewer) -> Q:
    """Published items the user may see by their level and alliance."""
    from peerlearn.library.models import ItemStatus

    q = Q(visibility=Visibility.PUBLIC, alliance__isnull=True)
    if is_signed_in(user):
        inner = inner_alliance_ids(user)
        q |= Q(visibility=Visibility.PLATFORM, alliance__isnull=True)
        q |= Q(alliance_id__in=inner) & ~Q(visibility=Visibility.PRIVATE)
        q |= Q(visibility=Visibility.ALLIANCE, alliance__isnull=True, author__in=members_of(inner))
    return Q(status=ItemStatus.PUBLISHED) & q


def _reviewable_q(user: Viewer) -> Q:
    """Submissions waiting for this facilitator's review."""
    from peerlearn.library.models import ItemStatus

    if not has_role(user, Role.FACILITATOR):
        return Q(pk__in=[])
    managed = alliances_managed_by(user).values("id")
    waiting = Q(status=ItemStatus.PROPOSED)
    return waiting & (Q(alliance__isnull=True) | Q(alliance_id__in=managed))


def _visible(user: Viewer, qs: QuerySet[Any]) -> QuerySet[Any]:
    if is_platform_admin(user):
        return qs
    q = _published_q(user)
    if is_signed_in(user):
        q |= Q(author=user)
        q |= _reviewable_q(user)
    shown = Q(alliance__isnull=True) | Q(alliance_id__in=alliances_visible_to(user).values("id"))
    return qs.filter(q).filter(shown)


@remembered
def cases_visible_to(user: Viewer) -> QuerySet[Case]:
    from peerlearn.library.models import Case

    return _visible(user, Case.objects.all())


@remembered
def resources_visible_to(user: Viewer) -> QuerySet[Resource]:
    """Resources by their own rule, and only where their case (if any) may be seen."""
    from peerlearn.library.models import Resource

    qs = _visible(user, Resource.objects.all())
    if is_platform_admin(user):
        return qs
    in_case = Q(case__isnull=True) | Q(case_id__in=cases_visible_to(user).values("id"))
    return qs.filter(in_case)


def access_case_by_id(user: Viewer, case_id: int) -> Case:
    case = cases_visible_to(user).filter(id=case_id).first()
    if case is None:
        raise NotFound(_("No such case study."))
    return case


def access_resource_by_id(user: Viewer, resource_id: int) -> Resource:
    resource = resources_visible_to(user).filter(id=resource_id).first()
    if resource is None:
        raise NotFound(_("No such resource."))
    return resource


def access_resource_file(user: Viewer, resource_id: int) -> Resource:
    """A resource with a stored file the user may download; NotFound for anything else."""
    resource = access_resource_by_id(user, resource_id)
    if not resource.file:
        raise NotFound(_("This resource has no file to download."))
    return resource


# --- writing -------------------------------------------------------------------------


def can_contribute(user: Viewer) -> bool:
    """Any signed-in user may add a case or a resource (published or submitted)."""
    return is_signed_in(user)


def can_publish(user: Viewer, alliance: LearningAlliance | None) -> bool:
    """Facilitators publish items with no alliance; an alliance's items, its facilitators.
    Administrators always."""
    if is_platform_admin(user):
        return True
    if not has_role(user, Role.FACILITATOR):
        return False
    if alliance is None:
        return True
    return alliances_managed_by(user).filter(id=alliance.id).exists()


def can_edit(user: Viewer, item: Case | Resource) -> bool:
    """The author, and whoever may publish the item."""
    if not is_signed_in(user):
        return False
    if item.author_id == user.id:
        return True
    return can_publish(user, item.alliance)


def access_case_for_edit(user: Viewer, case_id: int) -> Case:
    case = access_case_by_id(user, case_id)
    if can_edit(user, case):
        return case
    raise AccessDenied(_("Only its author and the facilitators who publish it may edit it."))


def access_resource_for_edit(user: Viewer, resource_id: int) -> Resource:
    resource = access_resource_by_id(user, resource_id)
    if can_edit(user, resource):
        return resource
    raise AccessDenied(_("Only its author and the facilitators who publish it may edit it."))


def alliances_attachable_by(user: Viewer) -> QuerySet[LearningAlliance]:
    """The alliances an item of ``user``'s may belong to: those they are inside."""
    from peerlearn.alliances.models import LearningAlliance

    if is_platform_admin(user):
        return LearningAlliance.objects.all()
    if not is_signed_in(user):
        return LearningAlliance.objects.none()
    return LearningAlliance.objects.filter(id__in=inner_alliance_ids(user)).filter(
        id__in=alliances_visible_to(user).values("id")
    )


def can_review_library(user: Viewer) -> bool:
    """Facilitators and administrators review submissions."""
    if is_platform_admin(user):
        return True
    return has_role(user, Role.FACILITATOR)


def cases_to_review(user: Viewer) -> QuerySet[Case]:
    from peerlearn.library.models import Case, ItemStatus

    if is_platform_admin(user):
        return Case.objects.filter(status=ItemStatus.PROPOSED)
    return Case.objects.filter(_reviewable_q(user))


def resources_to_review(user: Viewer) -> QuerySet[Resource]:
    from peerlearn.library.models import ItemStatus, Resource

    if is_platform_admin(user):
        return Resource.objects.filter(status=ItemStatus.PROPOSED)
    return Resource.objects.filter(_reviewable_q(user))


def access_case_for_review(user: Viewer, case_id: int) -> Case:
    case = cases_to_review(user).filter(id=case_id).first()
    if case is None:
        raise NotFound(_("No such submission waiting for review."))
    return case


def access_resource_for_review(user: Viewer, resource_id: int) -> Resource:
    resource = resources_to_review(user).filter(id=resource_id).first()
    if resource is None:
        raise NotFound(_("No such submission waiting for review."))
    return resource


def library_reviewers(alliance: LearningAlliance | None) -> QuerySet[User]:
    """Who is told of a submission: the alliance's facilitators, or every active one."""
    from peerlearn.accounts.models import User
    from peerlearn.alliances.models import MemberRole

    qs = User.objects.filter(role=Role.FACILITATOR, is_active=True)
    if alliance is None:
        return qs
    return qs.filter(
        alliance_memberships__alliance=alliance,
        alliance_memberships__role=MemberRole.FACILITATOR,
    ).distinct()
