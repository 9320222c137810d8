"""Peer profiles, their challenges and experiences, and home-organisation authorisations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from peerlearn.access.accounts import erased_author_q
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
    from peerlearn.peers.models import (
        Authorisation,
        AuthoriserAsk,
        Challenge,
        ContactMessage,
        Experience,
        PeerProfile,
    )


def verified_account_q(prefix: str = "") -> Q:
    """Profiles (reached through ``prefix``) whose account's e-mail address is verified. A
    new sign-up's profile is shown to nobody else, listed nowhere and matched with nobody
    until the person follows the link e-mailed to them; the account itself works."""
    return Q(**{f"{prefix}user__email_verified": True})


def profile_shown_to_others(profile: PeerProfile) -> bool:
    """Whether anyone but its owner may see ``profile`` at all: the same rule as
    :func:`verified_account_q`, for one profile already in hand."""
    return bool(profile.user.email_verified)


def _peer_visibility_q(user: Viewer, prefix: str = "") -> Q:
    """The condition on a PeerProfile (reached through ``prefix``) for ``user`` to see it:
    its level allows it, and its e-mail address is verified unless it is the user's own."""
    p = prefix
    if not is_signed_in(user):
        return _peer_level_q(user, prefix) & verified_account_q(p)
    return _peer_level_q(user, prefix) & (verified_account_q(p) | Q(**{f"{p}user": user}))


def _peer_level_q(user: Viewer, prefix: str = "") -> Q:
    """The condition on a PeerProfile's visibility level for ``user`` to see it."""
    p = prefix
    q = Q(**{f"{p}visibility": Visibility.PUBLIC})
    if not is_signed_in(user):
        return q
    q |= Q(**{f"{p}visibility": Visibility.PLATFORM})
    q |= Q(**{f"{p}user": user})
    q |= Q(
        **{
            f"{p}visibility": Visibility.ALLIANCE,
            f"{p}user__in": members_of(inner_alliance_ids(user)),
        }
    )
    if has_role(user, Role.AUTHORISER) and user.organisation_id:
        # The home organisation sees the peers it sends, unless they keep a profile private.
        q |= Q(
            **{
                f"{p}visibility": Visibility.ALLIANCE,
                f"{p}user__organisation_id": user.organisation_id,
            }
        )
    return q


@remembered
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
        peer__user__in=members_of(inner),
    )
    return q


@remembered
def statements_visible_to(user: Viewer, model: type[Challenge] | type[Experience]) -> QuerySet[Any]:
    """Challenges or experiences the user may read. A statement is never wider than its
    author's profile: both must be visible."""
    # What an erased account shared inside alliances stays there, by "a former member",
    # whose profile is gone: its own level alone decides who reads it.
    qs = model.objects.filter(Q(peer__user__is_active=True) | erased_author_q("peer__"))
    if is_platform_admin(user):
        return qs
    return qs.filter(_statement_visibility_q(user)).filter(
        _peer_visibility_q(user, "peer__") | erased_author_q("peer__")
    )


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


def authoriser_asks_to_invite_for(user: Viewer) -> QuerySet[AuthoriserAsk]:
    """Peers' requests still waiting for their organisation's authoriser to be invited, for
    those who invite: the administrators (a peer reads their own on their authorisation
    page)."""
    from peerlearn.peers.models import AuthoriserAsk, authoriser_ask_is_open

    qs = AuthoriserAsk.objects.filter(authoriser_ask_is_open())
    if is_platform_admin(user):
        return qs
    return qs.none()


def access_authorisation_by_id(user: Viewer, authorisation_id: int) -> Authorisation:
    """A request its peer, its named authoriser or an administrator is looking at."""
    authorisation = (
        authorisations_visible_to(user)
        .select_related("peer__user__organisation", "authoriser")
        .filter(id=authorisation_id)
        .first()
    )
    if authorisation is None:
        raise NotFound(_("No such authorisation."))
    return authorisation


def can_decide_authorisation(user: Viewer, authorisation: Authorisation) -> bool:
    """The authoriser the request names, or an administrator, decides on it."""
    if is_platform_admin(user):
        return True
    if not is_signed_in(user):
        return False
    return bool(authorisation.authoriser_id == user.id)


def access_authorisation_for_decision(user: Viewer, authorisation_id: int) -> Authorisation:
    authorisation = access_authorisation_by_id(user, authorisation_id)
    if can_decide_authorisation(user, authorisation):
        return authorisation
    raise AccessDenied(_("Only the named authoriser may decide on this request."))


def authorisers_for(*, user: User) -> QuerySet[User]:
    """Who can authorise ``user`` to take part: the active authorisers of their own
    organisation (nobody, without one)."""
    from peerlearn.accounts.models import User

    if user.organisation_id is None:
        return User.objects.none()
    return (
        User.objects.filter(role=Role.AUTHORISER, organisation=user.organisation_id, is_active=True)
        .exclude(id=user.id)
        .order_by("name", "id")
    )


def may_authorise(authoriser: User, peer: PeerProfile) -> bool:
    """``authoriser`` may decide on ``peer``'s participation: an active authoriser of the
    peer's own organisation."""
    return authorisers_for(user=peer.user).filter(id=authoriser.id).exists()


# --- messages written to peers through their profiles ---------------------------------------


def contact_messages_visible_to(user: Viewer) -> QuerySet[ContactMessage]:
    """A message written to a peer is read by its sender and its recipient only: not by
    administrators either, since it is a private correspondence the platform only carries."""
    from peerlearn.peers.models import ContactMessage

    if not is_signed_in(user):
        return ContactMessage.objects.none()
    return ContactMessage.objects.filter(Q(sender=user) | Q(recipient__user=user))


def access_peer_for_contact(user: Viewer, peer_id: int) -> PeerProfile:
    """A peer the signed-in user is about to write to: one whose profile they may see (a
    hidden or missing one is not found), and not their own."""
    peer = access_peer_by_id(user, peer_id)
    if not is_signed_in(user):
        raise NotFound(_("No such peer."))
    if peer.user_id == user.id:
        raise AccessDenied(_("This is your own profile."))
    return peer
