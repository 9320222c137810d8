"""A run's proposals: sent to the peers, answered, reminded, withdrawn, and confirmed into
learning alliances."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peerlearn.access.alliances import can_manage_alliance
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.models import MemberRole as AllianceRole
from peerlearn.alliances.services import alliance_create, alliance_member_add
from peerlearn.core.choices import PartnershipType
from peerlearn.core.dates import date_format
from peerlearn.core.mail import notify
from peerlearn.matchmaking.models import (
    DeclineReason,
    ExcludedPair,
    ExclusionReason,
    MatchingRun,
    MemberResponse,
    Proposal,
    ProposalMember,
    ProposalRole,
    ProposalStatus,
    RunKind,
    RunStatus,
    acceptances_needed,
)
from peerlearn.peers.models import PeerProfile


def _close_if_done(run: MatchingRun) -> None:
    if not run.proposals.filter(status=ProposalStatus.PROPOSED).exists():
        run.status = RunStatus.CLOSED
        run.save(update_fields=["status", "updated_at"])


def _notify(users: Iterable[User], template: str, context: dict[str, Any]) -> None:
    notify(users, f"matchmaking/email/{template}", context)


#: Days peers have to answer when the facilitator sets no reply-by date.
REPLY_DAYS = 14

#: The longest a proposal waits for its answers: a match proposed for longer waits on peers
#: whose needs, posts or availability may have changed, and holds them meanwhile.
REPLY_DAYS_MAX = 90


@transaction.atomic
def matching_run_propose(
    *,
    run: MatchingRun,
    site_url: str = "",
    reply_by: date | None = None,
    min_accepted: int | None = None,
) -> MatchingRun:
    """Send the reviewed proposals to their peers: they can now see, accept or decline them
    until ``reply_by`` (default: in REPLY_DAYS days). ``min_accepted``: the acceptances a
    proposal needs to be confirmed (default: see ``acceptances_needed``)."""
    run = MatchingRun.objects.select_for_update().get(id=run.id)
    if run.status != RunStatus.DRAFT:
        raise ValidationError({"status": [_("These proposals were already sent to the peers.")]})
    today = timezone.localdate()
    if reply_by is None:
        reply_by = today + timedelta(days=REPLY_DAYS)
    # Every error in one round: the date and the acceptances are checked together.
    errors: dict[str, list[str]] = {}
    last = today + timedelta(days=REPLY_DAYS_MAX)
    if reply_by <= today:
        errors["reply_by"] = [_("Choose a reply-by date after today, so that peers have time.")]
    elif reply_by > last:
        errors["reply_by"] = [
            _(
                "Choose a reply-by date within %(days)d days, by %(last)s at the latest: "
                "peers answer a proposal while it is still news."
            )
            % {"days": REPLY_DAYS_MAX, "last": date_format(last)}
        ]
    if min_accepted is not None and min_accepted < 2:
        errors["min_accepted"] = [
            _("An alliance needs at least two members: ask for two or more acceptances.")
        ]
    proposals = list(
        run.proposals.filter(status=ProposalStatus.PROPOSED).prefetch_related("members__peer__user")
    )
    if not proposals:
        raise ValidationError(
            {"status": [_("There is no proposal left to send: run a new matching.")]}
        )
    largest = max(len(p.members.all()) for p in proposals)
    if min_accepted is not None and min_accepted > largest:
        errors["min_accepted"] = [
            _(
                "The largest proposal has %(largest)s members: ask for %(largest)s "
                "acceptances or fewer (a smaller proposal then needs all its members)."
            )
            % {"largest": largest}
        ]
    if errors:
        raise ValidationError(errors)
    run.status = RunStatus.PROPOSED
    run.min_accepted = min_accepted
    run.save(update_fields=["status", "min_accepted", "updated_at"])
    run.proposals.filter(status=ProposalStatus.PROPOSED).update(reply_by=reply_by)
    for proposal in proposals:
        url = site_url + reverse("matchmaking:proposal", args=[proposal.id])
        _notify(
            [m.peer.user for m in proposal.members.all()],
            "proposed",
            {
                "run": run,
                "proposal": proposal,
                "url": url,
                "facilitator": run.created_by.name,
                "kind": RunKind(run.kind).label,  # in each recipient's language
                "reply_by": reply_by,
            },
        )
    return run


def reminders_send(*, site_url: str = "", days_before: int | None = None) -> int:
    """E-mail every member who has not answered an open proposal whose reply-by date is at
    most ``days_before`` days away (default settings.PEERLEARN_REMINDER_DAYS). Each member is
    reminded once: the reminder is claimed by setting ``reminded_at`` where it is still
    empty, so two workers, or a sweep run twice, never send it twice. Returns how many were
    sent."""
    if days_before is None:
        days_before = int(getattr(settings, "PEERLEARN_REMINDER_DAYS", 3))
    today = timezone.localdate()
    due = (
        ProposalMember.objects.filter(
            response=MemberResponse.PENDING,
            reminded_at__isnull=True,
            proposal__status=ProposalStatus.PROPOSED,
            proposal__run__status=RunStatus.PROPOSED,
            proposal__reply_by__isnull=False,
            proposal__reply_by__gte=today,
            proposal__reply_by__lte=today + timedelta(days=days_before),
        )
        .select_related("peer__user", "proposal__run__created_by")
        .order_by("id")
    )
    sent = 0
    for member in due:
        with transaction.atomic():
            claimed = ProposalMember.objects.filter(
                id=member.id, reminded_at__isnull=True, response=MemberResponse.PENDING
            ).update(reminded_at=timezone.now())
            if not claimed:
                continue
            proposal = member.proposal
            _notify(
                [member.peer.user],
                "reminder",
                {
                    "url": site_url + reverse("matchmaking:proposal", args=[proposal.id]),
                    "reply_by": proposal.reply_by,
                    "facilitator": proposal.run.created_by.name,
                    "kind": RunKind(proposal.run.kind).label,
                },
            )
            sent += 1
    return sent


@transaction.atomic
def matching_run_close(*, run: MatchingRun) -> MatchingRun:
    """End a run: proposals not yet confirmed are withdrawn, and nobody answers any more."""
    run = MatchingRun.objects.select_for_update().get(id=run.id)
    if run.status == RunStatus.CLOSED:
        raise ValidationError({"status": [_("This matching is already closed.")]})
    run.proposals.filter(status=ProposalStatus.PROPOSED).update(status=ProposalStatus.WITHDRAWN)
    run.status = RunStatus.CLOSED
    run.save(update_fields=["status", "updated_at"])
    return run


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("run").get(id=proposal.id)
    )
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError({"status": [_("Only an open proposal can be withdrawn.")]})
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status"])
    if proposal.run.status == RunStatus.PROPOSED:
        _close_if_done(proposal.run)
    return proposal


ANSWERS = ("accept", "decline", "not_now")


@transaction.atomic
def proposal_respond(
    *,
    proposal: Proposal,
    peer: PeerProfile,
    answer: str,
    decline_reason: str = "",
    conflict_with: Iterable[int] = (),
    reason: str = "",
) -> ProposalMember:
    """A peer answers: ``accept``, ``decline`` or ``not_now``. A decline says why
    (``DeclineReason``) and is final; only a conflict keeps the decliner apart from the
    members named in ``conflict_with`` (peer ids) in later matchings. "Not now" excludes
    nobody, and the peer may still accept while the proposal is open."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("run").get(id=proposal.id)
    )
    if proposal.run.status != RunStatus.PROPOSED or proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError({"response": [_("This proposal is no longer open for answers.")]})
    member = proposal.members.filter(peer=peer).first()
    if member is None:
        raise ValidationError({"response": [_("You are not in this proposal.")]})
    if member.response == MemberResponse.DECLINED:
        raise ValidationError(
            {
                "response": [
                    _(
                        "You declined this proposal; ask the facilitator if you have "
                        "changed your mind."
                    )
                ]
            }
        )
    if answer not in ANSWERS:
        raise ValidationError({"response": [_("Answer accept, decline or not now.")]})
    reason = reason.strip()
    if len(reason) > 1000:
        raise ValidationError({"reason": [_("Keep the reason under 1,000 characters.")]})
    conflicts: set[int] = set()
    if answer == "decline":
        if decline_reason not in DeclineReason.values:
            raise ValidationError(
                {
                    "decline_reason": [
                        _(
                            "Say why you decline: not interested in this proposal, a "
                            "conflict with a member, or no time."
                        )
                    ]
                }
            )
        others = set(proposal.members.exclude(peer=peer).values_list("peer_id", flat=True))
        conflicts = {int(c) for c in conflict_with}
        if decline_reason == DeclineReason.CONFLICT:
            if not conflicts:
                raise ValidationError(
                    {"conflict_with": [_("Choose the member or members you have a conflict with.")]}
                )
            if not conflicts <= others:
                raise ValidationError(
                    {"conflict_with": [_("Choose only other members of this proposal.")]}
                )
        elif conflicts:
            raise ValidationError(
                {
                    "conflict_with": [
                        _("Name members only when you decline because of a conflict with them.")
                    ]
                }
            )
    else:
        decline_reason = ""
    member.response = {
        "accept": MemberResponse.ACCEPTED,
        "decline": MemberResponse.DECLINED,
        "not_now": MemberResponse.NOT_NOW,
    }[answer]
    member.decline_reason = decline_reason
    member.responded_at = timezone.now()
    member.reason = reason
    member.full_clean()
    member.save(update_fields=["response", "decline_reason", "responded_at", "reason"])
    for other in sorted(conflicts):
        _exclusion_keep(
            peer.id,
            other,
            reason=ExclusionReason.CONFLICT,
            source_proposal=proposal,
            created_by=peer.user,
        )
    return member


