"""Closing a learning alliance and reopening it: the rules, the pages, the API, and what a
closed alliance refuses."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerlearn.alliances.closing import alliance_close, alliance_reopen
from peerlearn.alliances.cohort import cohort_import
from peerlearn.alliances.models import AllianceInvitation, AllianceStage, MemberRole
from peerlearn.alliances.selectors import alliance_history
from peerlearn.alliances.services import (
    alliance_invite_email,
    alliance_invite_peer,
    alliance_member_add,
    alliance_stage_change,
    invitation_accept,
)
from peerlearn.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def client_for(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _at_last_stage(alliance: Any, by: Any) -> None:
    for stage in range(1, AllianceStage.APPLIED_AT_SCALE + 1):
        alliance_stage_change(
            alliance=alliance, stage=stage, changed_by=by, note="Done.", tell_members=False
        )


def test_closing_needs_a_note_and_names_open_questions_in_one_round(
    world: SimpleNamespace,
) -> None:
    with pytest.raises(ValidationError) as refused:
        alliance_close(alliance=world.inner, by=world.facilitator, note=" ", open_confirmed=False)
    errors = refused.value.message_dict
    assert "Say what the alliance achieved" in errors["note"][0]
    assert "still open" in errors["confirm_open"][0]
    world.inner.refresh_from_db()
    assert world.inner.closed_on is None and world.inner.closing_note == ""


def test_closing_records_tells_members_and_closing_twice_is_refused(
    world: SimpleNamespace, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _at_last_stage(world.inner, world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        alliance_close(
            alliance=world.inner,
            by=world.facilitator,
            note="  Two counties now publish their fee schedules.  ",
            site_url="https://peerlearn.example",
        )
    world.inner.refresh_from_db()
    assert world.inner.closed_on == timezone.localdate()
    assert world.inner.closing_note == "Two counties now publish their fee schedules."
    members = {m.user.email for m in world.inner.memberships.select_related("user")}
    assert {a for m in mailoutbox for a in m.to} == members - {world.facilitator.email}
    assert all("Two counties now publish their fee schedules." in m.body for m in mailoutbox)
    assert all(m.subject == "County Revenue Alliance is closed" for m in mailoutbox)
    event = AuditEvent.objects.filter(detail__event="closed").get()
    assert event.actor == world.facilitator
    assert event.detail["stage"] == AllianceStage.APPLIED_AT_SCALE
    history = alliance_history(user=world.facilitator, alliance=world.inner)
    assert history[0].text == "Closed the alliance at “Learning applied at scale”."
    with pytest.raises(ValidationError) as again:
        alliance_close(alliance=world.inner, by=world.facilitator, note="Again.")
    assert "was already closed on" in again.value.message_dict["alliance"][0]


def test_a_closed_alliance_moves_through_no_stage_and_takes_nobody_new(
    world: SimpleNamespace,
) -> None:
    invitation = alliance_invite_email(
        alliance=world.inner,
        email="late@example.org",
        role=MemberRole.OBSERVER,
        by=world.facilitator,
    )
    assert invitation is not None
    alliance_close(alliance=world.inner, by=world.facilitator, note="Stopped: funding ended.")
    world.inner.refresh_from_db()
    fix = "was closed on"

    def refused_on(call: Any) -> dict[str, list[str]]:
        with pytest.raises(ValidationError) as refused:
            call()
        assert all(fix in m for ms in refused.value.message_dict.values() for m in ms)
        return refused.value.message_dict

    assert "stage" in refused_on(
        lambda: alliance_stage_change(
            alliance=world.inner, stage=1, changed_by=world.facilitator, note="On."
        )
    )
    assert "email" in refused_on(
        lambda: alliance_invite_email(
            alliance=world.inner, email="new@example.org", by=world.facilitator
        )
    )
    assert "alliance" in refused_on(
        lambda: alliance_invite_peer(
            alliance=world.inner, peer_user=world.outsider.user, by=world.facilitator
        )
    )
    assert "user" in refused_on(
        lambda: alliance_member_add(
            alliance=world.inner, user=world.outsider.user, role=MemberRole.PEER
        )
    )
    assert "invitation" in refused_on(
        lambda: invitation_accept(invitation=invitation, user=world.funder)
    )
    assert "file" in refused_on(
        lambda: cohort_import(
            alliance=world.inner,
            filename="cohort.csv",
            data=b"email,name,role\nnew@example.org,New Person,peer\n",
            by=world.facilitator,
        )
    )
    assert not world.inner.memberships.filter(user=world.funder).exists()
    assert AllianceInvitation.objects.filter(alliance=world.inner).count() == 1
    assert world.inner.stage == AllianceStage.PRE_ASSESSMENT


def test_reopening_needs_a_reason_and_runs_again_from_the_same_stage(
    world: SimpleNamespace,
) -> None:
    with pytest.raises(ValidationError) as not_closed:
        alliance_reopen(alliance=world.inner, by=world.facilitator, note="Why not.")
    assert "is not closed" in not_closed.value.message_dict["alliance"][0]
    alliance_stage_change(
        alliance=world.inner, stage=1, changed_by=world.facilitator, note="On.", tell_members=False
    )
    alliance_close(alliance=world.inner, by=world.facilitator, note="Paused.")
    with pytest.raises(ValidationError) as no_note:
        alliance_reopen(alliance=world.inner, by=world.facilitator, note="")
    assert "Say why the alliance reopens" in no_note.value.message_dict["note"][0]
    alliance_reopen(alliance=world.inner, by=world.facilitator, note="New funding came.")
    world.inner.refresh_from_db()
    assert world.inner.closed_on is None and world.inner.closing_note == ""
    assert world.inner.stage == AllianceStage.FOUNDATIONAL
    alliance_stage_change(
        alliance=world.inner, stage=2, changed_by=world.facilitator, note="On.", tell_members=False
    )
    assert alliance_history(user=world.facilitator, alliance=world.inner)[1].text == (
        "Reopened the alliance."
    )


def test_the_last_stage_offers_closing_and_the_page_closes_with_errors_beside_fields(
    world: SimpleNamespace,
) -> None:
    _at_last_stage(world.inner, world.facilitator)
    facilitator = client_for(world.facilitator)
    detail = reverse("alliances:detail", args=[world.inner.slug])
    close = reverse("alliances:close", args=[world.inner.slug])
    page = facilitator.get(detail).content.decode()
    assert f'href="{close}"' in page and "Close the alliance" in page
    assert "Move on to" not in page
    # Members see no closing action, and may not open the page.
    member = client_for(world.member_alliance.user)
    assert close not in member.get(detail).content.decode()
    assert member.get(close).status_code == 403
    assert client_for(world.outsider.user).post(close, {"note": "x"}).status_code == 404
    form = facilitator.get(close)
    assert form.status_code == 200
    assert "Close County Revenue Alliance?" in form.content.decode()
    refused = facilitator.post(close, {"note": ""})
    assert refused.status_code == 400
    assert "Say what the alliance achieved" in refused.context["form"].errors["note"][0]
    assert "still open" in refused.context["form"].errors["confirm_open"][0]
    done = facilitator.post(close, {"note": "Fee schedules published.", "confirm_open": "on"})
    assert done.status_code == 302
    world.inner.refresh_from_db()
    assert world.inner.is_closed
    page = facilitator.get(detail).content.decode()
    assert "Closed on" in page and "Fee schedules published." in page
    assert reverse("alliances:reopen", args=[world.inner.slug]) in page
    assert "Go back to" not in page and f'href="{close}"' not in page
    # Closing again from the page sends the facilitator back to the alliance.
    assert facilitator.get(close).status_code == 302


def test_the_closing_note_stays_inside_the_safe_space(world: SimpleNamespace) -> None:
    alliance = world.platform_alliance
    alliance_close(alliance=alliance, by=world.facilitator, note="Only for us: zq-note.")
    detail = reverse("alliances:detail", args=[alliance.slug])
    outsider_page = client_for(world.outsider.user).get(detail).content.decode()
    assert "Closed on" in outsider_page and "zq-note" not in outsider_page
    outsider_api = client_for(world.outsider.user).get(f"/api/v1/alliances/{alliance.slug}")
    assert outsider_api.json()["closing_note"] is None
    assert outsider_api.json()["closed_on"] == timezone.localdate().isoformat()
    inside_api = client_for(world.facilitator).get(f"/api/v1/alliances/{alliance.slug}")
    assert inside_api.json()["closing_note"] == "Only for us: zq-note."
    listed = client_for(world.outsider.user).get(reverse("alliances:list")).content.decode()
    assert "Closed" in listed


def test_api_closes_and_reopens_with_field_keyed_errors(world: SimpleNamespace) -> None:
    api = client_for(world.facilitator)
    url = f"/api/v1/alliances/{world.inner.slug}"
    refused = api.post(f"{url}/close", {"note": ""}, content_type="application/json")
    assert refused.status_code == 422
    assert "note" in refused.content.decode() and "confirm_open" in refused.content.decode()
    member = client_for(world.member_alliance.user)
    assert (
        member.post(f"{url}/close", {"note": "x"}, content_type="application/json").status_code
        == 403
    )
    closed = api.post(
        f"{url}/close",
        {"note": "Done.", "confirm_open_questions": True},
        content_type="application/json",
    )
    assert closed.status_code == 200 and closed.json()["closing_note"] == "Done."
    moved = api.post(f"{url}/stage", {"stage": 1, "note": "On."}, content_type="application/json")
    assert moved.status_code == 422 and "was closed on" in moved.content.decode()
    reopened = api.post(f"{url}/reopen", {"note": "Back."}, content_type="application/json")
    assert reopened.status_code == 200 and reopened.json()["closed_on"] is None


def test_a_closed_alliance_says_so_on_its_members_page_and_in_its_reports(
    world: SimpleNamespace,
) -> None:
    alliance_close(alliance=world.inner, by=world.facilitator, note="Fee schedules published.")
    facilitator = client_for(world.facilitator)
    members = facilitator.get(reverse("alliances:members", args=[world.inner.slug]))
    page = members.content.decode()
    assert "takes no new members or invitations until it is reopened" in page
    assert reverse("alliances:invite", args=[world.inner.slug]) not in page
    assert reverse("alliances:cohort", args=[world.inner.slug]) not in page
    members_report = facilitator.get(reverse("reports:alliance_members", args=[world.inner.slug]))
    text = members_report.content.decode()
    assert "The alliance was closed on" in text and "Fee schedules published." in text
    public = facilitator.get(reverse("reports:alliance", args=[world.inner.slug]))
    assert "The alliance was closed on" in public.content.decode()
    assert "Fee schedules published." not in public.content.decode()
