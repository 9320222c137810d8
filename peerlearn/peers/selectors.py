"""Reading peers, challenges and experiences, always through the access layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils.translation import gettext as _

from peerlearn.access.alliances import alliances_visible_to
from peerlearn.access.base import Viewer, memberships_of
from peerlearn.access.peers import (
    can_decide_authorisation,
    challenges_visible_to,
    experiences_visible_to,
    peers_visible_to,
    profile_shown_to_others,
    statements_visible_to,
)
from peerlearn.access.visibility import AUDIENCE, Visibility, narrower
from peerlearn.core.models import Theme
from peerlearn.peers.models import (
    Authorisation,
    AuthorisationAction,
    AuthorisationStatus,
    AuthoriserAsk,
    Challenge,
    Experience,
    PeerProfile,
    authoriser_ask_is_open,
)


@dataclass(frozen=True)
class PeerFilters:
    country: str = ""  # ISO alpha-2
    region: str = ""  # M49 region or sub-region code
    theme: str = ""  # theme slug
    stage: int | None = None
    language: str = ""  # ISO 639-1
    q: str = ""


def peer_directory(*, user: Viewer, filters: PeerFilters) -> QuerySet[PeerProfile]:
    """Peers the user may see, filtered, with everything a directory row shows."""
    qs = peers_visible_to(user)
    if filters.country:
        qs = qs.filter(user__organisation__country_id=filters.country)
    if filters.region:
        qs = qs.filter(
            Q(user__organisation__country__region=filters.region)
            | Q(user__organisation__country__subregion=filters.region)
        )
    if filters.theme:
        # Only statements the viewer may see count: a private or alliance-level statement
        # must not reveal, through the filter, who holds it.
        def holds(statements: QuerySet[Any]) -> Exists:
            return Exists(statements.filter(peer=OuterRef("pk"), theme__slug=filters.theme))

        qs = qs.filter(
            Q(reform_areas__slug=filters.theme)
            | holds(challenges_visible_to(user))
            | holds(experiences_visible_to(user))
        )
    if filters.stage:
        qs = qs.filter(reform_stage=filters.stage)
    if filters.language:
        qs = qs.filter(languages__code=filters.language)
    if filters.q:
        for word in filters.q.split()[:5]:
            qs = qs.filter(
                Q(user__name__icontains=word)
                | Q(position__icontains=word)
                | Q(user__organisation__name__icontains=word)
                | Q(user__organisation__acronym__iexact=word)
            )
    if filters.theme or filters.language:
        # Joins through many-to-many relations repeat rows; keep each peer once.
        qs = peers_visible_to(user).filter(id__in=qs.values("id"))
    return (
        qs.select_related("user", "user__organisation", "user__organisation__country")
        .prefetch_related("languages", "reform_areas")
        .order_by("user__name", "id")
    )


def peer_statements(
    *, user: Viewer, peer: PeerProfile
) -> tuple[QuerySet[Challenge], QuerySet[Experience]]:
    """The peer's challenges and experiences the user may see. A statement's ``alliance``
    is None when the user may not see that alliance, so that an open statement does not
    reveal a closed alliance's name."""
    alliance = Prefetch("alliance", queryset=alliances_visible_to(user))
    return (
        challenges_visible_to(user)
        .filter(peer=peer)
        .select_related("theme")
        .prefetch_related(alliance),
        experiences_visible_to(user)
        .filter(peer=peer)
        .select_related("theme")
        .prefetch_related(alliance),
    )


def peer_profile_detail(*, peer_id: int, user: Viewer) -> PeerProfile:
    from peerlearn.access.peers import access_peer_by_id

    peer = access_peer_by_id(user, peer_id)
    return (
        PeerProfile.objects.select_related(
            "user", "user__organisation", "user__organisation__country"
        )
        .prefetch_related("languages", "reform_areas", "authorisations")
        .get(id=peer.id)
    )


