"""The home page: one per role, each showing what that person came to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from peerlearn.access.policies import (
    alliances_visible_to,
    authorisations_visible_to,
    experiences_visible_to,
    initiatives_visible_to,
    is_platform_admin,
    peers_visible_to,
)
from peerlearn.accounts.models import Role, User
from peerlearn.alliances.models import AllianceMembership, MemberRole
from peerlearn.matchmaking.selectors import open_proposals_for_member, run_list
from peerlearn.peers.models import AuthorisationStatus, PeerProfile
from peerlearn.peers.selectors import peer_statements, supply_and_demand_by_theme


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return render(request, "core/home_public.html", _public_context(request))
    role = Role.ADMIN if is_platform_admin(user) else user.role
    builders: dict[str, Callable[[User], dict[str, Any]]] = {
        Role.PEER: _peer_context,
        Role.FACILITATOR: _facilitator_context,
        Role.AUTHORISER: _authoriser_context,
        Role.FUNDER: _funder_context,
        Role.ADMIN: _admin_context,
    }
    context = builders[role](user)
    context["role"] = role
    return render(request, f"core/home_{role}.html", context)


def _public_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "initiatives": initiatives_visible_to(request.user).prefetch_related("countries")[:8],
        "alliances": alliances_visible_to(request.user).select_related("theme")[:6],
        "n_peers": peers_visible_to(request.user).count(),
    }


def _my_alliances(user: User) -> Any:
    return (
        AllianceMembership.objects.filter(user=user, alliance__in=alliances_visible_to(user))
        .select_related("alliance", "alliance__theme")
        .order_by("alliance__name")
    )


def _peer_context(user: User) -> dict[str, Any]:
    peer = (
        PeerProfile.objects.filter(user=user)
        .prefetch_related("authorisations__authoriser")
        .first()
    )
    context: dict[str, Any] = {
        "peer": peer,
        "memberships": _my_alliances(user),
        "proposals": open_proposals_for_member(user=user)[:10],
    }
    if peer is not None:
        challenges, experiences = peer_statements(user=user, peer=peer)
        context["challenges"] = challenges
        context["experiences"] = experiences
        theme_ids = list(challenges.values_list("theme_id", flat=True))
        # Experiences from other peers in the themes of my challenges: a first look at who
        # could help, before a facilitator runs a matching.
        context["helpful_experiences"] = (
            experiences_visible_to(user)
            .filter(theme_id__in=theme_ids)
            .exclude(peer=peer)
            .select_related("theme", "peer__user__organisation__country")
            .order_by("-updated_at")[:6]
        )
    return context


def _facilitator_context(user: User) -> dict[str, Any]:
    facilitated = (
        alliances_visible_to(user)
        # A subquery, not a join: joining memberships here would make the count below
        # count only the facilitator's own membership.
        .filter(
            id__in=AllianceMembership.objects.filter(
                user=user, role=MemberRole.FACILITATOR
            ).values("alliance_id")
        )
        .select_related("theme")
        .annotate(n_members=Count("memberships", distinct=True))
        .order_by("name")
    )
    return {
        "facilitated": facilitated,
        "balance": supply_and_demand_by_theme(user=user),
        "n_peers": peers_visible_to(user).count(),
        "recent_runs": run_list(user=user)[:5],
    }


def _authoriser_context(user: User) -> dict[str, Any]:
    pending = (
        authorisations_visible_to(user)
        .filter(authoriser=user, status=AuthorisationStatus.REQUESTED)
        .select_related("peer__user")
    )
    decided = (
        authorisations_visible_to(user)
        .filter(authoriser=user)
        .exclude(status=AuthorisationStatus.REQUESTED)
        .select_related("peer__user")[:20]
    )
    colleagues = (
        (
            peers_visible_to(user)
            .filter(user__organisation_id=user.organisation_id)
            .select_related("user")
            .prefetch_related(
                # Only the alliances the authoriser may see are named.
                Prefetch(
                    "user__alliance_memberships",
                    queryset=AllianceMembership.objects.filter(
                        alliance__in=alliances_visible_to(user)
                    ).select_related("alliance"),
                )
            )
        )
        if user.organisation_id
        else PeerProfile.objects.none()
    )
    return {"pending": pending, "decided": decided, "colleagues": colleagues}


def _funder_context(user: User) -> dict[str, Any]:
    funded = (
        alliances_visible_to(user)
        .filter(funders=user.organisation_id)
        .select_related("theme")
        .annotate(
            n_members=Count("memberships", distinct=True),
            n_organisations=Count("member_organisations", distinct=True),
        )
        .order_by("name")
        if user.organisation_id
        else alliances_visible_to(user).none()
    )
    return {"funded": funded, "balance": supply_and_demand_by_theme(user=user)}


def _admin_context(user: User) -> dict[str, Any]:
    return {
        "counts": {
            "users": User.objects.count(),
            "peers": PeerProfile.objects.count(),
            "alliances": alliances_visible_to(user).count(),
            "initiatives": initiatives_visible_to(user).count(),
        },
        "pending_authorisations": authorisations_visible_to(user)
        .filter(status=AuthorisationStatus.REQUESTED)
        .count(),
        "balance": supply_and_demand_by_theme(user=user),
    }
