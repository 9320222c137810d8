"""What the case library asks of a person: the submissions waiting for their review."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from peerlearn.access.library import cases_to_review, resources_to_review
from peerlearn.accounts.models import User
from peerlearn.notifications.needs import Need


def _submissions(user: User) -> Iterable[Need]:
    for case in cases_to_review(user).order_by("created_at"):
        yield Need(
            kind="library",
            text=_("Review “%(title)s”, submitted to the case library") % {"title": case.title},
            url=reverse("library:case_review", args=[case.id]),
            since=case.created_at,
        )
    for resource in resources_to_review(user).order_by("created_at"):
        yield Need(
            kind="library",
            text=_("Review “%(title)s”, submitted to the case library") % {"title": resource.title},
            url=reverse("library:resource_review", args=[resource.id]),
            since=resource.created_at,
        )


NEEDS: list[Callable[[User], Iterable[Need]]] = [_submissions]
