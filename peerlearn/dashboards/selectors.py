"""Each role's home page as a read model, built only from the access layer and the domain
apps' selectors. The app sits at the top of the tree: it imports the domains, none of them
imports it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerlearn.access.alliances import alliances_managed_by, alliances_visible_to
from peerlearn.access.base import Viewer, profile_of
from peerlearn.access.evidence import digest_entries_for
from peerlearn.access.initiatives import initiatives_visible_to
from peerlearn.access.peers import (
    authorisations_visible_to,
    experiences_visible_to,
    peers_visible_to,
)
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.models import AllianceMembership
from peerlearn.matchmaking.selectors import open_proposals_for_member, run_list
from peerlearn.notifications.needs import needs_for
from peerlearn.peers.models import AuthorisationStatus, PeerProfile
from peerlearn.peers.selectors import peer_statements, supply_and_demand_by_theme


@dataclass(frozen=True)
class OnboardingStep:
    label: str
    done: bool
    url: str


#: What a complete profile has, beyond what every profile has (stage, seniority): each
#: part's label on the profile form, the id of the element a link to it reaches there, and
#: whether a profile has it, in the form's order (a link leads to the first one empty).
_PROFILE_PARTS: tuple[tuple[Promise, str, Callable[[PeerProfile], bool]], ...] = (
    (
        gettext_lazy("Organisation"),
        "id_organisation__q",
        lambda p: p.user.organisation_id is not None,
    ),
    (gettext_lazy("Position"), "id_position", lambda p: bool(p.position.strip())),
    (gettext_lazy("Working languages"), "id_languages__q", lambda p: p.languages.exists()),
    (gettext_lazy("Reform areas"), "id_reform_areas", lambda p: p.reform_areas.exists()),
    (gettext_lazy("About me"), "id_bio", lambda p: bool(p.bio.strip())),
)


#: How many peers the home suggests for a peer's challenges, from how many of their
#: latest experiences (a peer with several is named once).
HELPFUL_SHOWN = 6
HELPFUL_READ = 60

#: The checklist's steps after the profile, in order.
_LATER_STEPS: tuple[Promise, ...] = (
    gettext_lazy("Let facilitators find you: show your profile to signed-in users"),
    gettext_lazy("Say what you want to learn, or what you can share"),
    gettext_lazy("Ask your home organisation to authorise your participation"),
)


@dataclass(frozen=True)
class ProfilePart:
    """A part of the profile still empty: the profile form's label, and the id of the
    element a link to it reaches on that form."""

    label: str
    anchor: str

    def __str__(self) -> str:
        return self.label


def profile_missing(peer: PeerProfile) -> list[ProfilePart]:
    """The parts of the profile still empty, by the profile form's labels."""
    return [
        ProfilePart(str(label), anchor) for label, anchor, has in _PROFILE_PARTS if not has(peer)
    ]


def profile_missing_links(missing: list[ProfilePart]) -> str:
    """The empty parts as links to their fields on the profile form, for "fill in …"."""
    edit = reverse("peers:profile_edit")
    return format_html_join(
        ", ", '<a href="{}#{}">{}</a>', ((edit, part.anchor, part.label) for part in missing)
    )


def profile_completeness(peer: PeerProfile, missing: list[ProfilePart] | None = None) -> int:
    """How much of the profile is filled in, in percent."""
    missing = profile_missing(peer) if missing is None else missing
    return round(100 * (len(_PROFILE_PARTS) - len(missing)) / len(_PROFILE_PARTS))


def memberships_of(user: User) -> QuerySet[AllianceMembership]:
    """The user's own alliance memberships, in alliances they may see."""
    return (
        AllianceMembership.objects.filter(user=user, alliance__in=alliances_visible_to(user))
        .select_related("alliance", "alliance__theme")
        .order_by("alliance__name")
    )


def home_public(user: Viewer) -> dict[str, Any]:
    return {
        "initiatives": initiatives_visible_to(user).prefetch_related("countries")[:8],
        "alliances": alliances_visible_to(user).select_related("theme")[:6],
        "n_peers": peers_visible_to(user).count(),
    }


