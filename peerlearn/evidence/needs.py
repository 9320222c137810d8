"""What the evidence asks of a person (see ``notifications.needs``): a principles scorecard
round of their alliance, open today, that they have not filled in."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.evidence import scorecard_rounds_to_fill_in_by
from peerlearn.accounts.models import User
from peerlearn.notifications.needs import Need


def _scorecards_to_fill_in(user: User) -> Iterable[Need]:
    today = timezone.localdate()
    rounds = (
        scorecard_rounds_to_fill_in_by(user)
        .filter(opens_on__lte=today, closes_on__gte=today, alliance__closed_on__isnull=True)
        .exclude(sheets__assessor=user)
        .select_related("alliance")
        .order_by("closes_on", "id")
    )
    for r in rounds:
        yield Need(
            kind="scorecard",
            text=_("Fill in the principles scorecard “%(round)s” of %(alliance)s")
            % {"round": r.title, "alliance": r.alliance.name},
            url=reverse("evidence:round", args=[r.id]),
            due=r.closes_on,
        )


NEEDS = [_scorecards_to_fill_in]
