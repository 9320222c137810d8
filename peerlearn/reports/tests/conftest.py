"""A public alliance with members at every profile level, assessed priorities and a stage
change, each with a member-only text that must never reach a public report."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace
from typing import Any

import pypdf
import pytest

from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.services import (
    alliance_member_add,
    alliance_organisation_add,
    alliance_priority_add,
    alliance_stage_change,
)
from peerlearn.reports.models import Completion, EarlyResults
from peerlearn.reports.services import priority_assessment_record

MEMBERS_ONLY_COMMENT = "The county assembly stalled the bill (members only)"
MEMBERS_ONLY_NOTE = "Moved on after the closed-door retreat (members only)"


@pytest.fixture
def rw(world: SimpleNamespace) -> SimpleNamespace:
    alliance = world.public_alliance
    for peer in (world.member_alliance, world.outsider_public, world.member_private):
        alliance_member_add(alliance=alliance, user=peer.user, role=MemberRole.PEER)
    for org in (world.county_a, world.county_b, world.ministry):
        alliance_organisation_add(alliance=alliance, organisation=org)
    world.outsider_public.gender = "woman"
    world.outsider_public.save()
    first = alliance_priority_add(alliance=alliance, title="Revenue laws")
    second = alliance_priority_add(alliance=alliance, title="Performance contracts")
    priority_assessment_record(
        priority=first,
        completion=Completion.SUBSTANTIAL,
        early_results=EarlyResults.MAJOR,
        comment=MEMBERS_ONLY_COMMENT,
        assessed_on=date(2026, 3, 1),
        assessed_by=world.facilitator,
    )
    alliance_stage_change(
        alliance=alliance,
        stage=1,
        changed_by=world.facilitator,
        note=MEMBERS_ONLY_NOTE,
        tell_members=False,
    )
    world.priorities = (first, second)
    return world


def pdf_text(data: bytes) -> tuple[pypdf.PdfReader, list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


def has_drawing(reader: Any) -> bool:
    """A page draws a chart: an image or vector form object among its resources."""
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        if len(xobjects):
            return True
    return False
