"""Evidence of results: indicators and their periods, harvested outcomes, knowledge
transfers, diary entries, insights and scorecards.

Content with a visibility follows the general rule: *private* — its author (``created_by``,
or a diary entry's ``author``); *alliance* — the safe space of its alliance (members in any
role and the alliance's funders) or, with no alliance, whoever shares an alliance with its
author; *platform* — signed-in users; *public* — anyone. Content that belongs to an
alliance is, besides, never shown to someone who may not see the alliance itself (its name
would show on the page). An indicator's periods are as visible as the indicator.
A diary entry is, like a challenge, never wider than its author's profile.
Scorecard sheets and their scores have no level of their own: they stay inside the
alliance's safe space; only a round's averages leave it, where the round may be seen.

Writing: an alliance's facilitators (and administrators) keep its results chain, harvest
its outcomes, record transfers and open scorecard rounds (``alliances_managed_by``);
facilitators record transfers with no alliance too; any signed-in user keeps a diary, tied
to an alliance they joined; facilitators write insights from entries shared with them; a
member of an alliance fills in its scorecard, from the round's opening day to its closing
day inclusive (afterwards its scorecards are final). The people who keep an alliance's
evidence also change and delete its indicators, outcomes and scorecard rounds.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.alliances import alliances_managed_by, alliances_visible_to
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
from peerlearn.access.peers import peers_visible_to
from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.core.dates import date_format

if TYPE_CHECKING:
    from peerlearn.accounts.models import User
    from peerlearn.alliances.models import LearningAlliance
    from peerlearn.evidence.models import (
        DiaryEntry,
        Indicator,
        IndicatorPeriod,
        Insight,
        KnowledgeTransfer,
        OutcomeStatement,
        ScorecardRound,
        ScorecardSheet,
        ScorecardSheetScore,
    )


def _level_q(user: Viewer, owner: str) -> Q:
    """The general rule on a model with ``visibility``, ``alliance`` and an owner field."""
    q = Q(visibility=Visibility.PUBLIC)
    if not is_signed_in(user):
        return q
    inner = inner_alliance_ids(user)
    q |= Q(visibility=Visibility.PLATFORM)
    q |= Q(**{owner: user})
    q |= Q(visibility=Visibility.ALLIANCE, alliance_id__in=inner)
    q |= Q(
        visibility=Visibility.ALLIANCE,
        alliance__isnull=True,
        **{f"{owner}__in": members_of(inner)},
    )
    return q


def _alliance_shown_q(user: Viewer) -> Q:
    """No alliance, or one the user may see."""
    return Q(alliance__isnull=True) | Q(alliance_id__in=alliances_visible_to(user).values("id"))


def _visible(
    user: Viewer, qs: QuerySet[Any], owner: str, *, within_alliance: bool = True
) -> QuerySet[Any]:
    if is_platform_admin(user):
        return qs
    qs = qs.filter(_level_q(user, owner))
    if within_alliance:
        qs = qs.filter(_alliance_shown_q(user))
    return qs


def alliance_shown_to(user: Viewer, alliance_id: int | None) -> bool:
    """Whether a page may name the alliance a piece of content belongs to."""
    if alliance_id is None:
        return False
    return alliances_visible_to(user).filter(id=alliance_id).exists()


def _inside(user: Viewer, qs: QuerySet[Any]) -> QuerySet[Any]:
    """Safe-space content with no level of its own: its alliance's inside only."""
    if is_platform_admin(user):
        return qs
    return qs.filter(alliance_id__in=inner_alliance_ids(user)).filter(_alliance_shown_q(user))


# --- the results chain -------------------------------------------------------------------


def indicators_visible_to(user: Viewer) -> QuerySet[Indicator]:
    from peerlearn.evidence.models import Indicator

    return _visible(user, Indicator.objects.all(), "created_by")