def home_peer(user: User) -> dict[str, Any]:
    peer = profile_of(user)
    context: dict[str, Any] = {
        "peer": peer,
        "memberships": memberships_of(user),
        "proposals": open_proposals_for_member(user=user)[:10],
        # What waits for the peer, from every app: the same list as "What needs you".
        "waiting": needs_for(user),
    }
    if peer is None:
        # A newcomer: the same checklist, every step still ahead; the others open once the
        # profile is saved (their pages ask for it first), so only the first one links.
        edit = reverse("peers:profile_edit")
        context["completeness"] = 0
        context["onboarding"] = [
            OnboardingStep(
                _("Tell peers who you are: complete your profile (%(n)s%% done)") % {"n": 0},
                False,
                edit,
            ),
            *(OnboardingStep(str(label), False, "") for label in _LATER_STEPS),
        ]
        return context
    # Where the peer's home-organisation authorisation stands: granted by anyone, else the
    # latest request's state (requested, declined, revoked), else none asked yet.
    requests = list(
        authorisations_visible_to(user)
        .filter(peer=peer)
        .select_related("authoriser")
        .order_by("-requested_at", "-id")
    )
    granted = next((a for a in requests if a.status == AuthorisationStatus.GRANTED), None)
    latest = granted or (requests[0] if requests else None)
    context["latest_authorisation"] = latest
    context["authorisation_state"] = latest.status if latest else ""
    # Read once: the page lists them, the onboarding checks them, the suggestions use
    # their themes.
    challenges, experiences = (list(s) for s in peer_statements(user=user, peer=peer))
    context["challenges"] = challenges
    context["experiences"] = experiences
    context["profile_missing"] = profile_missing(peer)
    context["profile_missing_links"] = profile_missing_links(context["profile_missing"])
    context["completeness"] = profile_completeness(peer, context["profile_missing"])
    show, say, authorise = (str(label) for label in _LATER_STEPS)
    steps = [
        OnboardingStep(
            _("Tell peers who you are: complete your profile (%(n)s%% done)")
            % {"n": context["completeness"]},
            context["completeness"] == 100,
            # At the first part still empty.
            reverse("peers:profile_edit")
            + (f"#{context['profile_missing'][0].anchor}" if context["profile_missing"] else ""),
        ),
        OnboardingStep(
            show,
            peer.visibility in (Visibility.PLATFORM, Visibility.PUBLIC),
            reverse("peers:profile_edit"),
        ),
        OnboardingStep(
            say,
            bool(challenges or experiences),
            reverse("peers:statement_new", args=["challenges"]),
        ),
        OnboardingStep(
            authorise,
            context["authorisation_state"]
            in (AuthorisationStatus.REQUESTED, AuthorisationStatus.GRANTED),
            reverse("peers:authorisation_new"),
        ),
    ]
    context["onboarding"] = steps if not all(s.done for s in steps) else []
    # Other peers with experience in the themes of my challenges, each once with their
    # latest experience: a first look at who could help, before a facilitator runs a
    # matching.
    latest_first = (
        experiences_visible_to(user)
        .filter(theme_id__in={c.theme_id for c in challenges})
        .exclude(peer=peer)
        .select_related("theme", "peer__user__organisation__country")
        .order_by("-updated_at", "-id")[:HELPFUL_READ]
    )
    per_peer: dict[int, Any] = {}
    for experience in latest_first:
        per_peer.setdefault(experience.peer_id, experience)
    context["helpful_experiences"] = list(per_peer.values())[:HELPFUL_SHOWN]
    return context


