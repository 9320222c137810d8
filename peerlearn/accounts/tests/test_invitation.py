"""Administrators invite facilitators, authorisers and funders; the invited choose their
own password from the e-mail."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from peerlearn.access.roles import Role
from peerlearn.accounts.models import User

pytestmark = pytest.mark.django_db

INVITE = "/accounts/invite/"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_administrators_invite(world: SimpleNamespace) -> None:
    assert reverse("accounts:invite") == INVITE
    assert Client().get(INVITE).status_code == 302  # to sign in
    for user in (world.facilitator, world.authoriser_a, world.funder, world.member_platform.user):
        client = signed_in(user)
        assert client.get(INVITE).status_code == 403
        data = {"name": "Eve", "email": "eve@example.org", "role": "facilitator"}
        assert client.post(INVITE, data).status_code == 403
    assert not User.objects.filter(email="eve@example.org").exists()
    assert signed_in(world.admin).get(INVITE).status_code == 200


def test_an_invited_authoriser_chooses_a_password_and_signs_in(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    admin = signed_in(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            INVITE,
            {
                "name": "Grace Achieng",
                "email": "grace@county-b.example",
                "role": Role.AUTHORISER,
                "organisation": world.county_b.id,
                "preferred_language": "fr",
            },
        )
    assert response.status_code == 302
    grace = User.objects.get(email="grace@county-b.example")
    assert (grace.role, grace.organisation, grace.username) == (
        Role.AUTHORISER,
        world.county_b,
        "grace",
    )
    assert [m.to for m in mail.outbox] == [["grace@county-b.example"]]
    message = mail.outbox[0]
    assert message.reply_to == [world.admin.email]
    # In the language chosen for them.
    assert grace.preferred_language == "fr"
    assert "Responsable de l’autorisation" in message.subject
    assert "Votre nom d’utilisateur est grace." in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+)", message.body)
    assert link, message.body
    # Nobody knows the password until Grace chooses one from the link.
    visitor = Client()
    form_page = visitor.get(link.group(1), follow=True)
    assert form_page.context["validlink"]
    # A first visit, not a reset: it welcomes them and names their user name.
    assert "Your user name is <strong>grace</strong>" in form_page.content.decode()
    assert "At least 8 characters, not only digits" in form_page.content.decode()
    # A password the rules refuse is named beside the field it was typed in.
    short = visitor.post(
        form_page.redirect_chain[-1][0], {"new_password1": "ab1", "new_password2": "ab1"}
    )
    errors = short.context["form"].errors
    assert "new_password1" in errors and "new_password2" not in errors
    differ = visitor.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "quiet river budget lamp", "new_password2": "quiet river"},
    )
    assert differ.context["form"].errors == {
        "new_password2": ["The two passwords differ: type the same twice."]
    }
    chosen = visitor.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "quiet river budget lamp", "new_password2": "quiet river budget lamp"},
        follow=True,
    )
    # Signed in at once, at their home page, told their user name once more, in the
    # language they were invited in.
    assert chosen.redirect_chain[-1][0] == reverse("home")
    assert '<html lang="fr">' in chosen.content.decode()
    assert "vous êtes connecté·e en tant que grace" in chosen.content.decode()
    assert chosen.context["user"] == grace
    signin = {"username": "grace", "password": "quiet river budget lamp"}
    assert Client().post(reverse("login"), signin).status_code == 302


def test_a_refused_invitation_names_every_field_and_creates_nobody(
    world: SimpleNamespace,
) -> None:
    admin = signed_in(world.admin)
    response = admin.post(
        INVITE,
        {"name": "  ", "email": world.facilitator.email.upper(), "role": Role.AUTHORISER},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"name", "email", "organisation"}
    assert f"{world.facilitator.username} has this address already" in errors["email"][0]
    assert "choose it" in errors["organisation"][0]
    # Each line of the summary leads to its field, the picker's text box included.
    html = response.content.decode()
    summary = html.split('class="errors error-summary"', 1)[1].split("</div>", 1)[0]
    for target in ("id_name", "id_email", "id_organisation__q"):
        assert f'href="#{target}"' in summary and f'id="{target}"' in html, target
    assert mail.outbox == []
    assert not User.objects.filter(name="").exists()
    # A role left unchosen: the link leads to its first radio button.
    no_role = admin.post(INVITE, {"name": "B", "email": "b@example.org"}).content.decode()
    summary = no_role.split('class="errors error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#id_role_0"' in summary and 'id="id_role_0"' in no_role
    # A funder follows their organisation's alliances: it is asked for too.
    funder = {"name": "A", "email": "Facilitator@elsewhere.example", "role": "funder"}
    refused = admin.post(INVITE, {**funder, "preferred_language": "en"})
    assert "A funder follows the alliances" in refused.context["form"].errors["organisation"][0]
    # A taken user name gets a number (the address's local part, in lower case, is only a
    # start).
    admin.post(INVITE, {**funder, "organisation": world.donor.id, "preferred_language": "en"})
    assert User.objects.get(email="Facilitator@elsewhere.example").username == "facilitator2"


def test_a_peers_request_for_an_authoriser_opens_the_form_filled_in(
    world: SimpleNamespace,
) -> None:
    query = {
        "name": "Grace Achieng",
        "email": "grace@county-b.example",
        "role": "authoriser",
        "organisation": str(world.county_b.id),
        "preferred_language": "fr",
    }
    page = signed_in(world.admin).get(INVITE, query)
    form = page.context["form"]
    assert form["name"].value() == "Grace Achieng"
    assert form["role"].value() == "authoriser"
    assert form["preferred_language"].value() == "fr"
    assert world.county_b.name in page.content.decode()


def test_an_invitation_is_sent_again_until_the_person_signs_in(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    admin = signed_in(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            INVITE,
            {
                "name": "Omar Haddad",
                "email": "omar@example.org",
                "role": "funder",
                "organisation": world.donor.id,
            },
        )
    omar = User.objects.get(email="omar@example.org")
    assert (omar.invited_by, omar.invited_at is not None) == (world.admin, True)
    page = admin.get(INVITE).content.decode()
    assert "Invited, not signed in yet" in page and "omar@example.org" in page
    # People who were never invited (the demo's, a sign-up) are not listed.
    assert world.facilitator.email not in page
    resend = reverse("accounts:invitation_resend", args=[omar.id])
    assert resend == f"/accounts/invite/{omar.id}/send-again/"
    # Only administrators send it, and only to someone invited.
    for user in (world.facilitator, world.funder):
        assert signed_in(user).post(resend).status_code in (403, 404)
    not_invited = reverse("accounts:invitation_resend", args=[world.funder.id])
    assert admin.post(not_invited).status_code == 404
    first_link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[-1].body)
    assert first_link, mail.outbox[-1].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = admin.post(resend, follow=True)
    assert "The invitation is sent again to omar@example.org" in sent.content.decode()
    assert [m.to for m in mail.outbox] == [["omar@example.org"]]
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    # The new link replaces the first one.
    assert not Client().get(first_link.group(1), follow=True).context["validlink"]
    visitor = Client()
    form_page = visitor.get(link.group(1), follow=True)
    assert form_page.context["validlink"]
    visitor.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "quiet river budget lamp", "new_password2": "quiet river budget lamp"},
    )
    assert (
        Client()
        .post(reverse("login"), {"username": omar.username, "password": "quiet river budget lamp"})
        .status_code
        == 302
    )
    # Signed in, they leave the list, and nothing more is sent.
    assert "omar@example.org" not in admin.get(INVITE).content.decode()
    assert admin.post(resend).status_code == 404


def test_a_reset_by_someone_never_invited_is_no_welcome(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    """An account the demo or the back office made, never signed in, asking for a reset:
    it reads as a reset, not as an invitation."""
    from peerlearn.conftest import make_user

    person = make_user("hassan")
    assert person.last_login is None and person.invited_at is None
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("password_reset"), {"email": person.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    visitor = Client()
    page = visitor.get(link.group(1), follow=True)
    assert page.context["validlink"]
    html = page.content.decode()
    assert "Choose a new password" in html and "Welcome to peerlearn" not in html
    done = visitor.post(
        page.redirect_chain[-1][0],
        {"new_password1": "quiet river budget lamp", "new_password2": "quiet river budget lamp"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert "You are signed in as hassan" in done.content.decode()
