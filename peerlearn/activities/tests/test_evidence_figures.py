"""The activities feed the results chain: an indicator counted from the alliance's
activities reads what was held and who attended, without retyping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from peerlearn.activities import services
from peerlearn.activities.selectors import activity_figures
from peerlearn.activities.tests.world import held, schedule
from peerlearn.evidence.computed import computed_actual
from peerlearn.evidence.models import IndicatorSource
from peerlearn.evidence.services import indicator_create, indicator_period_save

pytestmark = pytest.mark.django_db


def test_counted_indicators_read_the_activities_held_and_their_attendance(
    aworld: SimpleNamespace,
) -> None:
    w = aworld
    first = held(w, participants=("peer_a", "peer_b"))
    services.attendance_record(activity=first, attended_ids=[w.peer_a.id, w.peer_b.id])
    second = held(w, title="Exchange visit", participants=("peer_a", "peer_b"))
    services.attendance_record(activity=second, attended_ids=[w.peer_a.id])
    cancelled = held(w, title="Cancelled roundtable")
    services.activity_cancel(activity=cancelled, site_url="")
    schedule(w, days=5, title="Not yet held")

    today = timezone.localdate()
    period = (today - dt.timedelta(days=30), today + dt.timedelta(days=30))
    figures = activity_figures(alliance_id=w.alliance.id, starts_on=period[0], ends_on=period[1])
    assert (figures.activities_held, figures.total_attendance, figures.distinct_participants) == (
        2,
        3,
        2,
    )
    for source, expected in (
        (IndicatorSource.ACTIVITIES_HELD, Decimal(2)),
        (IndicatorSource.TOTAL_ATTENDANCE, Decimal(3)),
        (IndicatorSource.DISTINCT_PARTICIPANTS, Decimal(2)),
    ):
        indicator = indicator_create(
            alliance=w.alliance,
            created_by=w.facilitator,
            level=2,
            result="Peers meet repeatedly",
            name=f"Counted: {source}",
            source=source,
            visibility="alliance",
            unit="activities or people",
        )
        saved = indicator_period_save(
            indicator=indicator, saved_by=w.facilitator, starts_on=period[0], ends_on=period[1]
        )
        assert computed_actual(indicator, saved) == expected
    # Outside the period, nothing was held.
    before = activity_figures(
        alliance_id=w.alliance.id,
        starts_on=today - dt.timedelta(days=90),
        ends_on=today - dt.timedelta(days=60),
    )
    assert before.activities_held == before.total_attendance == 0


def test_the_members_report_shows_the_activities_held(aworld: SimpleNamespace) -> None:
    from django.test import Client
    from django.urls import reverse

    w = aworld
    first = held(w, participants=("peer_a", "peer_b"))
    services.attendance_record(activity=first, attended_ids=[w.peer_a.id])
    schedule(w, days=5, title="Not yet held")
    client = Client()
    client.force_login(w.facilitator)
    html = client.get(reverse("reports:alliance_members", args=[w.alliance.slug])).content.decode()
    assert "Activities and participation" in html
    assert "Workshop on revenue laws" in html and "Not yet held" not in html
    assert "1 / 2 (50%)" in html
