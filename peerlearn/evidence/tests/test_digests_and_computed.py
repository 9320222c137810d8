"""Authorisers' digests (what they may see, once per period) and computed actuals."""

from __future__ import annotations

import datetime as dt
import sys
import types
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from peerlearn.access.visibility import Visibility
from peerlearn.evidence import computed, selectors, services
from peerlearn.evidence.models import Digest, IndicatorSource

TODAY = dt.date(2026, 12, 2)  # a Wednesday: the last period is 23–29 November


def _entries(w: SimpleNamespace) -> None:
    in_period = dt.date(2026, 11, 25)
    for who in ("member_alliance", "member_platform"):
        for level in Visibility.values:
            services.diary_entry_create(
                author=getattr(w, who).user,
                title=f"{who} {level}",
                text=f"what {who} learned at {level}",
                written_on=in_period,
                visibility=level,
                kind="learned",
            )
    services.diary_entry_create(
        author=w.member_alliance.user,
        title="too early",
        text="x",
        written_on=dt.date(2026, 11, 1),
        visibility=Visibility.PUBLIC,
    )


def test_the_period_is_the_last_complete_one() -> None:
    assert services.digest_period(TODAY, 7) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert services.digest_period(dt.date(2026, 11, 30), 7) == (
        dt.date(2026, 11, 23),
        dt.date(2026, 11, 29),
    )


def test_a_digest_holds_only_what_its_authoriser_may_see_and_is_sent_once(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    _entries(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_send(today=TODAY, site_url="https://peerlearn.example") == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.authoriser_a.email]
    # County A's peer, at the levels the authoriser may see; nothing of county B, nothing
    # private, nothing alliance-only, nothing outside the period.
    assert "member_alliance platform" in message.body
    assert "member_alliance public" in message.body
    for absent in (
        "member_alliance private",
        "member_alliance alliance",
        "member_platform",
        "too early",
    ):
        assert absent not in message.body
    assert "https://peerlearn.example/evidence/diary/" in message.body
    # Sent once: a second sweep (another worker, or cron again) sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digests_send(today=TODAY, site_url="") == 0
        call_command("send_digests", "--today", TODAY.isoformat())
    assert len(mail.outbox) == 1
    digest = Digest.objects.get(authoriser=world.authoriser_a)
    assert digest.sent_at is not None and digest.entry_count == 2


def test_a_claimed_digest_is_not_sent_again(world: SimpleNamespace) -> None:
    _entries(world)
    start, end = services.digest_period(TODAY)
    Digest.objects.create(
        authoriser=world.authoriser_a,
        period_start=start,
        period_end=end,
        sent_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    )
    assert services.digests_send(today=TODAY, site_url="") == 0
    assert mail.outbox == []


def test_the_task_sends_the_digests(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from peerlearn.evidence import tasks

    monkeypatch.setattr(tasks.timezone, "localdate", lambda: TODAY)
    _entries(world)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_digests.enqueue()
    assert len(mail.outbox) == 1


def test_computed_actuals_wait_for_the_activities_app(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An installation without the activities app: nothing to count from.
    monkeypatch.setattr(computed.apps, "is_installed", lambda name: False)
    indicator = services.indicator_create(
        alliance=world.inner,
        created_by=world.facilitator,
        level=2,
        result="Peers meet",
        name="Activities held",
        unit="activities",
        source=IndicatorSource.ACTIVITIES_HELD,
        visibility=Visibility.ALLIANCE,
    )
    services.indicator_period_save(
        indicator=indicator,
        saved_by=world.facilitator,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 3, 31),
        target_value=Decimal(3),
    )
    assert (
        computed.activity_figures(alliance_id=world.inner.id, starts_on=TODAY, ends_on=TODAY)
        is None
    )
    [period_id] = computed.computed_actuals(indicator) or {}
    assert computed.computed_actuals(indicator) == {period_id: None}
    chain = selectors.results_chain(reader=world.facilitator, alliance=world.inner)
    [view] = chain.levels[1].indicators
    assert view.periods[0].computed and view.periods[0].actual is None


def test_computed_actuals_come_from_the_activities_provider(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    indicator = services.indicator_create(
        alliance=world.inner,
        created_by=world.facilitator,
        level=2,
        result="Peers meet",
        name="Attendance",
        unit="attendances",
        source=IndicatorSource.TOTAL_ATTENDANCE,
        visibility=Visibility.ALLIANCE,
    )
    services.indicator_period_save(
        indicator=indicator,
        saved_by=world.facilitator,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    calls = []

    def activity_figures(**kw: object) -> dict[str, int]:
        calls.append(kw)
        return {"activities_held": 2, "total_attendance": 31, "distinct_participants": 17}

    fake = types.ModuleType("peerlearn.activities.selectors")
    fake.activity_figures = activity_figures  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "peerlearn.activities.selectors", fake)
    monkeypatch.setattr(computed.apps, "is_installed", lambda name: True)
    assert list((computed.computed_actuals(indicator) or {}).values()) == [Decimal(31)]
    assert calls == [
        {
            "alliance_id": world.inner.id,
            "starts_on": dt.date(2026, 1, 1),
            "ends_on": dt.date(2026, 3, 31),
        }
    ]
