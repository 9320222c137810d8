"""Matchings: runs, proposals, open calls, excluded pairs, and which peers and statements
may enter a pool or leave the platform as matching input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from peerlearn.access.base import (
    AccessDenied,
    NotFound,
    Viewer,
    has_role,
    is_platform_admin,
    is_signed_in,
)
from peerlearn.access.peers import peers_visible_to, statements_visible_to, verified_account_q
from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility

if TYPE_CHECKING:
    from peerlearn.peers.models import Challenge, Experience, PeerProfile


def matching_runs_visible_to(user: Viewer) -> QuerySet[Any]:
    """Administrators see every run; a facilitator sees the runs they made; nobody else."""
    from peerlearn.matchmaking.models import MatchingRun

    qs = MatchingRun.objects.all()
    if is_platform_admin(user):
        return qs
    if has_role(user, Role.FACILITATOR):
        return qs.filter(created_by=user)
    return qs.none()


def access_matching_run_by_id(user: Viewer, run_id: int) -> Any:
    run = matching_runs_visible_to(user).filter(id=run_id).first()
    if run is None:
        raise NotFound(_("No such matching run."))
    return run


def proposals_visible_to(user: Viewer) -> QuerySet[Any]:
    """Proposals of the runs one may see, and — once the facilitator has sent them — the
    proposals a peer is a member of."""
    from peerlearn.matchmaking.models import Proposal, RunStatus

    qs = Proposal.objects.all()
    if is_platform_admin(user):
        return qs
    if not is_signed_in(user):
        return qs.none()
    q = Q(run__in=matching_runs_visible_to(user))
    q |= Q(members__peer__user=user, run__status__in=[RunStatus.PROPOSED, RunStatus.CLOSED])
    return qs.filter(q).distinct()


def access_proposal_by_id(user: Viewer, proposal_id: int) -> Any:
    proposal = proposals_visible_to(user).filter(id=proposal_id).first()
    if proposal is None:
        raise NotFound(_("No such proposal."))
    return proposal


def access_proposal_for_response(user: Viewer, proposal_id: int) -> Any:
    """A proposal the user is about to accept or decline: only its members answer."""
    proposal = access_proposal_by_id(user, proposal_id)
    if proposal.members.filter(peer__user=user).exists():
        return proposal
    raise AccessDenied(_("Only the peers in this proposal may accept or decline it."))


def can_manage_proposal(user: Viewer, proposal: Any) -> bool:
    """The run's facilitator and administrators confirm or withdraw a proposal, and read
    every member's answer and reason."""
    if is_platform_admin(user):
        return True
    if not is_signed_in(user):
        return False
    return bool(proposal.run.created_by_id == user.id)


def access_proposal_for_manage(user: Viewer, proposal_id: int) -> Any:
    """A proposal about to be confirmed or withdrawn: by the run's facilitator or an
    administrator."""
    proposal = access_proposal_by_id(user, proposal_id)
    if can_manage_proposal(user, proposal):
        return proposal
    raise AccessDenied(_("Only the facilitator who ran this matching may do this."))


def open_calls_visible_to(user: Viewer) -> QuerySet[Any]:
    from peerlearn.matchmaking.models import OpenCall

    qs = OpenCall.objects.all()
    if is_platform_admin(user):
        return qs
    q = Q(visibility=Visibility.PUBLIC)
    if is_signed_in(user):
        q |= Q(visibility=Visibility.PLATFORM)
        q |= Q(created_by=user)
    return qs.filter(q)


def access_open_call_by_id(user: Viewer, call_id: int) -> Any:
    call = open_calls_visible_to(user).filter(id=call_id).first()
    if call is None:
        raise NotFound(_("No such open call."))
    return call


def can_manage_open_call(user: Viewer, call: Any) -> bool:
    if is_platform_admin(user):
        return True
    if not is_signed_in(user):
        return False
    return bool(call.created_by_id == user.id)


def access_open_call_for_manage(user: Viewer, call_id: int) -> Any:
    """A call whose applicants the user may read and match: its author or an administrator."""
    call = access_open_call_by_id(user, call_id)
    if can_manage_open_call(user, call):
        return call
    raise AccessDenied(_("Only the facilitator who opened this call may do this."))


