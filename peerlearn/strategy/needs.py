"""What the strategy asks of a person (see ``notifications.needs``): their own part of a
learning strategy still to confirm, and a pre-assessment's ranking still to give."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from peerlearn.access.strategy import alliances_taken_part_in, strategy_parts_visible_to
from peerlearn.accounts.models import User
from peerlearn.notifications.needs import Need


def _parts_to_confirm(user: User) -> Iterable[Need]:
    parts = (
        strategy_parts_visible_to(user)
        .filter(member=user, confirmed_at__isnull=True)
        .select_related("alliance")
        .order_by("updated_at")
    )
    for part in parts:
        yield Need(
            kind="strategy",
            text=_("Confirm your part of the learning strategy of %(alliance)s")
            % {"alliance": part.alliance.name},
            url=reverse("strategy:strategy", args=[part.alliance.slug]),
            since=part.updated_at,
        )


def _rankings_to_give(user: User) -> Iterable[Need]:
    from peerlearn.strategy.models import GroupRank, PreAssessment, PreAssessmentState

    waiting = (
        PreAssessment.objects.filter(
            state=PreAssessmentState.RANKING,
            alliance__in=alliances_taken_part_in(user),
            alliance__closed_on__isnull=True,
        )
        .exclude(alliance__in=GroupRank.objects.filter(member=user).values("alliance"))
        .select_related("alliance")
        .order_by("alliance__name")
    )
    for pa in waiting:
        yield Need(
            kind="ranking",
            text=_("Rank the groups of learning needs of %(alliance)s")
            % {"alliance": pa.alliance.name},
            url=reverse("strategy:ranking", args=[pa.alliance.slug]),
            since=pa.ranking_opened_at,
        )


NEEDS = [_parts_to_confirm, _rankings_to_give]
