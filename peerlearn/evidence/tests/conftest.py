from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

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
