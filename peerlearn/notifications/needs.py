"""What needs a signed-in person: one list gathered from every part of the platform.

A *need* is something waiting for this person's action (a proposal to answer, an
authorisation to decide, a proposal for the registry to review, …). The core needs are
listed here; another app adds its own with a ``needs`` module holding ``NEEDS``: functions
``(user) -> Iterable[Need]``, found in ``INSTALLED_APPS`` order. Each function reads through
the access layer, so a need never names something its reader may not see.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _

from peerlearn.access.base import has_role, profile_of
from peerlearn.access.initiatives import initiatives_to_review
from peerlearn.access.peers import authorisations_visible_to
from peerlearn.access.roles import Role
from peerlearn.accounts.models import User


@dataclass(frozen=True)
class Need:
    kind: str  # a stable key: "proposal", "authorisation", ...
    text: str  # what is waiting, in the reader's language
    url: str  # where it is done
    due: date | None = None  # a deadline, if there is one
    since: datetime | None = None  # when it began to wait


def _proposals(user: User) -> Iterable[Need]:
    from peerlearn.matchmaking.models import MemberResponse
    from peerlearn.matchmaking.selectors import (
        open_proposals_for_member,
        proposals_that_cannot_go_ahead,
    )

    peer = profile_of(user)
    if peer is None:
        return
    waiting = list(
        open_proposals_for_member(user=user)
        .filter(members__peer=peer, members__response=MemberResponse.PENDING)
        .select_related("run")
        .prefetch_related(None)  # the list's members and alliance: not needed here
        .distinct()
    )
    # One that too many others declined asks nothing more of them.
    stuck = proposals_that_cannot_go_ahead(waiting)
    for proposal in (p for p in waiting if p.id not in stuck):
        yield Need(
            kind="proposal",
            text=_("Answer a proposed match (proposal %(n)s)") % {"n": proposal.position},
            url=reverse("matchmaking:proposal", args=[proposal.id]),
            due=proposal.reply_by,
            since=proposal.run.created_at,
        )


def _authorisations(user: User) -> Iterable[Need]:
    from peerlearn.peers.models import AuthorisationStatus

    pending = (
        authorisations_visible_to(user)
        .filter(authoriser=user, status=AuthorisationStatus.REQUESTED)
        .select_related("peer__user")
        .order_by("requested_at")
    )
    for authorisation in pending:
        yield Need(
            kind="authorisation",
            text=_("Decide on %(name)s's request for authorisation")
            % {"name": authorisation.peer.user.name},
            url=reverse("peers:authorisation_decision", args=[authorisation.id]),
            since=authorisation.requested_at,
        )


def _initiatives(user: User) -> Iterable[Need]:
    for initiative in initiatives_to_review(user).order_by("created_at"):
        yield Need(
            kind="initiative",
            text=(
                _("Review “%(name)s”, proposed again for the registry")
                if initiative.proposed_again_at
                else _("Review “%(name)s”, proposed for the registry")
            )
            % {"name": initiative.name},
            url=reverse("initiatives:review_one", args=[initiative.slug]),
            since=initiative.proposed_again_at or initiative.created_at,
        )


def _runs(user: User) -> Iterable[Need]:
    from peerlearn.matchmaking.models import RunStatus
    from peerlearn.matchmaking.selectors import run_list

    if not has_role(user, Role.FACILITATOR):
        return
    for run in run_list(user=user).filter(created_by=user, status=RunStatus.DRAFT):
        yield Need(
            kind="run",
            text=_("Review the matching “%(name)s” and send its proposals") % {"name": run},
            url=reverse("matchmaking:run", args=[run.id]),
            since=run.created_at,
        )


CORE_NEEDS: list[Callable[[User], Iterable[Need]]] = [
    _proposals,
    _authorisations,
    _initiatives,
    _runs,
]


@cache
def all_providers() -> tuple[Callable[[User], Iterable[Need]], ...]:
    found = list(CORE_NEEDS)
    for app in apps.get_app_configs():
        name = f"{app.name}.needs"
        if app.name != "peerlearn.notifications" and importlib.util.find_spec(name) is not None:
            found.extend(importlib.import_module(name).NEEDS)
    return tuple(found)


def needs_for(user: User) -> list[Need]:
    """Everything waiting for ``user``: the soonest deadlines first, then the oldest."""
    needs = [need for provider in all_providers() for need in provider(user)]
    return sorted(
        needs,
        key=lambda n: (
            n.due is None,
            n.due or date.max,
            n.since.timestamp() if n.since else 0.0,
        ),
    )
