"""Running an alliance through its services: creating and editing it, its people, the
invitations, priorities, the Learning Guide's checklists, risk notes, and the record of
every change."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from peerlearn.accounts.models import User
from peerlearn.alliances.checklists import QUESTIONS, questions_for
from peerlearn.alliances.invitations import invitation_id_from_token
from peerlearn.alliances.models import (
    AllianceInvitation,
    AllianceStage,
    ChecklistAnswer,
    MemberRole,
    RiskKind,
    StageChange,
)
from peerlearn.alliances.selectors import alliance_history, checklist_open_counts
from peerlearn.alliances.services import (
    alliance_invite_email,
    alliance_member_add,
    alliance_member_invite_user,
    alliance_member_leave,
    alliance_member_remove,
    alliance_member_role_set,
    alliance_priority_create,
    alliance_priority_delete,
    alliance_priority_move,
    alliance_priority_update,
    alliance_stage_change,
    alliance_update,
    checklist_answers_save,
    checklist_open_questions,
    invitation_accept,
    risk_note_create,
)
from peerlearn.conftest import make_peer, make_user

pytestmark = pytest.mark.django_db


def texts(alliance: Any) -> list[str]:
    """The history as an administrator reads it (every name shown)."""
    admin = User.objects.get(username="admin")
    return [e.text for e in alliance_history(user=admin, alliance=alliance)]


def test_every_stage_carries_the_guides_questions() -> None:
    counts = {stage: len(questions_for(stage)) for stage in AllianceStage.values}
    assert counts == {0: 8, 1: 6, 2: 4, 3: 4, 4: 4}
    assert len({q.key for q in QUESTIONS}) == len(QUESTIONS)


def test_creating_records_the_creator_as_facilitator(world: SimpleNamespace) -> None:
    history = alliance_history(user=world.admin, alliance=world.inner)
    assert history[-1].text == "Created the alliance."
    assert history[-1].actor == str(world.facilitator)
    assert "Added Facilitator as facilitator." in texts(world.inner)


def test_editing_changes_only_what_is_given_and_records_it(world: SimpleNamespace) -> None:
    alliance_update(
        alliance=world.inner,
        by=world.facilitator,
        purpose="Raise revenue, together.",
        working_languages=["en", "sw"],
        funders=[],
    )
    world.inner.refresh_from_db()
    assert world.inner.purpose == "Raise revenue, together."
    assert sorted(lang.code for lang in world.inner.working_languages.all()) == ["en", "sw"]
    assert not world.inner.funders.exists()
    assert texts(world.inner)[0].startswith("Changed the description (purpose, working languages")
    with pytest.raises(ValidationError) as e:
        alliance_update(alliance=world.inner, by=world.facilitator, name="Open Alliance")
    assert "name" in e.value.message_dict


def test_roles_change_and_the_last_facilitator_stays(world: SimpleNamespace) -> None:
    membership = world.inner.memberships.get(user=world.member_platform.user)
    alliance_member_role_set(membership=membership, role=MemberRole.RESOURCE, by=world.facilitator)
    assert texts(world.inner)[0] == "Made Member Platform resource peer."
    facilitator = world.inner.memberships.get(user=world.facilitator)
    with pytest.raises(ValidationError) as e:
        alliance_member_role_set(membership=facilitator, role=MemberRole.PEER, by=world.facilitator)
    assert "only facilitator" in e.value.message_dict["role"][0]
    with pytest.raises(ValidationError):
        alliance_member_remove(membership=facilitator, by=world.facilitator)
    alliance_member_remove(membership=membership, by=world.facilitator)
    assert not world.inner.memberships.filter(user=world.member_platform.user).exists()
    assert texts(world.inner)[0] == "Removed Member Platform."


def test_the_last_facilitator_names_a_successor_to_leave(world: SimpleNamespace) -> None:
    facilitator = world.inner.memberships.get(user=world.facilitator)
    with pytest.raises(ValidationError) as e:
        alliance_member_leave(membership=facilitator)
    assert "successor" in e.value.message_dict
    successor = world.inner.memberships.get(user=world.member_alliance.user)
    alliance_member_leave(membership=facilitator, successor=successor)
    successor.refresh_from_db()
    assert successor.role == MemberRole.FACILITATOR
    assert not world.inner.memberships.filter(user=world.facilitator).exists()
    assert texts(world.inner)[0] == "Facilitator left the alliance."


def test_a_member_leaves(world: SimpleNamespace) -> None:
    membership = world.inner.memberships.get(user=world.member_private.user)
    alliance_member_leave(membership=membership)
    assert not world.inner.memberships.filter(user=world.member_private.user).exists()


def test_adding_from_the_directory_emails_the_person(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        alliance_member_invite_user(
            alliance=world.inner,
            user=world.outsider.user,
            role=MemberRole.OBSERVER,
            by=world.facilitator,
            site_url="https://peerlearn.example",
        )
    assert world.inner.memberships.get(user=world.outsider.user).role == MemberRole.OBSERVER
    assert [m.to for m in mail.outbox] == [[world.outsider.user.email]]
    assert "County Revenue Alliance" in mail.outbox[0].subject


def test_an_invitation_by_email_is_sent_once_and_accepted_after_sign_up(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = alliance_invite_email(
            alliance=world.inner,
            email=" New.Peer@Example.org ",
            name="New Peer",
            role=MemberRole.PEER,
            by=world.facilitator,
            site_url="https://peerlearn.example",
        )
        again = alliance_invite_email(
            alliance=world.inner, email="new.peer@example.org", by=world.facilitator
        )
    assert invitation is not None and again is None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.peer@example.org"]
    # The token as mailed (one made again would differ when the clock's second turns).
    token = re.search(r"/alliances/invitations/([^/\s]+)/", mail.outbox[0].body)[1]  # type: ignore[index]
    assert invitation_id_from_token(token) == invitation.id
    assert invitation_id_from_token(token + "x") is None
    # Signed up without a peer profile: a peer learner must make one first.
    newcomer = make_user("newcomer")
    with pytest.raises(ValidationError) as e:
        invitation_accept(invitation=invitation, user=newcomer)
    assert "peer profile" in e.value.message_dict["peer_profile"][0]
    newcomer = make_peer("newcomer2", world.county_a).user
    membership = invitation_accept(invitation=invitation, user=newcomer)
    assert membership.role == MemberRole.PEER
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=newcomer)
    # A member is not invited again.
    assert (
        alliance_invite_email(alliance=world.inner, email=newcomer.email, by=world.facilitator)
        is None
    )
    assert "Newcomer2 accepted an invitation." in texts(world.inner)


def test_an_invitation_needs_an_address(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as e:
        alliance_invite_email(alliance=world.inner, email="nobody", by=world.facilitator)
    assert "e-mail address" in e.value.message_dict["email"][0]
    assert not AllianceInvitation.objects.exists()


def test_priorities_are_added_edited_reordered_and_removed(world: SimpleNamespace) -> None:
    by = world.facilitator
    a = alliance_priority_create(alliance=world.inner, title="Policy and laws", by=by)
    b = alliance_priority_create(alliance=world.inner, title="Automation", by=by)
    c = alliance_priority_create(alliance=world.inner, title="Performance contracts", by=by)
    alliance_priority_move(priority=c, direction="up", by=by)
    assert [p.title for p in world.inner.priorities.all()] == [
        "Policy and laws",
        "Performance contracts",
        "Automation",
    ]
    alliance_priority_update(priority=b, title="Revenue automation", description="ERP", by=by)
    alliance_priority_delete(priority=a, by=by)
    assert [(p.title, p.position) for p in world.inner.priorities.all()] == [
        ("Performance contracts", 0),
        ("Revenue automation", 1),
    ]
    with pytest.raises(ValidationError) as e:
        alliance_priority_create(alliance=world.inner, title="  ", by=by)
    assert "title" in e.value.message_dict
    assert texts(world.inner)[:3] == [
        "Removed a priority reform area.",
        "Edited a priority reform area.",
        "Reordered the priority reform areas.",
    ]


def test_answers_are_stored_and_open_questions_counted(world: SimpleNamespace) -> None:
    pre = questions_for(AllianceStage.PRE_ASSESSMENT)
    assert checklist_open_counts([world.inner.id, world.public_alliance.id]) == {
        world.inner.id: 8,
        world.public_alliance.id: 8,
    }
    changed = checklist_answers_save(
        alliance=world.inner,
        answers={pre[0].key: "Fiscal decentralisation.", pre[1].key: "  "},
        by=world.facilitator,
    )
    assert changed == [pre[0].key]
    assert checklist_open_counts([world.inner.id])[world.inner.id] == 7
    assert checklist_open_questions(alliance=world.inner)[0] == pre[1].key
    # An empty answer clears it.
    checklist_answers_save(alliance=world.inner, answers={pre[0].key: ""}, by=world.facilitator)
    assert not ChecklistAnswer.objects.exists()
    with pytest.raises(ValidationError):
        checklist_answers_save(alliance=world.inner, answers={"nope": "x"}, by=world.facilitator)


def test_a_stage_move_names_the_missing_reason_and_the_open_questions_at_once(
    world: SimpleNamespace,
) -> None:
    changes = world.inner.stage_changes.count()
    with pytest.raises(ValidationError) as e:
        alliance_stage_change(
            alliance=world.inner,
            stage=1,
            changed_by=world.facilitator,
            note=" ",
            open_confirmed=False,
        )
    assert set(e.value.message_dict) == {"note", "confirm_open"}
    world.inner.refresh_from_db()
    assert world.inner.stage == 0 and world.inner.stage_changes.count() == changes


def test_moving_on_with_open_questions_needs_confirmation(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as e:
        alliance_stage_change(
            alliance=world.inner,
            stage=1,
            changed_by=world.facilitator,
            note="Workshop held.",
            open_confirmed=False,
        )
    assert "8 questions of this stage are still open" in e.value.message_dict["confirm_open"][0]
    checklist_answers_save(
        alliance=world.inner,
        answers={q.key: "Answered." for q in questions_for(0)},
        by=world.facilitator,
    )
    alliance_stage_change(
        alliance=world.inner,
        stage=1,
        changed_by=world.facilitator,
        note="Workshop held.",
        open_confirmed=False,
    )
    # Going back is allowed, with a note, and both moves are on the timeline.
    alliance_stage_change(
        alliance=world.inner,
        stage=0,
        changed_by=world.facilitator,
        note="Gaps to revisit.",
        open_confirmed=False,
    )
    notes = list(StageChange.objects.filter(alliance=world.inner).values_list("note", flat=True))
    assert notes[:2] == ["Gaps to revisit.", "Workshop held."]
    assert (
        texts(world.inner)[0]
        == "Moved from “Foundational peer group engagement” to “Pre-assessment”."
    )


def test_risk_notes_need_a_kind_and_a_title(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as e:
        risk_note_create(alliance=world.inner, kind="weather", title="", by=world.facilitator)
    assert "kind" in e.value.message_dict
    note = risk_note_create(
        alliance=world.inner,
        kind=RiskKind.ELECTORAL,
        title="County elections",
        body="Campaign pressure on fees.",
        by=world.facilitator,
    )
    assert note.written_by == world.facilitator
    assert texts(world.inner)[0] == "Wrote a risk note."


def test_the_history_holds_no_free_text(world: SimpleNamespace) -> None:
    from peerlearn.audit.models import AuditEvent

    risk_note_create(
        alliance=world.inner,
        kind=RiskKind.POLITICAL,
        title="Secret title",
        body="Secret body",
        by=world.facilitator,
    )
    checklist_answers_save(
        alliance=world.inner, answers={"pre-network": "Secret answer"}, by=world.facilitator
    )
    dumped = str(list(AuditEvent.objects.values_list("detail", flat=True)))
    assert "Secret" not in dumped


def test_member_add_refuses_a_peer_without_profile(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError):
        alliance_member_add(alliance=world.inner, user=world.funder, role=MemberRole.PEER)


def test_the_history_names_only_people_whose_profile_the_reader_sees(
    world: SimpleNamespace,
) -> None:
    private = world.inner.memberships.get(user=world.member_private.user)
    alliance_member_role_set(membership=private, role=MemberRole.RESOURCE, by=world.facilitator)
    facilitator_view = alliance_history(user=world.facilitator, alliance=world.inner)[0]
    assert facilitator_view.text == (
        "Made a member whose profile is not shared with you resource peer."
    )
    assert texts(world.inner)[0] == "Made Member Private resource peer."