def call_invitations_visible_to(user: Viewer) -> QuerySet[Any]:
    """Invitations to apply to an open call: the invited peer reads theirs, the call's
    author (and administrators) those of the calls they run."""
    from peerlearn.matchmaking.models import CallInvitation

    qs = CallInvitation.objects.all()
    if is_platform_admin(user):
        return qs
    if not is_signed_in(user):
        return qs.none()
    return qs.filter(Q(peer__user=user) | Q(call__created_by=user))


def excluded_pairs_visible_to(user: Viewer) -> QuerySet[Any]:
    """Administrators see every excluded pair; a facilitator those whose two peers they can
    both see; nobody else (a decline is not news for the other peer)."""
    from peerlearn.matchmaking.models import ExcludedPair

    qs = ExcludedPair.objects.all()
    if is_platform_admin(user):
        return qs
    if not has_role(user, Role.FACILITATOR):
        return qs.none()
    visible = peers_visible_to(user).values("id")
    return qs.filter(peer_a__in=visible, peer_b__in=visible)


def access_excluded_pair_for_delete(user: Viewer, pair_id: int) -> Any:
    pair = excluded_pairs_visible_to(user).filter(id=pair_id).first()
    if pair is None:
        raise NotFound(_("No such excluded pair."))
    if is_platform_admin(user):
        return pair
    if pair.created_by_id == user.id:
        return pair
    raise AccessDenied(_("Only whoever recorded this exclusion, or an administrator, may lift it."))


def can_run_matching(user: Viewer) -> bool:
    """Facilitators and administrators run matchings."""
    return is_platform_admin(user) or has_role(user, Role.FACILITATOR)


def open_calls_managed_by(user: Viewer) -> QuerySet[Any]:
    """The open calls whose applicants the user may read and match."""
    qs = open_calls_visible_to(user)
    if is_platform_admin(user):
        return qs
    if not is_signed_in(user):
        return qs.none()
    return qs.filter(created_by=user)


# --- what enters a pool, and what leaves the platform --------------------------------------


def peers_matchable_by(user: Viewer) -> QuerySet[PeerProfile]:
    """Peers the user may put in a pool: those they can see, except profiles kept "private —
    only me", and accounts whose e-mail address is not verified yet, which stay out of
    matchings even for administrators, who can read them."""
    return (
        peers_visible_to(user).exclude(visibility=Visibility.PRIVATE).filter(verified_account_q())
    )


def statements_matchable_by(user: Viewer, model: type[Challenge] | type[Experience]) -> Any:
    """Challenges or experiences whose text may enter the user's matching: those the user may
    read, except private ones."""
    return (
        statements_visible_to(user, model)
        .exclude(visibility=Visibility.PRIVATE)
        .filter(verified_account_q("peer__"))
    )


def exported_levels(*, include_alliance: bool = False) -> list[Visibility]:
    """The levels that may leave the platform as matching input: what every signed-in user
    sees (platform, public), and with ``include_alliance`` the alliance level for an operator
    who matches alliance members offline. Private content never leaves."""
    levels = [Visibility.PUBLIC, Visibility.PLATFORM]
    if include_alliance:
        levels.append(Visibility.ALLIANCE)
    return levels


def peers_for_export(
    *, include_alliance: bool = False, reader: Viewer | None = None
) -> QuerySet[PeerProfile]:
    """Active peers whose profile may leave the platform (``export_peers``, and the texts the
    embedding warm-up encodes ahead of matchings); with ``reader``, only those that user may
    see (``export_peers --for``)."""
    from peerlearn.peers.models import PeerProfile

    levels = exported_levels(include_alliance=include_alliance)
    qs = PeerProfile.objects.filter(user__is_active=True, visibility__in=levels)
    qs = qs.filter(verified_account_q())
    if reader is not None:
        qs = qs.filter(id__in=peers_visible_to(reader).values("id"))
    return qs


def statements_for_export(
    model: type[Challenge] | type[Experience],
    *,
    include_alliance: bool = False,
    reader: Viewer | None = None,
) -> Any:
    """Challenges or experiences that may leave the platform with their author, who must be
    exported too; with ``reader``, only those that user may read."""
    levels = exported_levels(include_alliance=include_alliance)
    authors = peers_for_export(include_alliance=include_alliance, reader=reader).values("id")
    qs = model.objects.filter(visibility__in=levels, peer_id__in=authors)
    if reader is not None:
        qs = qs.filter(id__in=statements_visible_to(reader, model).values("id"))
    return qs
