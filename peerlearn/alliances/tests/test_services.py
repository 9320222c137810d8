"""Alliance services."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from peerlearn.alliances.models import AllianceStage, LearningAlliance, MemberRole
from peerlearn.alliances.services import (
    alliance_create,
    alliance_member_add,
    alliance_priority_add,
    alliance_stage_change,
)

pytestmark = pytest.mark.django_db


def test_creator_becomes_facilitator_and_stage_is_recorded(world: SimpleNamespace) -> None:
    a = alliance_create(
        name="New",
        theme="procurement",
        purpose="p",
        working_languages=["fr"],
        created_by=world.facilitator,
    )
    assert a.memberships.get().role == MemberRole.FACILITATOR
    assert a.stage_changes.get().to_stage == AllianceStage.PRE_ASSESSMENT
    assert a.slug == "new"


def test_bad_languages_and_dates_save_nothing(world: SimpleNamespace) -> None:
    import datetime

    with pytest.raises(ValidationError) as e:
        alliance_create(name="Bad", theme="procurement", purpose="p", working_languages=["zz"])
    assert "working_languages" in e.value.message_dict
    with pytest.raises(ValidationError):
        alliance_create(
            name="Bad",
            theme="procurement",
            purpose="p",
            working_languages=["en"],
            starts_on=datetime.date(2026, 5, 1),
            ends_on=datetime.date(2026, 1, 1),
        )
    assert not LearningAlliance.objects.filter(name="Bad").exists()


def test_duplicate_name_is_refused(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as e:
        alliance_create(
            name="open alliance", theme="procurement", purpose="p", working_languages=["en"]
        )
    assert "name" in e.value.message_dict


def test_member_brings_their_organisation_and_only_once(world: SimpleNamespace) -> None:
    alliance_member_add(
        alliance=world.public_alliance, user=world.outsider.user, role=MemberRole.PEER
    )
    assert world.public_alliance.member_organisations.filter(organisation=world.ministry).exists()
    with pytest.raises(ValidationError):
        alliance_member_add(
            alliance=world.public_alliance, user=world.outsider.user, role=MemberRole.RESOURCE
        )


def test_only_peers_with_a_profile_join_as_learners(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as e:
        alliance_member_add(alliance=world.public_alliance, user=world.funder, role=MemberRole.PEER)
    assert "role" in e.value.message_dict


def test_stages_move_one_step_forward_or_back(world: SimpleNamespace) -> None:
    a = world.inner
    alliance_stage_change(
        alliance=a, stage=AllianceStage.FOUNDATIONAL, changed_by=world.facilitator, note="Met."
    )
    alliance_stage_change(
        alliance=a,
        stage=AllianceStage.SUSTAINED_CONTACT,
        changed_by=world.facilitator,
        note="Pairs formed.",
    )
    # Learning is not linear: going back is allowed.
    alliance_stage_change(
        alliance=a,
        stage=AllianceStage.PRE_ASSESSMENT,
        changed_by=world.facilitator,
        note="Reassess.",
    )
    assert a.stage == AllianceStage.PRE_ASSESSMENT
    for stage, note, field in (
        (AllianceStage.LEARNING_OUTCOMES, "Skip.", "stage"),
        (AllianceStage.PRE_ASSESSMENT, "Again.", "stage"),
        (9, "Nowhere.", "stage"),
        (AllianceStage.FOUNDATIONAL, "", "note"),  # a move needs its reason
    ):
        with pytest.raises(ValidationError) as refused:
            alliance_stage_change(alliance=a, stage=stage, changed_by=None, note=note)
        assert set(refused.value.message_dict) == {field}
    assert a.stage_changes.count() == 4


def test_priorities_keep_their_order(world: SimpleNamespace) -> None:
    for title in (
        "Policy and legislation",
        "Structure of the revenue department",
        "Performance contracts",
    ):
        alliance_priority_add(alliance=world.inner, title=title)
    assert [p.title for p in world.inner.priorities.all()] == [
        "Policy and legislation",
        "Structure of the revenue department",
        "Performance contracts",
    ]