def _exclusion_keep(a: int, b: int, **fields: Any) -> ExcludedPair:
    low, high = sorted((a, b))
    pair, _ = ExcludedPair.objects.get_or_create(peer_a_id=low, peer_b_id=high, defaults=fields)
    return pair


def default_alliance_name(
    theme: str | None = None, *, day: date | None = None, number: int | None = None
) -> str:
    """The name a run's new alliances take when the facilitator gives none, in the reader's
    language: the theme and the day (today by default), so that it is recognisable in the
    list of alliances; with the proposal's ``number`` when a run forms several, before the
    day ("Revenue alliance 2, December 7, 2026")."""
    when = date_format(day or timezone.localdate(), "DATE_FORMAT")
    if number is not None:
        if theme:
            return _("%(theme)s alliance %(number)s, %(date)s") % {
                "theme": theme,
                "number": number,
                "date": when,
            }
        return _("Learning alliance %(number)s, %(date)s") % {"number": number, "date": when}
    if theme:
        return _("%(theme)s alliance, %(date)s") % {"theme": theme, "date": when}
    return _("Learning alliance, %(date)s") % {"date": when}


def _default_name_of(run: MatchingRun) -> tuple[date, bool] | None:
    """The day of the default name a run was given and whether it names the theme, in
    whichever language it was written (the day of the run, or the day before or after in
    the facilitator's time zone); None when the facilitator named the alliances."""
    name = run.alliance_name
    if not name or run.created_at is None:
        return None
    created = timezone.localdate(run.created_at)
    days = [created, created - timedelta(days=1), created + timedelta(days=1)]
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            themes = [run.theme.display_name, None] if run.theme is not None else [None]
            for day in days:
                for theme in themes:
                    if name == default_alliance_name(theme, day=day):
                        return day, theme is not None
    return None


