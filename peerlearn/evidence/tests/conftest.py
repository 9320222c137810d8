from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.services import alliance_member_add

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def ev(world: SimpleNamespace) -> SimpleNamespace:
    """The shared world, with member_platform in the public alliance too: the facilitator
    runs both, the donor funds the inner one."""
    alliance_member_add(
        alliance=world.public_alliance, user=world.member_platform.user, role=MemberRole.PEER
    )
    return world


@contextmanager
def on_day(day: dt.date) -> Iterator[None]:
    """Today is ``day`` (``timezone.localdate()`` with no argument), e.g. to fill in a
    round whose dates are past."""
    real = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        return day if value is None else real(value, timezone)

    with mock.patch("django.utils.timezone.localdate", localdate):
        yield