def access_indicator_by_id(user: Viewer, indicator_id: int) -> Indicator:
    indicator = (
        indicators_visible_to(user).select_related("alliance").filter(id=indicator_id).first()
    )
    if indicator is None:
        raise NotFound(_("No such indicator."))
    return indicator


def access_indicator_for_manage(user: Viewer, indicator_id: int) -> Indicator:
    indicator = access_indicator_by_id(user, indicator_id)
    if can_manage_evidence(user, indicator.alliance):
        return indicator
    raise AccessDenied(_("Only the alliance's facilitators may change its results chain."))


def indicator_periods_visible_to(user: Viewer) -> QuerySet[IndicatorPeriod]:
    """Periods of the indicators the user may see."""
    from peerlearn.evidence.models import IndicatorPeriod

    return IndicatorPeriod.objects.filter(indicator__in=indicators_visible_to(user).values("id"))


def can_manage_evidence(user: Viewer, alliance: LearningAlliance) -> bool:
    """The alliance's facilitators and administrators keep its evidence."""
    return alliances_managed_by(user).filter(id=alliance.id).exists()


def access_alliance_for_evidence(user: Viewer, alliance: LearningAlliance) -> LearningAlliance:
    if can_manage_evidence(user, alliance):
        return alliance
    raise AccessDenied(_("Only the alliance's facilitators may record its evidence."))


# --- harvested outcomes ------------------------------------------------------------------


def outcomes_visible_to(user: Viewer) -> QuerySet[OutcomeStatement]:
    from peerlearn.evidence.models import OutcomeStatement

    return _visible(user, OutcomeStatement.objects.all(), "created_by")


def access_outcome_by_id(user: Viewer, outcome_id: int) -> OutcomeStatement:
    outcome = (
        outcomes_visible_to(user)
        .select_related("alliance", "sdg_target")
        .filter(id=outcome_id)
        .first()
    )
    if outcome is None:
        raise NotFound(_("No such outcome."))
    return outcome


def access_outcome_for_manage(user: Viewer, outcome_id: int) -> OutcomeStatement:
    outcome = access_outcome_by_id(user, outcome_id)
    if can_manage_evidence(user, outcome.alliance):
        return outcome
    raise AccessDenied(_("Only the alliance's facilitators may change its outcomes."))


# --- knowledge transfers -----------------------------------------------------------------


def transfers_visible_to(user: Viewer) -> QuerySet[KnowledgeTransfer]:
    """The register is platform-wide: a transfer is seen by its own level, even when its
    alliance is not; pages then leave the alliance unnamed (``alliance_shown_to``)."""
    from peerlearn.evidence.models import KnowledgeTransfer

    return _visible(user, KnowledgeTransfer.objects.all(), "created_by", within_alliance=False)


def access_transfer_by_id(user: Viewer, transfer_id: int) -> KnowledgeTransfer:
    transfer = (
        transfers_visible_to(user)
        .select_related("alliance", "origin_organisation", "origin_country")
        .filter(id=transfer_id)
        .first()
    )
    if transfer is None:
        raise NotFound(_("No such knowledge transfer."))
    return transfer


def can_change_transfer(user: Viewer, transfer: KnowledgeTransfer) -> bool:
    """Who changes or deletes a transfer in the register: the facilitators of its alliance
    (and administrators); for one outside any alliance, the person who recorded it."""
    if transfer.alliance is not None:
        return can_manage_evidence(user, transfer.alliance)
    if is_platform_admin(user):
        return True
    return is_signed_in(user) and transfer.created_by_id == user.id


def access_transfer_for_manage(user: Viewer, transfer_id: int) -> KnowledgeTransfer:
    transfer = access_transfer_by_id(user, transfer_id)
    if can_change_transfer(user, transfer):
        return transfer
    raise AccessDenied(_("Only the facilitators who keep this transfer may change it."))


def may_record_transfers(user: Viewer) -> bool:
    """Facilitators and administrators record transfers (in alliances they manage, or
    with none)."""
    if is_platform_admin(user):
        return True
    return has_role(user, Role.FACILITATOR)


