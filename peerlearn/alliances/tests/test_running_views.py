"""The pages that run an alliance, in full and as htmx fragments, and who reaches them."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from peerlearn.access.roles import Role
from peerlearn.alliances.checklists import questions_for
from peerlearn.alliances.invitations import invitation_id_from_token, invitation_token
from peerlearn.alliances.models import (
    AllianceInvitation,
    AllianceStage,
    ChecklistAnswer,
    LearningAlliance,
    MemberRole,
    RiskKind,
)
from peerlearn.alliances.services import (
    alliance_invite_email,
    alliance_priority_create,
    invitation_accept,
    risk_note_create,
)
from peerlearn.conftest import make_peer, make_user

pytestmark = pytest.mark.django_db


def client_for(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(name: str, w: SimpleNamespace, *args: Any) -> str:
    return reverse(f"alliances:{name}", args=[w.inner.slug, *args])


def test_a_facilitator_creates_an_alliance(world: SimpleNamespace) -> None:
    client = client_for(world.facilitator)
    assert client.get(reverse("alliances:create")).status_code == 200
    bad = client.post(reverse("alliances:create"), {"name": "", "theme": "decentralisation"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Please correct the following" in body and 'href="#id_name"' in body
    response = client.post(
        reverse("alliances:create"),
        {
            "name": "Nairobi Metro Revenue Alliance",
            "theme": "decentralisation",
            "type": "I",
            "purpose": "Learn property rating from Kisumu.",
            "working_languages": ["en", "sw"],
            "starts_on": "2026-01-10",
            "ends_on": "2026-12-10",
            "visibility": "alliance",
            "funders": [world.donor.id],
        },
    )
    alliance = LearningAlliance.objects.get(name="Nairobi Metro Revenue Alliance")
    assert response.status_code == 302 and response["Location"] == url(
        "members", SimpleNamespace(inner=alliance)
    )
    assert alliance.memberships.get().user == world.facilitator
    assert alliance.type == "I" and list(alliance.funders.all()) == [world.donor]
    # Ends before it starts, under a name taken (in another case): both named on their
    # fields in one round.
    dates = client.post(
        reverse("alliances:create"),
        {
            "name": "nairobi metro revenue alliance",
            "theme": "decentralisation",
            "type": "II",
            "purpose": "p",
            "working_languages": ["en"],
            "starts_on": "2026-05-01",
            "ends_on": "2026-01-01",
            "visibility": "platform",
        },
    )
    assert (
        "The end date must come after the start date: set a later end date."
        in (dates.context["form"].errors["ends_on"])
    )
    assert dates.context["form"].errors["name"] == [
        "An alliance with this name exists: choose another."
    ]


def test_only_facilitators_start_alliances(world: SimpleNamespace) -> None:
    assert (
        client_for(world.member_alliance.user).get(reverse("alliances:create")).status_code == 403
    )
    assert client_for().get(reverse("alliances:create")).status_code == 302  # to sign in
    listing = client_for(world.facilitator).get(reverse("alliances:list")).content.decode()
    assert reverse("alliances:create") in listing
    listing = client_for(world.member_alliance.user).get(reverse("alliances:list")).content.decode()
    assert reverse("alliances:create") not in listing


def test_editing_the_description(world: SimpleNamespace) -> None:
    client = client_for(world.facilitator)
    form = client.get(url("edit", world))
    assert form.context["form"].initial["name"] == "County Revenue Alliance"
    response = client.post(
        url("edit", world),
        {
            "name": "County Revenue Alliance",
            "theme": "decentralisation",
            "type": "II",
            "purpose": "Raise own-source revenue, together.",
            "working_languages": ["en"],
            "visibility": "alliance",
            "funders": [world.donor.id],
        },
    )
    assert response.status_code == 302
    world.inner.refresh_from_db()
    assert world.inner.purpose == "Raise own-source revenue, together."
    assert client_for(world.member_alliance.user).get(url("edit", world)).status_code == 403
    assert client_for(world.outsider.user).get(url("edit", world)).status_code == 404


def test_the_directory_picker_works_with_and_without_htmx(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.facilitator)
    full = client.get(url("members", world), {"q": "outsider"})
    assert full.status_code == 200
    body = full.content.decode()
    assert "<html" in body and "Outsider Public" in body
    assert "Member Alliance" not in body.split('id="directory"')[1].split("</div>")[0]
    fragment = client.get(url("members", world), {"q": "outsider"}, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "<html" not in text and 'id="directory"' in text and "Outsider Public" in text
    with django_capture_on_commit_callbacks(execute=True):
        added = client.post(
            url("member_add", world), {"user": world.outsider.user.id, "role": MemberRole.PEER}
        )
    assert added.status_code == 302
    assert world.inner.memberships.filter(user=world.outsider.user).exists()
    assert mail.outbox[0].to == [world.outsider.user.email]
    # Someone the facilitator may not pick (an authoriser) is refused.
    refused = client.post(url("member_add", world), {"user": world.authoriser_a.id, "role": "peer"})
    assert refused.status_code == 400


def test_inviting_by_email_and_accepting_after_sign_up(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invite", world),
            {"email": "amina@mombasa.example", "name": "Amina", "role": "observer"},
        )
        again = client.post(
            url("invite", world), {"email": "amina@mombasa.example", "role": "peer"}
        )
    assert response.status_code == 302 and again.status_code == 302
    # Back at the page's messages, not at the form far below them.
    assert response.url == url("members", world) + "#messages"
    assert len(mail.outbox) == 1
    invitation = AllianceInvitation.objects.get()
    # The link as mailed (a token made again would differ when the clock's second turns).
    link = re.search(r"/alliances/invitations/[^/\s]+/", mail.outbox[0].body)[0]  # type: ignore[index]
    assert link == reverse("alliances:invitation", args=[link.split("/")[-2]])
    assert invitation_id_from_token(link.split("/")[-2]) == invitation.id
    assert "amina@mombasa.example" in client.get(url("members", world)).content.decode()
    # Not signed in: sign in or join first, told which alliance invites them and who sent
    # it, as the e-mail said; a link that names no open invitation names nothing.
    anonymous = client_for().get(link).content.decode()
    assert "?next=" in anonymous
    assert "Join County Revenue Alliance" in anonymous
    assert f"{world.facilitator} invites you to join as observer." in anonymous
    forged = client_for().get(reverse("alliances:invitation", args=["forged-token"]))
    assert forged.status_code == 200 and "County Revenue Alliance" not in forged.content.decode()
    amina = make_user("amina")
    page = client_for(amina).get(link)
    assert page.status_code == 200 and "County Revenue Alliance" in page.content.decode()
    accepted = client_for(amina).post(link)
    assert accepted.status_code == 302
    assert world.inner.memberships.get(user=amina).role == MemberRole.OBSERVER
    # Used: it leads its new member to the alliance, and is spent for anyone else.
    assert client_for(amina).get(link)["Location"] == reverse(
        "alliances:detail", args=[world.inner.slug]
    )
    assert client_for(make_user("forwarded")).get(link).status_code == 404
    assert "County Revenue Alliance" not in client_for().get(link).content.decode()
    bad = client_for(world.facilitator).post(url("invite", world), {"email": "nope"})
    assert bad.status_code == 400


def test_a_cohort_file_with_errors_names_them_and_imports_nothing(world: SimpleNamespace) -> None:
    client = client_for(world.facilitator)
    upload = SimpleUploadedFile("cohort.csv", b"email,name\nbad,X\nok@example.org,\n")
    response = client.post(url("cohort", world), {"file": upload})
    assert response.status_code == 400
    errors = response.context["cohort_form"].errors["file"]
    assert errors == [
        "Row 2, column “email”: “bad” is not an e-mail address.",
        "Row 3, column “name”: the name is missing.",
    ]
    assert not AllianceInvitation.objects.exists()
    good = SimpleUploadedFile("cohort.csv", b"email,name\nok@example.org,Ok Person\n")
    assert client.post(url("cohort", world), {"file": good}).status_code == 302
    assert AllianceInvitation.objects.get().email == "ok@example.org"


def test_roles_removal_and_leaving(world: SimpleNamespace) -> None:
    client = client_for(world.facilitator)
    membership = world.inner.memberships.get(user=world.member_platform.user)
    assert (
        client.post(url("member_role", world, membership.id), {"role": "resource"}).status_code
        == 302
    )
    membership.refresh_from_db()
    assert membership.role == MemberRole.RESOURCE
    own = world.inner.memberships.get(user=world.facilitator)
    refused = client.post(url("member_role", world, own.id), {"role": "peer"})
    assert refused.status_code == 400 and "only facilitator" in refused.content.decode()
    # The only facilitator is offered no "Remove" that would fail.
    page = client.get(url("members", world)).content.decode()
    assert url("member_remove", world, own.id) not in page
    assert "The only facilitator: name another first." in page
    assert url("member_remove", world, membership.id) in page
    confirm = client.get(url("member_remove", world, membership.id))
    assert confirm.status_code == 200
    assert client.post(url("member_remove", world, membership.id)).status_code == 302
    assert not world.inner.memberships.filter(id=membership.id).exists()
    # A peer may not change roles.
    peer = client_for(world.member_alliance.user)
    assert peer.post(url("member_role", world, own.id), {"role": "peer"}).status_code == 403
    # Leaving needs the confirmation.
    assert peer.post(url("leave", world), {}).status_code == 400
    assert peer.post(url("leave", world), {"confirm": "on"}).status_code == 302
    assert not world.inner.memberships.filter(user=world.member_alliance.user).exists()
    # The last facilitator names a successor.
    leave = client.post(url("leave", world), {"confirm": "on"})
    assert leave.status_code == 400 and "name the member who takes over" in leave.content.decode()
    successor = world.inner.memberships.get(user=world.member_private.user)
    assert (
        client.post(url("leave", world), {"confirm": "on", "successor": successor.id}).status_code
        == 302
    )
    successor.refresh_from_db()
    assert successor.role == MemberRole.FACILITATOR


def test_the_only_member_is_told_how_to_leave_instead_of_an_empty_list(
    world: SimpleNamespace,
) -> None:
    from peerlearn.alliances.services import alliance_create

    alone = alliance_create(
        name="Alone",
        theme="revenue-pfm",
        purpose="x",
        working_languages=["en"],
        created_by=world.facilitator,
    )
    assert list(alone.memberships.values_list("user", flat=True)) == [world.facilitator.id]
    page = client_for(world.facilitator).get(reverse("alliances:leave", args=[alone.slug]))
    html = page.content.decode()
    assert "You are its only member: nobody could take over as its facilitator." in html
    assert reverse("alliances:members", args=[alone.slug]) in html
    assert reverse("alliances:close", args=[alone.slug]) in html
    assert "Leave the alliance</button>" not in html
    # With another member, the choice of a successor is asked, not marked optional.
    html = client_for(world.facilitator).get(url("leave", world)).content.decode()
    assert "Who takes over as facilitator" in html and "(optional)" not in html


def test_priorities_page(world: SimpleNamespace) -> None:
    client = client_for(world.facilitator)
    assert client.post(url("priorities", world), {"title": "Automation"}).status_code == 302
    assert client.post(url("priorities", world), {"title": "Policy and laws"}).status_code == 302
    second = world.inner.priorities.get(title="Policy and laws")
    client.post(url("priority_move", world, second.id), {"direction": "up"})
    assert [p.title for p in world.inner.priorities.all()] == ["Policy and laws", "Automation"]
    assert client.post(url("priority_edit", world, second.id), {"title": "Laws"}).status_code == 302
    # A name another priority has, whatever its case, is refused beside the title; a
    # priority keeps its own name when edited.
    twice = client.post(url("priorities", world), {"title": "automation "})
    assert twice.status_code == 400
    assert "is already one of the alliance" in twice.content.decode()
    assert client.post(url("priority_edit", world, second.id), {"title": "Laws"}).status_code == 302
    renamed = client.post(url("priority_edit", world, second.id), {"title": "AUTOMATION"})
    assert renamed.status_code == 400
    # Removing asks first, and removes only once confirmed.
    page = client.get(url("priorities", world)).content.decode()
    assert f'href="{url("priority_delete", world, second.id)}"' in page
    ask = client.get(url("priority_delete", world, second.id))
    assert ask.status_code == 200 and "Remove “Laws” from the priorities" in ask.content.decode()
    assert world.inner.priorities.count() == 2
    assert client.post(url("priority_delete", world, second.id)).status_code == 302
    assert [p.title for p in world.inner.priorities.all()] == ["Automation"]
    assert client.post(url("priorities", world), {"title": ""}).status_code == 400
    member = client_for(world.member_alliance.user)
    assert member.get(url("priorities", world)).status_code == 403


def test_checklist_members_read_facilitators_answer(world: SimpleNamespace) -> None:
    pre = questions_for(AllianceStage.PRE_ASSESSMENT)
    client = client_for(world.facilitator)
    page = client.get(url("checklist", world))
    assert page.status_code == 200 and str(pre[0].text) in page.content.decode()
    fragment = client.post(
        url("checklist", world),
        {"stage": 0, pre[0].key: "Fiscal decentralisation."},
        headers={"HX-Request": "true"},
    )
    text = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in text
    assert "The answers are saved." in text and "7 questions open" in text
    assert ChecklistAnswer.objects.get().answer == "Fiscal decentralisation."
    full = client.post(url("checklist", world), {"stage": 0, pre[0].key: "Decentralisation."})
    assert full.status_code == 302
    member = client_for(world.member_alliance.user)
    read = member.get(url("checklist", world)).content.decode()
    assert "Decentralisation." in read and "Not answered yet" in read
    assert 'name="stage"' not in read
    assert member.post(url("checklist", world), {"stage": 0, pre[1].key: "x"}).status_code == 403
    assert client_for(world.outsider.user).get(url("checklist", world)).status_code == 404
    # The funder of the alliance is inside its safe space.
    assert client_for(world.funder).get(url("checklist", world)).status_code == 200
    # The form alone, for htmx.
    form = client.get(url("checklist", world), {"stage": 1}, headers={"HX-Request": "true"})
    assert "<html" not in form.content.decode() and 'id="stage-form"' in form.content.decode()
    too_long = client.post(
        url("checklist", world),
        {"stage": 0, pre[0].key: "x" * 5001},
        headers={"HX-Request": "true"},
    )
    assert (
        too_long.status_code == 200 and "Please correct the following" in too_long.content.decode()
    )
    detail = member.get(reverse("alliances:detail", args=[world.inner.slug])).content.decode()
    assert "7 open at this stage" in detail


def test_moving_on_lists_the_open_questions_and_asks_to_confirm(world: SimpleNamespace) -> None:
    client = client_for(world.facilitator)
    confirm = client.get(url("stage", world), {"to": 1}).content.decode()
    assert "8 questions of “Pre-assessment” are still open" in confirm
    assert str(questions_for(0)[0].text) in confirm and 'name="confirm_open"' in confirm
    refused = client.post(url("stage", world), {"stage": 1, "note": "Workshop held."})
    assert refused.status_code == 400
    assert "confirm_open" in refused.context["form"].errors
    moved = client.post(
        url("stage", world), {"stage": 1, "note": "Workshop held.", "confirm_open": "on"}
    )
    assert moved.status_code == 302
    # Going back asks nothing about open questions, but still a note.
    back = client.get(url("stage", world), {"to": 0}).content.decode()
    assert 'name="confirm_open"' not in back
    assert client.post(url("stage", world), {"stage": 0, "note": "Revisit."}).status_code == 302
    detail = client.get(reverse("alliances:detail", args=[world.inner.slug])).content.decode()
    assert "Revisit." in detail and "Workshop held." in detail
    assert "Moved from “Foundational peer group engagement” to “Pre-assessment”." in detail


def test_risk_notes_only_for_facilitators(world: SimpleNamespace) -> None:
    client = client_for(world.facilitator)
    created = client.post(
        url("risks", world),
        {"kind": RiskKind.ELECTORAL, "title": "County elections", "body": "Waivers."},
    )
    assert created.status_code == 302
    note = world.inner.risk_notes.get()
    assert "County elections" in client.get(url("risks", world)).content.decode()
    assert (
        client.post(
            url("risk_edit", world, note.id), {"kind": "political", "title": "T"}
        ).status_code
        == 302
    )
    for who in (world.member_alliance.user, world.funder, world.outsider.user):
        assert client_for(who).get(url("risks", world)).status_code == 404
        assert client_for(who).get(url("risk_edit", world, note.id)).status_code == 404
        detail = client_for(who).get(reverse("alliances:detail", args=[world.inner.slug]))
        assert url("risks", world) not in detail.content.decode()
    assert client.post(url("risk_delete", world, note.id)).status_code == 302
    assert not world.inner.risk_notes.exists()


def test_history_page_for_facilitators(world: SimpleNamespace) -> None:
    alliance_priority_create(alliance=world.inner, title="Automation", by=world.facilitator)
    alliance_invite_email(alliance=world.inner, email="x@example.org", by=world.facilitator)
    risk_note_create(alliance=world.inner, kind="other", title="Secret", by=world.facilitator)
    page = client_for(world.facilitator).get(url("history", world)).content.decode()
    assert "Added a priority reform area." in page and "Wrote a risk note." in page
    assert "Secret" not in page
    assert client_for(world.member_alliance.user).get(url("history", world)).status_code == 403
    detail = client_for(world.member_alliance.user).get(
        reverse("alliances:detail", args=[world.inner.slug])
    )
    assert "Added a priority reform area." not in detail.content.decode()
    admin = make_user("admin2", role=Role.ADMIN)
    assert client_for(admin).get(url("history", world)).status_code == 200


def test_people_without_a_profile_accept_as_peer_after_creating_one(world: SimpleNamespace) -> None:
    invitation = alliance_invite_email(
        alliance=world.inner, email="n@example.org", by=world.facilitator
    )
    assert invitation is not None
    link = reverse("alliances:invitation", args=[invitation_token(invitation.id)])
    # Signed out, both ways in come back to the invitation.
    signin = client_for().get(link).content.decode()
    assert f'href="{reverse("accounts:signup")}?next={quote(link)}"' in signin
    newcomer = make_user("newcomer")
    # Before any click: the page says a profile comes first, links to it with the way back,
    # and offers no button that cannot succeed.
    page = client_for(newcomer).get(link).content.decode()
    assert "create your peer profile first, then accept" in page
    assert f"{reverse('peers:profile_edit')}?next={quote(link)}" in page
    assert "Accept and join" not in page
    refused = client_for(newcomer).post(link)
    assert refused.status_code == 400 and "create your peer profile" in refused.content.decode()
    peer = make_peer("newpeer", world.county_a).user
    assert client_for(peer).post(link).status_code == 302
    # The link opened again leads the new member to the alliance, not to "not found"; for
    # anyone else it is spent.
    again = client_for(peer).get(link, follow=True)
    assert again.redirect_chain[-1][0] == reverse("alliances:detail", args=[world.inner.slug])
    assert "You accepted this invitation already" in again.content.decode()
    assert client_for(newcomer).get(link).status_code == 404


def test_members_whose_profile_is_not_shared_are_managed_unnamed(world: SimpleNamespace) -> None:
    page = client_for(world.facilitator).get(url("members", world)).content.decode()
    assert "Member Private" not in page
    assert "A member whose profile is not shared with you" in page
    private = world.inner.memberships.get(user=world.member_private.user)
    confirm = client_for(world.facilitator).get(url("member_remove", world, private.id))
    assert "Member Private" not in confirm.content.decode()
    assert "Member Private" in client_for(world.admin).get(url("members", world)).content.decode()


def test_a_member_who_joined_by_invitation_is_managed_by_the_invitations_name(
    world: SimpleNamespace,
) -> None:
    """Someone who accepted an e-mailed invitation but has not confirmed their address is
    shown to nobody by their profile; the facilitators who invited them read the name and
    address they wrote on the invitation, and nobody else reads it."""
    invitation = alliance_invite_email(
        alliance=world.inner,
        email="nia@example.org",
        name="Nia Newbie",
        role=MemberRole.PEER,
        by=world.facilitator,
    )
    assert invitation is not None
    nia = make_peer("nia", world.county_a).user
    nia.email_verified = False
    nia.save(update_fields=["email_verified"])
    invitation_accept(invitation=invitation, user=nia)
    page = client_for(world.facilitator).get(url("members", world)).content.decode()
    assert "Nia Newbie, invited at nia@example.org" in page
    # The API and the history name her the same way, to the same people.
    api = client_for(world.facilitator).get(f"/api/v1/alliances/{world.inner.slug}/members")
    row = next(m for m in api.json()["members"] if m["id"] == nia.alliance_memberships.get().id)
    assert row["name"] is None
    assert row["invited_as"] == "Nia Newbie, invited at nia@example.org"
    history = client_for(world.facilitator).get(url("history", world)).content.decode()
    assert "Nia Newbie, invited at nia@example.org" in history
    member_page = client_for(world.member_alliance.user).get(
        reverse("alliances:detail", args=[world.inner.slug])
    )
    assert "nia@example.org" not in member_page.content.decode()


def test_the_organisation_picker_offers_those_not_in_the_alliance(world: SimpleNamespace) -> None:
    from peerlearn.core.models import Country
    from peerlearn.organisations.models import OrganisationType
    from peerlearn.organisations.services import organisation_create

    mombasa = organisation_create(
        name="Mombasa County",
        type=OrganisationType.LOCAL_GOVERNMENT,
        country=Country.objects.get(code="KE"),
    )
    in_already = {"Nakuru County", "Kisumu County"}
    assert (
        set(world.inner.member_organisations.values_list("organisation__name", flat=True))
        == in_already
    )
    client = client_for(world.facilitator)
    suggest = reverse("alliances:organisation_suggestions", args=[world.inner.slug])
    # The members page's picker asks the alliance's own suggestions…
    page = client.get(url("members", world)).content.decode()
    assert f'hx-get="{suggest}?field=org-organisation' in page
    # …which leave out the organisations already in.
    listed = client.get(suggest, {"field": "org-organisation", "org-organisation__q": "county"})
    assert "Mombasa County — Kenya" in listed.content.decode()
    assert not any(name in listed.content.decode() for name in in_already)
    # A name that only finds organisations already in says so, not "nothing matches".
    kisumu = client.get(suggest, {"field": "org-organisation", "org-organisation__q": "Kisumu"})
    assert "Kisumu County is already in the alliance." in kisumu.content.decode()
    assert "Nothing matches" not in kisumu.content.decode()
    # Without JavaScript, a typed name is resolved among them first: "county" is Mombasa.
    added = client.post(url("organisations", world), {"org-organisation__q": "county"})
    assert added.status_code == 302
    assert world.inner.member_organisations.filter(organisation=mombasa).exists()
    # A name already in is still found, and refused with the reason.
    again = client.post(url("organisations", world), {"org-organisation__q": "Kisumu"})
    assert again.status_code == 400 and "already in the alliance" in again.content.decode()
    # Only those who manage the alliance get its suggestions.
    member = client_for(world.member_alliance.user)
    assert member.get(suggest, {"org-organisation__q": "county"}).status_code in (403, 404)


def test_organisations_join_and_leave(world: SimpleNamespace) -> None:
    client = client_for(world.facilitator)
    # Organisations are found by name and shown with their country, not one long list.
    typed = client.post(url("organisations", world), {"org-organisation__q": "county"})
    assert typed.status_code == 400
    assert "Kisumu County — Kenya" in typed.content.decode()
    added = client.post(url("organisations", world), {"org-organisation": world.ministry.id})
    assert added.status_code == 302
    assert world.inner.member_organisations.filter(organisation=world.ministry).exists()
    again = client.post(url("organisations", world), {"org-organisation": world.ministry.id})
    assert again.status_code == 400 and "already in the alliance" in again.content.decode()
    removed = client.post(
        url("organisations", world), {"org-organisation": world.ministry.id, "remove": "1"}
    )
    assert removed.status_code == 302
    assert not world.inner.member_organisations.filter(organisation=world.ministry).exists()
    member = client_for(world.member_alliance.user)
    assert (
        member.post(
            url("organisations", world), {"org-organisation": world.ministry.id}
        ).status_code
        == 403
    )
    api = client.post(
        f"/api/v1/alliances/{world.inner.slug}/organisations",
        {"organisation_id": world.ministry.id},
        content_type="application/json",
    )
    assert api.status_code == 201
    assert world.ministry.name in {o["organisation"]["name"] for o in api.json()}
    gone = client.post(
        f"/api/v1/alliances/{world.inner.slug}/organisations/remove",
        {"organisation_id": world.ministry.id},
        content_type="application/json",
    )
    assert gone.status_code == 200
