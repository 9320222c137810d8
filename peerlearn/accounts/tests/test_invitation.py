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
    assert "responsable de l’autorisation" in message.subject
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


# --- the organisation of the person invited, added with the invitation -----------------


def _fresh_admin() -> Client:
    """A new platform: its administrator, and no organisation at all."""
    from peerlearn.conftest import make_user
    from peerlearn.organisations.models import Organisation

    assert not Organisation.objects.exists()
    return signed_in(make_user("root", role=Role.ADMIN))


_AUTHORISER = {
    "name": "Grace Achieng",
    "email": "grace@treasury.example",
    "role": Role.AUTHORISER,
    "preferred_language": "en",
}


def test_an_authoriser_is_invited_with_a_new_organisation_on_an_empty_platform(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    """Nothing to pick on a new platform: the search that found nothing points to adding
    the organisation below the form, and fills in its name; its type and country remain.
    Every step is a plain form sent again: no JavaScript is needed."""
    from peerlearn.organisations.models import Organisation, OrganisationType

    admin = _fresh_admin()
    page = admin.get(INVITE).content.decode()
    assert "Organisation not listed? Add it" in page
    for name in ("new_organisation_name", "new_organisation_type", "new_organisation_country"):
        assert f'name="{name}"' in page
    searched = admin.post(INVITE, {**_AUTHORISER, "organisation__q": "Ministry of Finance"})
    assert searched.status_code == 400
    form, org_form = searched.context["form"], searched.context["org_form"]
    assert form.errors["organisation"] == [
        "Nothing matches “Ministry of Finance”: try fewer letters, or add the organisation below."
    ]
    assert org_form["new_organisation_name"].value() == "Ministry of Finance"
    assert 'name="new_organisation_name" value="Ministry of Finance"' in searched.content.decode()
    assert not User.objects.filter(email=_AUTHORISER["email"]).exists()
    # Type and country chosen, the search still in its box: the organisation added answers.
    added = {
        **_AUTHORISER,
        "organisation__q": "Ministry of Finance",
        "new_organisation_name": "Ministry of Finance",
        "new_organisation_type": OrganisationType.MINISTRY,
        "new_organisation_country": "KE",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(INVITE, added)
    assert response.status_code == 302, response.context and response.context["form"].errors
    ministry = Organisation.objects.get()
    assert (ministry.name, ministry.type, ministry.country_id) == (
        "Ministry of Finance",
        OrganisationType.MINISTRY,
        "KE",
    )
    grace = User.objects.get(email=_AUTHORISER["email"])
    assert (grace.role, grace.organisation) == (Role.AUTHORISER, ministry)
    assert [m.to for m in mail.outbox] == [[_AUTHORISER["email"]]]
    # Listed now: the next authoriser picks it.
    picked = admin.post(
        INVITE, {**_AUTHORISER, "email": "omar@treasury.example", "organisation": ministry.id}
    )
    assert picked.status_code == 302
    assert User.objects.get(email="omar@treasury.example").organisation == ministry
    assert Organisation.objects.count() == 1


def test_an_organisation_added_asks_its_type_and_country_with_the_other_fields(
    db: None,
) -> None:
    admin = _fresh_admin()
    response = admin.post(
        INVITE,
        {**_AUTHORISER, "name": "", "new_organisation_name": "Ministry of Finance"},
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name"}
    assert set(response.context["org_form"].errors) == {"new_organisation_type"}
    # In the summary at the top, with the invitation's own.
    page = response.content.decode()
    summary = page.split('class="errors error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#id_name"' in summary and 'href="#id_new_organisation_type"' in summary


def test_a_refused_invitation_adds_no_organisation(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerlearn.organisations.models import Organisation

    admin = signed_in(world.admin)
    new = {
        "new_organisation_name": "Ministry of Devolution",
        "new_organisation_type": "ministry",
        "new_organisation_country": "KE",
    }
    # Refused by the form: an address that has an account already.
    taken = {**_AUTHORISER, "email": world.facilitator.email, **new}
    response = admin.post(INVITE, taken)
    assert response.status_code == 400
    assert "has this address already" in response.context["form"].errors["email"][0]
    assert not Organisation.objects.filter(name="Ministry of Devolution").exists()
    # Refused by the service only, after the organisation was made: it is undone too.
    monkeypatch.setattr("peerlearn.accounts.forms.user_invite_problems", lambda **kw: {})
    response = admin.post(INVITE, taken)
    assert response.status_code == 400
    assert "has this address already" in response.context["form"].errors["email"][0]
    assert not Organisation.objects.filter(name="Ministry of Devolution").exists()
    assert mail.outbox == []


def test_a_name_close_to_a_listed_organisation_offers_it_first(world: SimpleNamespace) -> None:
    from peerlearn.organisations.models import Organisation

    admin = signed_in(world.admin)
    close = {
        **_AUTHORISER,
        "new_organisation_name": "Kisumu County Government",
        "new_organisation_type": "local_government",
        "new_organisation_country": "KE",
    }
    offered = admin.post(INVITE, close)
    assert offered.status_code == 400
    said = offered.context["org_form"].errors["new_organisation_name"][0]
    assert said.startswith("Close to an organisation already listed: Kisumu County.")
    page = offered.content.decode()
    assert f'name="use_organisation" value="{world.county_b.id}"' in page
    assert "None of these: add this organisation anyway" in page
    assert not User.objects.filter(email=_AUTHORISER["email"]).exists()
    before = Organisation.objects.count()
    # Ticked, the listed one is taken and nothing is added.
    chosen = admin.post(INVITE, {**close, "use_organisation": world.county_b.id})
    assert chosen.status_code == 302
    assert User.objects.get(email=_AUTHORISER["email"]).organisation == world.county_b
    assert Organisation.objects.count() == before


def test_a_funder_is_invited_with_a_new_international_organisation(db: None) -> None:
    """A funder's organisation is often international: its country may be left empty."""
    from peerlearn.organisations.models import Organisation

    admin = _fresh_admin()
    page = admin.get(INVITE).content.decode()
    assert "Leave empty for international and regional organisations." in page
    response = admin.post(
        INVITE,
        {
            "name": "Ines Moreau",
            "email": "ines@fund.example",
            "role": Role.FUNDER,
            "preferred_language": "en",
            "new_organisation_name": "Governance Learning Fund",
            "new_organisation_type": "development_partner",
            "new_organisation_country": "",
        },
    )
    assert response.status_code == 302
    fund = Organisation.objects.get()
    assert fund.name == "Governance Learning Fund" and fund.country is None
    assert User.objects.get(email="ines@fund.example").organisation == fund
    # A country that is not one is still refused.
    refused = admin.post(
        INVITE,
        {
            "name": "Ola",
            "email": "ola@fund.example",
            "role": Role.FUNDER,
            "new_organisation_name": "Another Fund",
            "new_organisation_type": "development_partner",
            "new_organisation_country": "XX",
        },
    )
    assert refused.status_code == 400
    assert "new_organisation_country" in refused.context["org_form"].errors
    assert Organisation.objects.count() == 1