# --- diaries, insights and digests -------------------------------------------------------


def diary_entries_visible_to(user: Viewer) -> QuerySet[DiaryEntry]:
    """A diary entry is never wider than its author's peer profile (it names its author).
    A private entry is its author's alone, administrators' included: the diary promises
    "Private — only me", and reflection needs that safe space more than moderation needs
    to read it (nobody else can see it to report it)."""
    from peerlearn.evidence.models import DiaryEntry

    qs = DiaryEntry.objects.filter(author__is_active=True)
    if is_platform_admin(user):
        return qs.exclude(~Q(author=user), visibility=Visibility.PRIVATE)
    named = Q(author__peer_profile__isnull=True)
    named |= Q(author__peer_profile__in=peers_visible_to(user).values("id"))
    return _visible(user, qs, "author").filter(named)


def access_diary_entry_by_id(user: Viewer, entry_id: int) -> DiaryEntry:
    entry = (
        diary_entries_visible_to(user)
        .select_related("author", "alliance")
        .filter(id=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound(_("No such diary entry."))
    return entry


def can_edit_diary_entry(user: Viewer, entry: DiaryEntry) -> bool:
    """Its author only: a diary is its author's, whoever it is shared with."""
    if not is_signed_in(user):
        return False
    return entry.author_id == user.pk


def access_diary_entry_for_edit(user: Viewer, entry_id: int) -> DiaryEntry:
    entry = access_diary_entry_by_id(user, entry_id)
    if can_edit_diary_entry(user, entry):
        return entry
    raise AccessDenied(_("Only its author changes or deletes a diary entry."))


def own_diary_entries(user: Viewer) -> QuerySet[DiaryEntry]:
    """The user's own diary."""
    from peerlearn.evidence.models import DiaryEntry

    if not is_signed_in(user):
        return DiaryEntry.objects.none()
    return DiaryEntry.objects.filter(author=user)


def may_write_insights(user: Viewer) -> bool:
    if is_platform_admin(user):
        return True
    return has_role(user, Role.FACILITATOR)


def insight_sources_for(user: Viewer) -> QuerySet[DiaryEntry]:
    """Entries a facilitator may draw an insight from: shared ones (not private) they see."""
    return diary_entries_visible_to(user).exclude(visibility=Visibility.PRIVATE)


def insight_alliances_for(user: Viewer) -> QuerySet[LearningAlliance]:
    return alliances_managed_by(user)


def insights_visible_to(user: Viewer) -> QuerySet[Insight]:
    from peerlearn.evidence.models import Insight

    return _visible(user, Insight.objects.all(), "created_by")


def access_insight_by_id(user: Viewer, insight_id: int) -> Insight:
    insight = insights_visible_to(user).select_related("alliance").filter(id=insight_id).first()
    if insight is None:
        raise NotFound(_("No such insight."))
    return insight


def can_change_insight(user: Viewer, insight: Insight) -> bool:
    """An insight is changed or deleted by the facilitator who wrote it (and
    administrators)."""
    if is_platform_admin(user):
        return True
    return is_signed_in(user) and insight.created_by_id == user.id


def access_insight_for_manage(user: Viewer, insight_id: int) -> Insight:
    insight = access_insight_by_id(user, insight_id)
    if can_change_insight(user, insight):
        return insight
    raise AccessDenied(_("Only the facilitator who wrote this insight may change it."))


def digest_recipients() -> QuerySet[User]:
    """Who gets a digest: every active home-organisation authoriser with an organisation."""
    from peerlearn.accounts.models import User

    return User.objects.filter(
        role=Role.AUTHORISER, is_active=True, organisation__isnull=False
    ).order_by("id")


def digest_entries_for(
    authoriser: User, *, starts_on: dt.date, ends_on: dt.date
) -> QuerySet[DiaryEntry]:
    """What an authoriser's digest holds: entries by their own organisation's peers in the
    period, among those the authoriser may see."""
    if authoriser.organisation_id is None:
        return diary_entries_visible_to(authoriser).none()
    return (
        diary_entries_visible_to(authoriser)
        .filter(author__organisation_id=authoriser.organisation_id)
        .exclude(author=authoriser)
        .filter(written_on__gte=starts_on, written_on__lte=ends_on)
    )


# --- the principles scorecard ------------------------------------------------------------


def scorecard_rounds_visible_to(user: Viewer) -> QuerySet[ScorecardRound]:
    from peerlearn.evidence.models import ScorecardRound

    return _visible(user, ScorecardRound.objects.all(), "created_by")


def access_scorecard_round_by_id(user: Viewer, round_id: int) -> ScorecardRound:
    found = scorecard_rounds_visible_to(user).select_related("alliance").filter(id=round_id).first()
    if found is None:
        raise NotFound(_("No such scorecard round."))
    return found


def scorecard_sheets_visible_to(user: Viewer) -> QuerySet[ScorecardSheet]:
    from peerlearn.evidence.models import ScorecardSheet

    return _inside(user, ScorecardSheet.objects.all())


def scorecard_scores_visible_to(user: Viewer) -> QuerySet[ScorecardSheetScore]:
    from peerlearn.evidence.models import ScorecardSheetScore

    return _inside(user, ScorecardSheetScore.objects.all())


def scorecard_round_closed_reason(
    scorecard_round: ScorecardRound, today: dt.date | None = None
) -> tuple[str, str] | None:
    """Why the round takes no scorecard today, as ``(date field, statement)``, or None
    while it is open: from its opening day to its closing day inclusive. The one rule of
    the round page, the API and the service."""
    today = today or timezone.localdate()
    if today < scorecard_round.opens_on:
        return (
            "opens_on",
            _("This round opens on %(date)s.")
            % {"date": date_format(scorecard_round.opens_on, "DATE_FORMAT")},
        )
    if today > scorecard_round.closes_on:
        return (
            "closes_on",
            _("This round closed on %(date)s: its scorecards are final.")
            % {"date": date_format(scorecard_round.closes_on, "DATE_FORMAT")},
        )
    return None


def is_member_for_scorecard(user: Viewer, scorecard_round: ScorecardRound) -> bool:
    """Members of the round's alliance, in any role, are its assessors."""
    from peerlearn.alliances.models import AllianceMembership

    if not is_signed_in(user):
        return False
    return AllianceMembership.objects.filter(
        alliance_id=scorecard_round.alliance_id, user=user
    ).exists()


def may_fill_in_scorecard(user: Viewer, scorecard_round: ScorecardRound) -> bool:
    """A member of the round's alliance fills in (or changes) their scorecard while the
    round is open."""
    if not is_member_for_scorecard(user, scorecard_round):
        return False
    return scorecard_round_closed_reason(scorecard_round) is None


def scorecard_rounds_to_fill_in_by(user: Viewer) -> QuerySet[ScorecardRound]:
    """The rounds the user may see and, as a member of their alliance, fill in."""
    from peerlearn.alliances.models import AllianceMembership

    if not is_signed_in(user):
        return scorecard_rounds_visible_to(user).none()
    return scorecard_rounds_visible_to(user).filter(
        alliance_id__in=AllianceMembership.objects.filter(user=user).values("alliance_id")
    )


def access_scorecard_round_for_sheet(user: Viewer, round_id: int) -> ScorecardRound:
    """The round, for one of its assessors; whether it is open is the service's to say
    (its refusal names the dates)."""
    found = access_scorecard_round_by_id(user, round_id)
    if is_member_for_scorecard(user, found):
        return found
    raise AccessDenied(_("Only the alliance's members fill in its scorecard."))


def access_scorecard_round_for_manage(user: Viewer, round_id: int) -> ScorecardRound:
    found = access_scorecard_round_by_id(user, round_id)
    if can_manage_evidence(user, found.alliance):
        return found
    raise AccessDenied(_("Only the alliance's facilitators may change its scorecard rounds."))