def run_alliance_name(run: MatchingRun, *, number: int | None = None) -> str:
    """The name of an alliance a run's confirmed proposal forms, unless the facilitator
    changes it: the run's name, with the proposal's ``number`` when the run formed several.
    A default name is written again in the reader's language, its number before the day."""
    default = _default_name_of(run)
    if default is not None:
        day, themed = default
        theme = run.theme.display_name if themed and run.theme is not None else None
        return default_alliance_name(theme, day=day, number=number)
    if number is None:
        return run.alliance_name
    return f"{run.alliance_name} {number}"


def proposal_default_alliance_name(*, run: MatchingRun, proposal: Proposal) -> str:
    """The run's alliance name, numbered when the run proposed several groups."""
    several = run.proposals.count() > 1
    return run_alliance_name(run, number=proposal.position if several else None)


def _working_languages(proposal: Proposal, accepted: list[ProposalMember]) -> list[str]:
    spoken = [{lang.code for lang in m.peer.languages.all()} for m in accepted]
    common = set.intersection(*spoken) if spoken else set()
    if proposal.language and proposal.language in common:
        return [proposal.language, *sorted(common - {proposal.language})]
    if common:
        return sorted(common)
    return [proposal.language] if proposal.language else sorted(set().union(*spoken))


def _text_language(working_languages: list[str]) -> str:
    """The language to write an alliance's text in: the reader's own where the alliance
    works in it, else its first working language the platform speaks, else the reader's."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    spoken = {code for code, _name in settings.LANGUAGES}
    if current in working_languages:
        return current
    return next((code for code in working_languages if code in spoken), current)


@transaction.atomic
def proposal_confirm(
    *,
    proposal: Proposal,
    confirmed_by: User,
    alliance_name: str = "",
    visibility: str = Visibility.ALLIANCE,
    site_url: str = "",
) -> Proposal:
    """Create a learning alliance from the members who accepted (Type I for a pair, Type II
    for a group or team), or add them to the run's alliance. Needs as many acceptances as
    ``acceptances_needed``."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("run", "run__theme", "run__target_alliance")
        .get(id=proposal.id)
    )
    run = proposal.run
    if run.status != RunStatus.PROPOSED or proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(
            {"status": [_("Only a proposal sent to peers and still open can be confirmed.")]}
        )
    accepted = list(
        proposal.members.filter(response=MemberResponse.ACCEPTED)
        .select_related("peer__user")
        .prefetch_related("peer__languages")
        .order_by("id")
    )
    needed = acceptances_needed(run, proposal.members.count())
    if len(accepted) < needed:
        raise ValidationError(
            {
                "members": [
                    _(
                        "%(n)s of %(size)s members accepted; this matching needs at least "
                        "%(needed)s to confirm a proposal. Wait for more answers, or withdraw "
                        "the proposal."
                    )
                    % {"n": len(accepted), "size": proposal.members.count(), "needed": needed}
                ]
            }
        )
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": [_("Choose private, alliance, platform or public.")]})
    alliance = run.target_alliance
    if alliance is not None:
        if not can_manage_alliance(confirmed_by, alliance):
            raise ValidationError(
                {"alliance": [_("Only the alliance's facilitators may add members to it.")]}
            )
    else:
        if run.theme is None:
            raise ValidationError({"theme": [_("This run has no theme for a new alliance.")]})
        name = alliance_name.strip() or proposal_default_alliance_name(run=run, proposal=proposal)
        working_languages = _working_languages(proposal, accepted)
        # Not the explanation: it may quote members who did not accept. Written in the
        # alliance's working language where the platform speaks it: its members read it.
        with translation.override(_text_language(working_languages)):
            purpose = run.problem or _(
                "Peers matched on %(theme)s who chose to learn from each other."
            ) % {"theme": run.theme.display_name}
        try:
            alliance = alliance_create(
                name=name,
                theme=run.theme.slug,
                purpose=purpose,
                working_languages=working_languages,
                created_by=confirmed_by,
                type=(
                    PartnershipType.TYPE_I if run.kind == RunKind.PAIRS else PartnershipType.TYPE_II
                ),
                visibility=visibility,
            )
        except ValidationError as e:
            if hasattr(e, "error_dict") and "name" in e.error_dict:
                raise ValidationError({"alliance_name": e.error_dict["name"]}) from e
            raise
    present = set(alliance.memberships.values_list("user_id", flat=True))
    for member in accepted:
        if member.peer.user_id in present:
            continue
        role = AllianceRole.RESOURCE if member.role == ProposalRole.PROVIDER else AllianceRole.PEER
        alliance_member_add(
            alliance=alliance, user=member.peer.user, role=role, joined_on=timezone.localdate()
        )
    proposal.alliance = alliance
    proposal.status = ProposalStatus.CONFIRMED
    proposal.confirmed_at = timezone.now()
    proposal.save(update_fields=["alliance", "status", "confirmed_at"])
    _close_if_done(run)
    url = site_url + reverse("alliances:detail", args=[alliance.slug])
    _notify(
        [m.peer.user for m in accepted],
        "confirmed",
        {"alliance": alliance.name, "url": url, "facilitator": confirmed_by.name},
    )
    return proposal