def home_facilitator(user: User) -> dict[str, Any]:
    facilitated = (
        alliances_managed_by(user)
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


#: How far back, and how many of, the diary entries an authoriser's home page shows.
BROUGHT_BACK_DAYS = 90
BROUGHT_BACK_SHOWN = 10


def home_authoriser(user: User) -> dict[str, Any]:
    mine = authorisations_visible_to(user).filter(authoriser=user).select_related("peer__user")
    colleagues: QuerySet[PeerProfile] = PeerProfile.objects.none()
    if user.organisation_id:
        # Only the alliances the authoriser may see are named beside each colleague.
        visible_memberships = AllianceMembership.objects.filter(
            alliance__in=alliances_visible_to(user)
        ).select_related("alliance")
        colleagues = (
            peers_visible_to(user)
            .filter(user__organisation_id=user.organisation_id)
            .select_related("user")
            .prefetch_related(
                Prefetch(
                    "user__alliance_memberships",
                    queryset=visible_memberships.order_by("alliance__name"),
                    to_attr="visible_memberships",
                )
            )
            .order_by("user__name", "id")
        )
    today = timezone.localdate()
    return {
        "pending": mine.filter(status=AuthorisationStatus.REQUESTED),
        "decided": mine.exclude(status=AuthorisationStatus.REQUESTED)[:20],
        "colleagues": colleagues,
        # What the organisation's peers bring back: the diary entries they share with the
        # authoriser (the digest's rule), the latest first.
        "brought_back": digest_entries_for(
            user, starts_on=today - timedelta(days=BROUGHT_BACK_DAYS), ends_on=today
        )
        .select_related("author", "alliance")
        .order_by("-written_on", "-id")[:BROUGHT_BACK_SHOWN],
        "brought_back_days": BROUGHT_BACK_DAYS,
    }


def home_funder(user: User) -> dict[str, Any]:
    funded = alliances_visible_to(user).none()
    if user.organisation_id:
        funded = (
            alliances_visible_to(user)
            .filter(funders=user.organisation_id)
            .select_related("theme")
            .annotate(
                n_members=Count("memberships", distinct=True),
                n_organisations=Count("member_organisations", distinct=True),
            )
            .order_by("name")
        )
    return {"funded": funded, "balance": supply_and_demand_by_theme(user=user)}


def home_admin(user: User) -> dict[str, Any]:
    return {
        "counts": {
            "users": User.objects.count(),
            "peers": peers_visible_to(user).count(),
            "alliances": alliances_visible_to(user).count(),
            "initiatives": initiatives_visible_to(user).count(),
        },
        "pending_authorisations": authorisations_visible_to(user)
        .filter(status=AuthorisationStatus.REQUESTED)
        .count(),
        "balance": supply_and_demand_by_theme(user=user),
    }


@dataclass(frozen=True)
class DashboardRow:
    """One alliance on the facilitator's dashboard. ``None``: the fact is not gathered (or,
    for a closed alliance, no longer followed)."""

    alliance: Any
    days_in_stage: int | None
    open_questions: int | None
    next_activity: Any
    overdue_milestones: int | None
    not_engaged: int | None
    warnings: list[Any]
    closed_on: Any = None


def facilitator_dashboard(user: User, *, today: Any = None) -> list[DashboardRow]:
    """Every alliance the user runs, with its stage, the facts gathered about it and the
    principle warnings (``dashboards/warnings.py``); closed alliances last, with the day they
    closed and nothing to follow up. The number of queries does not grow with the number of
    alliances."""
    from django.utils import timezone

    from peerlearn.access.strategy import dashboard_alliances_for
    from peerlearn.dashboards.facts import (
        NEXT_ACTIVITY,
        OPEN_QUESTIONS,
        OVERDUE_MILESTONES,
        dashboard_facts,
    )
    from peerlearn.dashboards.warnings import not_engaged_count, run_checks

    today = today or timezone.localdate()
    everything = list(dashboard_alliances_for(user).select_related("theme").order_by("name"))
    alliances = [a for a in everything if not a.is_closed]
    facts = dashboard_facts([a.id for a in alliances], today=today)
    warnings = run_checks(alliances, facts)

    def gathered(name: str, values: dict[int, Any], alliance_id: int, default: Any) -> Any:
        return values.get(alliance_id, default) if name in facts.gathered else None

    rows = []
    for a in alliances:
        since = facts.stage_since.get(a.id)
        # Days as the reader counts them: the stage's start read in their zone, as "today" is.
        started = timezone.localdate(since) if since is not None else None
        rows.append(
            DashboardRow(
                alliance=a,
                days_in_stage=(today - started).days if started is not None else None,
                open_questions=gathered(OPEN_QUESTIONS, facts.open_questions, a.id, 0),
                next_activity=gathered(NEXT_ACTIVITY, facts.next_activity, a.id, None),
                overdue_milestones=gathered(OVERDUE_MILESTONES, facts.overdue_milestones, a.id, 0),
                not_engaged=not_engaged_count(facts, a.id),
                warnings=warnings.get(a.id, []),
            )
        )
    rows.extend(
        DashboardRow(a, None, None, None, None, None, [], closed_on=a.closed_on)
        for a in everything
        if a.is_closed
    )
    return rows
