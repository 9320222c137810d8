"""Who may see and change what. Pages and API endpoints call only these functions.

Reading: the ``*_visible_to(user)`` selectors return querysets already narrowed to what the
user may see; ``access_*`` functions fetch one object for a purpose and raise
:class:`NotFound` when it does not exist *or* may not be seen (so that existence does not
leak), and :class:`AccessDenied` when it may be seen but not changed.

Each rule is one condition on its own line so that tests can show every case is covered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from peerlearn.access.visibility import Visibility

if TYPE_CHECKING:
    from peerlearn.accounts.models import User
    from peerlearn.alliances.models import LearningAlliance
    from peerlearn.initiatives.models import Initiative
    from peerlearn.peers.models import Authorisation, Challenge, Experience, PeerProfile

    Viewer = User | AnonymousUser
else:
    Viewer = Any


class NotFound(Http404):
    """The object does not exist, or the user may not know that it does."""


class AccessDenied(PermissionDenied):
    """The user may see the object but not do this to it."""


# --- who the viewer is -------------------------------------------------------------------


def is_signed_in(user: Viewer) -> TypeGuard[User]:
    """A signed-in, active user. A ``TypeGuard`` (not ``TypeIs``): ``False`` does not mean
    anonymous, since an inactive ``User`` is not signed in either."""
    return bool(user and user.is_authenticated and user.is_active)


def is_platform_admin(user: Viewer) -> bool:
    return is_signed_in(user) and bool(user.is_platform_admin)


def _role(user: Viewer) -> str | None:
    return getattr(user, "role", None) if is_signed_in(user) else None


def inner_alliance_ids(user: Viewer) -> QuerySet[Any]:
    """Alliances whose safe space the user is inside: as a member in any role, or as a
    funder whose organisation funds the alliance."""
    from peerlearn.alliances.models import AllianceMembership, LearningAlliance

    if not is_signed_in(user):
        return LearningAlliance.objects.none().values("id")
    member_of = AllianceMembership.objects.filter(user=user).values("alliance_id")
    q = Q(id__in=member_of)
    if _role(user) == "funder" and user.organisation_id:
        q |= Q(funders=user.organisation_id)
    return LearningAlliance.objects.filter(q).values("id")


def _members_of(alliance_ids: QuerySet[Any]) -> QuerySet[Any]:
    from peerlearn.alliances.models import AllianceMembership

    return AllianceMembership.objects.filter(alliance_id__in=alliance_ids).values("user_id")


# --- peers -------------------------------------------------------------------------------


def _peer_visibility_q(user: Viewer, prefix: str = "") -> Q:
    """The condition on a PeerProfile (reached through ``prefix``) for ``user`` to see it."""
    p = prefix
    q = Q(**{f"{p}visibility": Visibility.PUBLIC})
    if not is_signed_in(user):
        return q
    q |= Q(**{f"{p}visibility": Visibility.PLATFORM})
    q |= Q(**{f"{p}user": user})
    q |= Q(
        **{
            f"{p}visibility": Visibility.ALLIANCE,
            f"{p}user__in": _members_of(inner_alliance_ids(user)),
        }
    )
    if _role(user) == "authoriser" and user.organisation_id:
        # The home organisation sees the peers it sends, unless they keep a profile private.
        q |= Q(
            **{
                f"{p}visibility": Visibility.ALLIANCE,
                f"{p}user__organisation_id": user.organisation_id,
            }
        )
    return q


def peers_visible_to(user: Viewer) -> QuerySet[PeerProfile]:
    from peerlearn.peers.models import PeerProfile

    qs = PeerProfile.objects.filter(user__is_active=True)
    if is_platform_admin(user):
        return qs
    return qs.filter(_peer_visibility_q(user))


def access_peer_by_id(user: Viewer, peer_id: int) -> PeerProfile:
    peer = peers_visible_to(user).select_related("user").filter(id=peer_id).first()
    if peer is None:
        raise NotFound(_("No such peer."))
    return peer


def access_peer_for_edit(user: Viewer, peer: PeerProfile) -> PeerProfile:
    if is_platform_admin(user):
        return peer
    if is_signed_in(user) and peer.user_id == user.id:
        return peer
    raise AccessDenied(_("Only the peer themselves may change this profile."))


# --- challenges and experiences ----------------------------------------------------------


def _statement_visibility_q(user: Viewer) -> Q:
    q = Q(visibility=Visibility.PUBLIC)
    if not is_signed_in(user):
        return q
    inner = inner_alliance_ids(user)
    q |= Q(visibility=Visibility.PLATFORM)
    q |= Q(peer__user=user)
    # Raised inside an alliance: that alliance's safe space only.
    q |= Q(visibility=Visibility.ALLIANCE, alliance_id__in=inner)
    # Not tied to an alliance: anyone who shares an alliance with its author.
    q |= Q(
        visibility=Visibility.ALLIANCE,
        alliance__isnull=True,
        peer__user__in=_members_of(inner),
    )
    return q


def statements_visible_to(user: Viewer, model: type[Challenge] | type[Experience]) -> QuerySet[Any]:
    """Challenges or experiences the user may read. A statement is never wider than its
    author's profile: both must be visible."""
    qs = model.objects.filter(peer__user__is_active=True)
    if is_platform_admin(user):
        return qs
    return qs.filter(_statement_visibility_q(user)).filter(_peer_visibility_q(user, "peer__"))


def challenges_visible_to(user: Viewer) -> QuerySet[Challenge]:
    from peerlearn.peers.models import Challenge

    return statements_visible_to(user, Challenge)


def experiences_visible_to(user: Viewer) -> QuerySet[Experience]:
    from peerlearn.peers.models import Experience

    return statements_visible_to(user, Experience)


