"""Progress reports: who reads which version of an alliance's report, and with whose eyes
its content is chosen.

An alliance's report comes in two versions. The **public** one is for outsiders: anyone who
may see the alliance may read it, and besides the alliance's own description it holds only
what any outsider may see, the same whoever asks: an anonymous visitor's view for a public
alliance (the version may be published), any signed-in user's for an alliance only they
may see. The **members'** one adds the alliance's safe-space content and is for those
inside (members in any role, the alliance's funders, administrators); it is built with the
reader's own rights.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from peerlearn.access.alliances import access_alliance_by_slug, alliances_visible_to
from peerlearn.access.alliances import can_see_alliance_inside as _inside
from peerlearn.access.base import AccessDenied, Viewer
from peerlearn.access.visibility import Visibility

if TYPE_CHECKING:
    from peerlearn.alliances.models import LearningAlliance


def public_reader() -> Viewer:
    """Whose rights the public report's content is read with: nobody signed in."""
    return AnonymousUser()


def signed_in_reader() -> Viewer:
    """Whose rights the outsiders' report of an alliance only signed-in users may see is
    read with: a signed-in peer of no organisation and no alliance — an account that does
    not exist (id 0), so that nothing is theirs and they are inside nothing."""
    from peerlearn.access.roles import Role
    from peerlearn.accounts.models import User

    return User(
        id=0,
        username="",
        name="",
        email="",
        role=Role.PEER,
        is_active=True,
        email_verified=True,
    )


def outsiders_report_reader(alliance: LearningAlliance) -> Viewer:
    """Whose rights the outsiders' version of ``alliance``'s report is read with, the same
    whoever asks: an anonymous visitor's for a public alliance, since the version may be
    published; any signed-in user's for an alliance only they may see (an anonymous
    visitor's would leave out everything of it)."""
    if alliance.visibility == Visibility.PUBLIC:
        return public_reader()
    return signed_in_reader()


def access_alliance_report(user: Viewer, slug: str) -> LearningAlliance:
    """The public report follows the alliance's own visibility."""
    return access_alliance_by_slug(user, slug)


def access_alliance_members_report(user: Viewer, slug: str) -> LearningAlliance:
    """The members' report: only for those inside the alliance's safe space."""
    alliance = access_alliance_by_slug(user, slug)
    if _inside(user, alliance):
        return alliance
    raise AccessDenied(_("The members' report is for the alliance's members only."))


def can_read_members_report(user: Viewer, alliance: LearningAlliance) -> bool:
    return _inside(user, alliance)


def alliances_in_country_visible_to(user: Viewer, country_code: str) -> QuerySet[Any]:
    """The alliances ``user`` may see that an organisation of the country belongs to."""
    return alliances_visible_to(user).filter(
        member_organisations__organisation__country_id=country_code
    )


def countries_with_alliances_visible_to(user: Viewer) -> QuerySet[Any]:
    """The countries with an organisation in an alliance ``user`` may see (those with a
    country report worth reading), each annotated with ``alliances``: how many."""
    from django.db.models import Count

    from peerlearn.core.models import Country

    visible = alliances_visible_to(user).values("id")
    return (
        Country.objects.filter(organisations__alliance_memberships__alliance_id__in=visible)
        # Filtered first, so that only the visible alliances are counted.
        .annotate(alliances=Count("organisations__alliance_memberships__alliance", distinct=True))
        .order_by("name")
    )