def supply_and_demand_by_theme(*, user: Viewer) -> list[dict[str, Any]]:
    """For each theme, how many visible challenges (demand) and experiences (supply) there
    are: where they meet and where they don't (§3 "balancing supply and demand")."""
    demand = dict(
        challenges_visible_to(user).values_list("theme_id").annotate(n=Count("id")).order_by()
    )
    supply = dict(
        experiences_visible_to(user).values_list("theme_id").annotate(n=Count("id")).order_by()
    )
    rows = [
        {
            "theme": theme,
            "demand": demand.get(theme.id, 0),
            "supply": supply.get(theme.id, 0),
            "gap": demand.get(theme.id, 0) - supply.get(theme.id, 0),
            "surplus": supply.get(theme.id, 0) - demand.get(theme.id, 0),
        }
        for theme in Theme.objects.all()
    ]
    rows.sort(key=lambda r: -(demand.get(r["theme"].id, 0) + supply.get(r["theme"].id, 0)))
    return rows


@dataclass(frozen=True)
class StatementFilters:
    theme: str = ""  # theme slug
    country: str = ""  # ISO alpha-2 of the author's organisation
    alliance: str = ""  # alliance slug
    peer: int | None = None
    q: str = ""
    mine: bool = False


def statement_list(
    *, user: Viewer, model: type[Challenge] | type[Experience], filters: StatementFilters
) -> QuerySet[Any]:
    """Challenges or experiences the user may read, filtered, with what a list row shows.

    Each row carries ``alliance_visible``: whether the user may see the alliance it was
    raised in, so that an open statement does not reveal a closed alliance's name."""
    qs = statements_visible_to(user, model)
    if filters.theme:
        qs = qs.filter(theme__slug=filters.theme)
    if filters.country:
        qs = qs.filter(peer__user__organisation__country_id=filters.country)
    if filters.alliance:
        # Only through alliances the user may see: filtering by a hidden alliance's slug
        # must not confirm that it exists.
        qs = qs.filter(alliance__in=alliances_visible_to(user).filter(slug=filters.alliance))
    if filters.peer is not None:
        qs = qs.filter(peer_id=filters.peer)
    if filters.mine:
        qs = qs.filter(peer__user_id=getattr(user, "id", None))
    for word in filters.q.split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    qs = qs.select_related("theme", "alliance", "peer__user", "peer__user__organisation").order_by(
        "-updated_at", "-id"
    )
    return with_alliance_visibility(qs, user=user)


def with_alliance_visibility(qs: QuerySet[Any], *, user: Viewer) -> QuerySet[Any]:
    """Annotate statements with ``alliance_visible`` (see :func:`statement_list`)."""
    annotated: QuerySet[Any] = qs.annotate(
        alliance_visible=Exists(alliances_visible_to(user).filter(id=OuterRef("alliance_id")))
    )
    return annotated


@dataclass
class AuthorisationDetail:
    """A request as its peer, its authoriser or an administrator sees it."""

    authorisation: Authorisation
    peer_profile_visible: bool  # the requester's profile may be opened by the viewer
    actions: list[AuthorisationAction]  # the decisions the viewer may take now


def authorisation_detail(*, user: Viewer, authorisation: Authorisation) -> AuthorisationDetail:
    may_decide = can_decide_authorisation(user, authorisation)
    return AuthorisationDetail(
        authorisation=authorisation,
        peer_profile_visible=peers_visible_to(user).filter(id=authorisation.peer_id).exists(),
        actions=authorisation.actions if may_decide else [],
    )