def access_statement_for_edit(
    user: Viewer, model: type[Challenge] | type[Experience], statement_id: int
) -> Any:
    """A challenge or experience its author (or an administrator) is about to change."""
    statement = statements_visible_to(user, model).filter(id=statement_id).first()
    if statement is None:
        raise NotFound(_("No such item."))
    if is_platform_admin(user):
        return statement
    if statement.peer.user_id == user.id:
        return statement
    raise AccessDenied(_("Only its author may change this."))


# --- authorisations ----------------------------------------------------------------------


def authorisations_visible_to(user: Viewer) -> QuerySet[Authorisation]:
    from peerlearn.peers.models import Authorisation

    qs = Authorisation.objects.all()
    if is_platform_admin(user):
        return qs
    if not is_signed_in(user):
        return qs.none()
    return qs.filter(Q(peer__user=user) | Q(authoriser=user))


def access_authorisation_for_decision(user: Viewer, authorisation_id: int) -> Authorisation:
    authorisation = authorisations_visible_to(user).filter(id=authorisation_id).first()
    if authorisation is None:
        raise NotFound(_("No such authorisation."))
    if is_platform_admin(user):
        return authorisation
    if authorisation.authoriser_id == user.id:
        return authorisation
    raise AccessDenied(_("Only the named authoriser may decide on this request."))


# --- alliances ---------------------------------------------------------------------------


def alliances_visible_to(user: Viewer) -> QuerySet[LearningAlliance]:
    from peerlearn.alliances.models import LearningAlliance, MemberRole

    qs = LearningAlliance.objects.all()
    if is_platform_admin(user):
        return qs
    q = Q(visibility=Visibility.PUBLIC)
    if is_signed_in(user):
        q |= Q(visibility=Visibility.PLATFORM)
        q |= Q(visibility=Visibility.ALLIANCE, id__in=inner_alliance_ids(user))
        q |= Q(
            visibility=Visibility.PRIVATE,
            memberships__user=user,
            memberships__role=MemberRole.FACILITATOR,
        )
    return qs.filter(q).distinct()


def access_alliance_by_slug(user: Viewer, slug: str) -> LearningAlliance:
    alliance = alliances_visible_to(user).filter(slug=slug).first()
    if alliance is None:
        raise NotFound(_("No such learning alliance."))
    return alliance


def can_manage_alliance(user: Viewer, alliance: LearningAlliance) -> bool:
    from peerlearn.alliances.models import MemberRole

    if is_platform_admin(user):
        return True
    if not is_signed_in(user):
        return False
    return alliance.memberships.filter(user=user, role=MemberRole.FACILITATOR).exists()


def can_see_alliance_inside(user: Viewer, alliance: LearningAlliance) -> bool:
    """Members, the alliance's funders and administrators see its safe-space content."""
    if is_platform_admin(user):
        return True
    return inner_alliance_ids(user).filter(id=alliance.id).exists()


def access_alliance_for_manage(user: Viewer, slug: str) -> LearningAlliance:
    alliance = access_alliance_by_slug(user, slug)
    if can_manage_alliance(user, alliance):
        return alliance
    raise AccessDenied(_("Only the alliance's facilitators may do this."))


# --- initiatives -------------------------------------------------------------------------


def initiatives_visible_to(user: Viewer) -> QuerySet[Initiative]:
    from peerlearn.initiatives.models import Initiative

    qs = Initiative.objects.all()
    if is_platform_admin(user):
        return qs
    q = Q(visibility=Visibility.PUBLIC)
    if is_signed_in(user):
        q |= Q(visibility=Visibility.PLATFORM)
    if _role(user) == "facilitator":
        # Facilitators curate the registry, drafts included.
        q |= Q(visibility__in=[Visibility.ALLIANCE, Visibility.PRIVATE])
    return qs.filter(q)


def access_initiative_by_slug(user: Viewer, slug: str) -> Initiative:
    initiative = initiatives_visible_to(user).filter(slug=slug).first()
    if initiative is None:
        raise NotFound(_("No such initiative."))
    return initiative


# --- roles -------------------------------------------------------------------------------


def require_role(user: Viewer, *roles: str) -> None:
    """Raise AccessDenied unless the user has one of ``roles`` (administrators always do)."""
    if is_platform_admin(user):
        return
    if _role(user) in roles:
        return
    raise AccessDenied(
        _("This needs one of the roles: %(roles)s.") % {"roles": ", ".join(roles)}
    )


# --- matching ----------------------------------------------------------------------------
# Runs, proposals, open calls and excluded pairs (peerlearn.matchmaking).


def matching_runs_visible_to(user: Viewer) -> QuerySet[Any]:
    """Administrators see every run; a facilitator sees the runs they made; nobody else."""
    from peerlearn.matchmaking.models import MatchingRun

    qs = MatchingRun.objects.all()
    if is_platform_admin(user):
        return qs
    if is_signed_in(user) and user.role == "facilitator":
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


def access_proposal_for_manage(user: Viewer, proposal_id: int) -> Any:
    """A proposal about to be confirmed or withdrawn: by the run's facilitator or an
    administrator."""
    proposal = access_proposal_by_id(user, proposal_id)
    if is_platform_admin(user):
        return proposal
    if proposal.run.created_by_id == user.id:
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


def excluded_pairs_visible_to(user: Viewer) -> QuerySet[Any]:
    """Administrators see every excluded pair; a facilitator those whose two peers they can
    both see; nobody else (a decline is not news for the other peer)."""
    from peerlearn.matchmaking.models import ExcludedPair

    qs = ExcludedPair.objects.all()
    if is_platform_admin(user):
        return qs
    if _role(user) != "facilitator":
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