def audience_of(item: PeerProfile | Challenge | Experience) -> str:
    """Who can now see a profile or statement, in words for its author: a statement reaches
    no further than its author's profile, and one raised in an alliance at alliance level
    stays with that alliance's members. Until the author confirms their e-mail address,
    nobody else sees either."""
    profile = item if isinstance(item, PeerProfile) else item.peer
    if not profile_shown_to_others(profile) and item.visibility != Visibility.PRIVATE:
        return _(
            "Nobody else sees it until you confirm your e-mail address: follow the link we "
            "sent you."
        )
    if isinstance(item, PeerProfile):
        return str(AUDIENCE[Visibility(item.visibility)])
    level = narrower(item.visibility, item.peer.visibility)
    if level == Visibility.ALLIANCE and item.alliance is not None:
        return _("Members of %(alliance)s can see it.") % {"alliance": item.alliance.name}
    if level == Visibility.ALLIANCE and not memberships_of(profile.user).member_of:
        # Shared with the author's alliances, and they have none yet: nobody else sees it.
        return _(
            "You are in no learning alliance yet, so nobody else sees it: it reaches the "
            "members of the alliances you join."
        )
    text = str(AUDIENCE[level])
    if level != item.visibility:
        text += " " + _("(Your profile’s visibility limits who sees it.)")
    return text


@dataclass(frozen=True)
class NextSteps:
    """What a viewer may do next from a peer's profile."""

    contact: bool  # write to the peer through the platform
    contact_closed: bool  # the peer takes no messages (said on the profile)
    invite_to_alliance: bool  # the viewer runs an alliance the peer could join
    invite_to_call: bool  # the viewer runs an open call the peer could apply to


def profile_next_steps(*, user: Viewer, peer: PeerProfile) -> NextSteps:
    """The next steps a profile offers ``user``: none to the anonymous or to the peer."""
    from peerlearn.access.alliances import alliances_managed_by
    from peerlearn.access.matching import open_calls_managed_by

    if not user.is_authenticated or peer.user_id == user.id:
        return NextSteps(False, False, False, False)
    return NextSteps(
        contact=peer.accepts_contact,
        contact_closed=not peer.accepts_contact,
        invite_to_alliance=alliances_managed_by(user).exists(),
        invite_to_call=open_calls_managed_by(user).exists(),
    )


def contact_messages_sent(*, user: Viewer, peer: PeerProfile) -> QuerySet[Any]:
    """The messages ``user`` wrote to ``peer``, newest first."""
    from peerlearn.access.peers import contact_messages_visible_to

    return contact_messages_visible_to(user).filter(sender_id=user.pk, recipient=peer)[:5]


def authorisers_waited_on(peer: PeerProfile | None) -> QuerySet[Authorisation, int]:
    """The ids of the authorisers whose decision on one of ``peer``'s requests is still
    awaited (``authoriser_id`` values; empty without a profile)."""
    if peer is None:
        return Authorisation.objects.none().values_list("authoriser_id", flat=True)
    waiting = Authorisation.objects.filter(peer=peer, status=AuthorisationStatus.REQUESTED)
    return waiting.values_list("authoriser_id", flat=True)


# --- requests to invite an authoriser ----------------------------------------------------


def authoriser_asks_open() -> QuerySet[AuthoriserAsk]:
    """The requests still waiting (:func:`~peerlearn.peers.models.authoriser_ask_is_open`)."""
    return AuthoriserAsk.objects.filter(authoriser_ask_is_open())


def authoriser_asks_of(*, peer: PeerProfile) -> QuerySet[AuthoriserAsk]:
    """A peer's own latest requests, the latest first, each with ``waiting``: still open."""
    waiting = ExpressionWrapper(authoriser_ask_is_open(), output_field=BooleanField())
    return (
        AuthoriserAsk.objects.filter(peer=peer)
        .annotate(waiting=waiting)
        .order_by("-asked_at", "-id")[:10]
    )


def authoriser_ask_invite_path(ask: AuthoriserAsk, *, language: str = "") -> str:
    """The administrators' invitation form, filled in from the request."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from peerlearn.access.roles import Role

    query = {
        "name": ask.name,
        "email": ask.email,
        "role": Role.AUTHORISER.value,
        "organisation": ask.peer.user.organisation_id or "",
    }
    if language:
        query["preferred_language"] = language
    return reverse("accounts:invite") + "?" + urlencode(query)
