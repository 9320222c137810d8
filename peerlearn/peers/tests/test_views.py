"""The peer directory, profiles and a peer's own pages."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.access.visibility import Visibility
from peerlearn.conftest import make_peer
from peerlearn.peers.models import Challenge, Experience, PeerProfile
from peerlearn.peers.services import statement_create

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def signed_in_french(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


def test_directory_lists_only_visible_peers(world: SimpleNamespace) -> None:
    response = Client().get(reverse("peers:directory"))
    assert response.status_code == 200
    names = [p.user.username for p in response.context["page"].object_list]
    assert names == ["outsider_public"]
    response = signed_in(world.outsider.user).get(reverse("peers:directory"))
    names = {p.user.username for p in response.context["page"].object_list}
    assert names == {"member_platform", "outsider", "outsider_public"}
    assert "Member Private" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "FR"}, {"outsider", "outsider_public"}),
        (
            {"country": "KE"},
            {"member_platform", "member_alliance", "member_private", "outsider_alliance"},
        ),
        ({"region": "155"}, {"outsider", "outsider_public"}),  # Western Europe
        (
            {"region": "014"},
            {"member_platform", "member_alliance", "member_private", "outsider_alliance"},
        ),  # Eastern Africa
        ({"language": "fr"}, {"outsider"}),
        ({"theme": "revenue-pfm"}, {"member_platform", "member_private", "outsider"}),
        (
            {"stage": "1"},
            {
                "member_platform",
                "member_alliance",
                "member_private",
                "outsider",
                "outsider_public",
                "outsider_alliance",
            },
        ),
        ({"stage": "3"}, set()),
        ({"q": "ministère"}, {"outsider", "outsider_public"}),
    ],
)
def test_directory_filters(
    world: SimpleNamespace, params: dict[str, str], expected: set[str]
) -> None:
    # The administrator sees every profile, so only the filter narrows the list.
    response = signed_in(world.admin).get(reverse("peers:directory"), params)
    assert response.status_code == 200
    names = {p.user.username for p in response.context["page"].object_list}
    assert names == expected
    assert not response.context["form"].errors


def test_directory_reports_an_unknown_filter_value(world: SimpleNamespace) -> None:
    response = signed_in(world.admin).get(reverse("peers:directory"), {"country": "XX"})
    assert response.status_code == 200
    assert "country" in response.context["form"].errors


@pytest.mark.parametrize("model", [Challenge, Experience])
def test_theme_filter_does_not_reveal_who_holds_hidden_statements(
    world: SimpleNamespace, model: Any
) -> None:
    # member_platform's profile is visible on the platform; its only statements on
    # "procurement" are private or shared inside the inner alliance.
    for visibility, alliance in ((Visibility.PRIVATE, None), (Visibility.ALLIANCE, world.inner)):
        statement_create(
            model=model,
            peer=world.member_platform,
            theme="procurement",
            title=f"Hidden {visibility}",
            description="Kept out of sight.",
            visibility=visibility,
            alliance=alliance,
        )

    def found(user: Any) -> set[str]:
        response = signed_in(user).get(reverse("peers:directory"), {"theme": "procurement"})
        assert response.status_code == 200
        return {p.user.username for p in response.context["page"].object_list}

    assert "member_platform" not in found(world.outsider.user)
    # A fellow member of the inner alliance sees the alliance-level statement, so the filter
    # may find its author for them; the author finds themself.
    assert "member_platform" in found(world.member_alliance.user)
    assert "member_platform" in found(world.member_platform.user)
    api = signed_in(world.outsider.user).get("/api/v1/peers", {"theme": "procurement"})
    assert api.status_code == 200
    assert world.member_platform.id not in {p["id"] for p in api.json()["items"]}


def test_directory_htmx_returns_only_the_results_fragment(world: SimpleNamespace) -> None:
    response = signed_in(world.admin).get(
        reverse("peers:directory"), {"country": "FR"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html


def test_directory_names_working_languages_in_the_readers_language(
    world: SimpleNamespace,
) -> None:
    def languages_cell(client: Client) -> str:
        html = client.get(reverse("peers:directory"), {"country": "FR"}).content.decode()
        cells = re.findall(r'<td data-label="(?:Languages|Langues)">(.*?)</td>', html)
        assert len(cells) == 2, html
        return " | ".join(cells)

    english = languages_cell(signed_in(world.admin))
    # outsider works in French, outsider_public in English: names, not codes.
    assert "French" in english and "English" in english
    assert not re.search(r"\b(fr|en)\b", english)
    french = languages_cell(signed_in_french(world.admin))
    assert "français" in french and "anglais" in french


def test_directory_query_count_does_not_grow_with_peers(
    world: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(world.outsider.user)
    with django_assert_max_num_queries(12) as few:
        response = client.get(reverse("peers:directory"))
    assert response.context["page"].paginator.count == 3
    for i in range(30):
        make_peer(
            f"extra_{i}", world.ministry, languages=("fr", "en"), reform_areas=["procurement"]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("peers:directory"))
    assert response.context["page"].paginator.count == 33


def test_profile_shows_visible_statements_only(world: SimpleNamespace) -> None:
    url = reverse("peers:profile", args=[world.member_platform.id])
    html = signed_in(world.outsider.user).get(url).content.decode()
    assert "Challenge platform" in html and "Challenge public" in html
    assert "Challenge alliance" not in html and "Challenge private" not in html
    html = signed_in(world.member_alliance.user).get(url).content.decode()
    assert "Challenge alliance" in html and "Challenge private" not in html


def test_invisible_profile_is_not_found(world: SimpleNamespace) -> None:
    url = reverse("peers:profile", args=[world.member_private.id])
    assert signed_in(world.outsider.user).get(url).status_code == 404
    assert (
        Client().get(reverse("peers:profile", args=[world.member_platform.id])).status_code == 404
    )


def test_own_pages_need_sign_in() -> None:
    response = Client().get(reverse("peers:profile_edit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_add_a_challenge(world: SimpleNamespace) -> None:
    client = signed_in(world.outsider.user)
    response = client.post(
        reverse("peers:statement_new", args=["challenges"]),
        {
            "theme": "open-government",
            "title": "Publishing budgets",
            "description": "How to collect fees by phone?",
            "visibility": Visibility.PUBLIC,
        },
    )
    assert response.status_code == 302
    challenge = Challenge.objects.get(title="Publishing budgets")
    assert challenge.peer == world.outsider
    assert challenge.theme.slug == "open-government"


def test_the_alliance_list_is_offered_only_to_someone_in_an_alliance(
    world: SimpleNamespace,
) -> None:
    new = reverse("peers:statement_new", args=["challenges"])
    outside = signed_in(world.outsider.user).get(new).content.decode()
    assert "Raised in the learning alliance" not in outside
    assert '<input type="hidden" name="alliance"' in outside
    inside = signed_in(world.member_alliance.user).get(new).content.decode()
    assert "Raised in the learning alliance" in inside
    assert world.inner.name in inside


def test_bad_statement_names_the_field_and_saves_nothing(world: SimpleNamespace) -> None:
    client = signed_in(world.outsider.user)
    before = Experience.objects.count()
    response = client.post(
        reverse("peers:statement_new", args=["experiences"]),
        {"theme": "no-such-theme", "title": "", "description": "x", "visibility": "secret"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"theme", "title", "visibility"}
    assert Experience.objects.count() == before


def test_linking_to_an_alliance_one_is_not_in_is_refused(world: SimpleNamespace) -> None:
    client = signed_in(world.outsider.user)
    response = client.post(
        reverse("peers:statement_new", args=["challenges"]),
        {
            "theme": "procurement",
            "title": "t",
            "description": "Traders pay by phone.",
            "visibility": "platform",
            "alliance": world.inner.slug,
        },
    )
    assert "alliance" in response.context["form"].errors
    assert not Challenge.objects.filter(title="t").exists()


def test_editing_and_deleting_someone_elses_statement_is_forbidden(world: SimpleNamespace) -> None:
    challenge = world.challenges[Visibility.PLATFORM]
    client = signed_in(world.outsider.user)
    edit = reverse("peers:statement_edit", args=["challenges", challenge.id])
    assert client.get(edit).status_code == 403
    delete = reverse("peers:statement_delete", args=["challenges", challenge.id])
    assert client.post(delete, {"confirm": "1"}).status_code == 403
    assert Challenge.objects.filter(id=challenge.id).exists()
    # The author can, once they confirm.
    assert signed_in(world.member_platform.user).post(delete, {"confirm": "1"}).status_code == 302
    assert not Challenge.objects.filter(id=challenge.id).exists()


def test_unknown_statement_kind_is_not_found(world: SimpleNamespace) -> None:
    response = signed_in(world.outsider.user).get("/peers/me/secrets/new/")
    assert response.status_code == 404


def _profile_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Amina Diallo",
        "position": "Head of tax policy",
        "seniority": "4",
        "reform_stage": "2",
        "languages": ["fr", "en"],
        "reform_areas": ["revenue-pfm"],
        "gender": "",
        "bio": "",
        "visibility": Visibility.PLATFORM,
        "new_organisation_name": "Direction générale des impôts",
        "new_organisation_type": "agency",
        "new_organisation_country": "SN",
    }
    data.update(overrides)
    return data


def test_an_invitation_is_carried_through_sign_up_and_the_new_profile(
    world: SimpleNamespace,
) -> None:
    """An invitee who is new here follows "Join as a peer" from the sign-in page the
    invitation sent them to, and comes back to the invitation once their profile exists."""
    from django.test import Client

    invitation = "/alliances/invitations/some-token/"
    login = Client().get(reverse("login"), {"next": invitation}).content.decode()
    assert f'{reverse("accounts:signup")}?next={invitation}"' in login
    client = Client()
    signup = {
        "name": "Amina Diallo",
        "username": "amina",
        "email": "amina@example.org",
        "password": "a-long-test-passphrase-42",
        "password_again": "a-long-test-passphrase-42",
    }
    response = client.post(f"{reverse('accounts:signup')}?next={invitation}", signup)
    profile_url = f"{reverse('peers:profile_edit')}?next=%2Falliances%2Finvitations%2Fsome-token%2F"
    assert response["Location"] == profile_url
    response = client.post(profile_url, _profile_post())
    assert response.status_code == 302 and response["Location"] == invitation
    # Another site is never where "next" leads.
    response = client.post(
        f"{reverse('peers:profile_edit')}?next=https://evil.example/", _profile_post()
    )
    assert response["Location"].startswith("/peers/")


def test_a_new_user_creates_their_profile_and_organisation(world: SimpleNamespace) -> None:
    from peerlearn.conftest import make_user

    user = make_user("amina")
    form = signed_in(user).get(reverse("peers:profile_edit")).content.decode()
    # The organisation is needed, picked here or added below: not marked "(optional)";
    # "About me" may be left empty.
    assert "<legend>Organisation</legend>" in form
    assert 'About me <span class="optional">(optional)</span>' in form
    response = signed_in(user).post(reverse("peers:profile_edit"), _profile_post())
    assert response.status_code == 302
    profile = PeerProfile.objects.get(user=user)
    assert profile.user.organisation.name == "Direction générale des impôts"
    assert profile.user.organisation.country_id == "SN"
    assert [lang.code for lang in profile.languages.order_by("code")] == ["en", "fr"]


def test_a_failed_profile_leaves_nothing_half_saved(world: SimpleNamespace) -> None:
    from peerlearn.conftest import make_user
    from peerlearn.organisations.models import Organisation

    user = make_user("amina")
    response = signed_in(user).post(reverse("peers:profile_edit"), _profile_post(seniority="9"))
    assert response.status_code == 200
    assert "seniority" in response.context["form"].errors
    assert not PeerProfile.objects.filter(user=user).exists()
    assert not Organisation.objects.filter(name="Direction générale des impôts").exists()
    user.refresh_from_db()
    assert user.organisation_id is None


def test_an_empty_profile_names_every_missing_field_in_one_round(world: SimpleNamespace) -> None:
    """The organisation, asked of two forms (picked, or added below), is named beside the
    other missing fields, not after they are filled in."""
    from peerlearn.conftest import make_user

    user = make_user("amina")
    empty = dict.fromkeys(_profile_post(), "")
    response = signed_in(user).post(reverse("peers:profile_edit"), empty)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"name", "position", "languages", "organisation"} <= set(errors)
    assert errors["organisation"] == ["Choose your organisation, or add it below."]
    # Seniority and stage are chosen by the person, never preset for them.
    assert errors["seniority"] == ["Choose your seniority."]
    assert errors["reform_stage"] == ["Choose where you stand in the reform cycle."]
    assert not PeerProfile.objects.filter(user=user).exists()
    # Typing a new organisation's name answers it (its type and country are then asked).
    response = signed_in(user).post(
        reverse("peers:profile_edit"), {**empty, "new_organisation_name": "Makueni County"}
    )
    assert "organisation" not in response.context["form"].errors
    assert {"new_organisation_type", "new_organisation_country"} <= set(
        response.context["org_form"].errors
    )
    # The added organisation's errors are in the summary at the top of the page, where the
    # reader lands, not only in the fieldset at its foot.
    page = response.content.decode()
    summary = page[page.index("error-summary") : page.index('name="name"')]
    assert 'href="#id_new_organisation_type"' in summary
    assert 'href="#id_new_organisation_country"' in summary


def test_a_new_profile_presets_no_seniority_or_stage(world: SimpleNamespace) -> None:
    from peerlearn.conftest import make_user

    page = signed_in(make_user("amina")).get(reverse("peers:profile_edit")).content.decode()
    for name in ("seniority", "reform_stage"):
        select = page[page.index(f'name="{name}"') :]
        select = select[: select.index("</select>")]
        assert '<option value="" selected>—</option>' in select


def test_a_name_found_only_word_by_word_is_offered_not_chosen(world: SimpleNamespace) -> None:
    """Words that each appear somewhere in one organisation's name are not that
    organisation's name: it is offered to tick, and nothing is saved meanwhile."""
    from peerlearn.conftest import make_user
    from peerlearn.core.models import Country
    from peerlearn.organisations.models import OrganisationType
    from peerlearn.organisations.services import organisation_create

    agency = organisation_create(
        name="State Agency for Civil Service and Local Self-Government Affairs",
        type=OrganisationType.AGENCY,
        country=Country.objects.get(code="KG"),
    )
    user = make_user("amina")
    post = _profile_post(new_organisation_name="", new_organisation_type="")
    post["new_organisation_country"] = ""
    response = signed_in(user).post(
        reverse("peers:profile_edit"), {**post, "organisation__q": "Local Government Service"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == [
        "Only one is close to “Local Government Service”: tick it below if it is the one, "
        "then save again."
    ]
    assert f'value="{agency.id}"' in response.content.decode()  # offered to tick
    assert not PeerProfile.objects.filter(user=user).exists()
    # Ticked, it is taken; and a text that is part of its name takes it at once.
    for chosen in ({"organisation": agency.id}, {"organisation__q": "civil service"}):
        PeerProfile.objects.filter(user=user).delete()
        response = signed_in(user).post(reverse("peers:profile_edit"), {**post, **chosen})
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.organisation == agency
    # Nothing found points to adding the organisation below.
    response = signed_in(user).post(
        reverse("peers:profile_edit"), {**post, "organisation__q": "Zzyzx Bureau"}
    )
    assert response.context["form"].errors["organisation"] == [
        "Nothing matches “Zzyzx Bureau”: try fewer letters, or add your organisation below."
    ]


def test_new_organisation_needs_type_and_country(world: SimpleNamespace) -> None:
    from peerlearn.conftest import make_user

    user = make_user("amina")
    response = signed_in(user).post(
        reverse("peers:profile_edit"),
        _profile_post(new_organisation_type="", new_organisation_country=""),
    )
    assert set(response.context["org_form"].errors) == {
        "new_organisation_type",
        "new_organisation_country",
    }


def _act(authorisation: Any, action: str) -> str:
    return reverse("peers:authorisation_act", args=[authorisation.id, action])


def test_authorisation_request_and_decision(
    world: SimpleNamespace, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    peer = world.member_alliance
    client = signed_in(peer.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("peers:authorisation_new"),
            {"authoriser": world.authoriser_a.id, "scope": "Join the County Revenue Alliance."},
        )
    # Back to the authorisation page, where the request is listed as waiting.
    assert response.status_code == 302
    assert response["Location"] == reverse("peers:authorisation_new")
    page = client.get(response["Location"]).content.decode()
    assert f"Your request is sent to {world.authoriser_a}." in page
    assert "Requested" in page and "Join the County Revenue Alliance." in page
    assert "waiting for their decision" in page
    authorisation = peer.authorisations.get()
    assert authorisation.status == "requested"
    # The authoriser hears of it by e-mail, with the link to decide.
    assert [m.to for m in mailoutbox] == [[world.authoriser_a.email]]
    assert reverse("peers:authorisation_decision", args=[authorisation.id]) in mailoutbox[0].body
    assert signed_in(world.facilitator).post(_act(authorisation, "grant")).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(world.authoriser_a).post(_act(authorisation, "grant"), {"note": "Go."})
    assert response.status_code == 302
    authorisation.refresh_from_db()
    assert authorisation.status == "granted" and authorisation.decided_on is not None
    # The peer hears of the decision.
    assert mailoutbox[-1].to == [peer.user.email] and "Granted" in mailoutbox[-1].subject
    # Granted cannot become declined; only revoked.
    response = signed_in(world.authoriser_a).post(_act(authorisation, "decline"))
    assert response.status_code == 302
    authorisation.refresh_from_db()
    assert authorisation.status == "granted"


def test_a_peer_without_an_authoriser_asks_the_administrators_to_invite_one(
    world: SimpleNamespace,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    """The ministry has no authoriser here: its peer names one, and the administrators are
    e-mailed who, with a link to find them among the accounts; answering reaches the peer."""
    peer = world.member_platform  # County B: no authoriser on the platform
    client = signed_in(peer.user)
    page = client.get(reverse("peers:authorisation_new")).content.decode()
    assert "Name the person who can authorise you" in page
    ask = reverse("peers:authoriser_ask")
    assert f'action="{ask}"' in page
    # Each missing or wrong answer is named beside its field, and nobody is written to.
    with django_capture_on_commit_callbacks(execute=True):
        empty = client.post(ask, {"authoriser_name": "", "authoriser_email": "not-an-address"})
        own = client.post(
            ask, {"authoriser_name": "Me", "authoriser_email": peer.user.email.upper()}
        )
    assert empty.status_code == 400 and own.status_code == 400
    assert set(empty.context["ask_form"].errors) == {"authoriser_name", "authoriser_email"}
    assert own.context["ask_form"].errors["authoriser_email"] == [
        "Name someone else: a peer cannot authorise their own participation."
    ]
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            ask,
            {
                "authoriser_name": "Grace Achieng",
                "authoriser_email": "grace@county-b.example",
                "note": "Chief Officer, Finance",
            },
        )
    assert sent.status_code == 302 and sent["Location"] == reverse("peers:authorisation_new")
    assert [m.to for m in mailoutbox] == [[world.admin.email]]
    mail = mailoutbox[0]
    assert mail.reply_to == [peer.user.email]
    assert "Grace Achieng <grace@county-b.example>" in mail.body
    assert "Chief Officer, Finance" in mail.body and world.county_b.name in mail.body
    assert "/admin/accounts/user/?q=grace%40county-b.example" in mail.body
    invite = "/accounts/invite/?name=Grace+Achieng&email=grace%40county-b.example&role=authoriser"
    assert f"{invite}&organisation={peer.user.organisation_id}&preferred_language=en" in mail.body
    # A peer whose organisation has an authoriser asks them instead.
    other = signed_in(world.member_alliance.user).post(
        ask, {"authoriser_name": "Someone", "authoriser_email": "someone@example.org"}
    )
    assert other.status_code == 400
    assert "ask them with the form above" in other.content.decode()
    # Asking is limited per account, counting only the requests sent.
    settings.PEERLEARN_AUTHORISER_ASK_RATE = "1/day"
    limited = signed_in(world.member_private.user)
    asked = {"authoriser_name": "Grace Achieng", "authoriser_email": "grace@county-b.example"}
    for _mistake in range(3):
        assert limited.post(ask, {**asked, "authoriser_email": ""}).status_code == 400
    assert limited.post(ask, asked).status_code == 302
    again = limited.post(ask, {**asked, "authoriser_email": "grace.achieng@county-b.example"})
    assert again.status_code == 400
    assert "You have asked the administrators several times today" in again.content.decode()


def test_a_request_for_an_authoriser_waits_until_the_administrators_invite_them(
    world: SimpleNamespace, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The peer reads their request on their page and cannot send it twice; it waits on
    the administrators' "What needs you", with the invitation form filled in, until they
    invite the person; then the peer is e-mailed and the request is answered."""
    from peerlearn.notifications.needs import needs_for

    peer = world.member_platform
    client = signed_in(peer.user)
    ask = reverse("peers:authoriser_ask")
    named = {"authoriser_name": "Grace Achieng", "authoriser_email": "grace@county-b.example"}
    assert client.post(ask, named).status_code == 302
    page = client.get(reverse("peers:authorisation_new")).content.decode()
    assert "you asked them to invite Grace Achieng (grace@county-b.example)." in page
    assert "Waiting: you are e-mailed once they are invited." in page
    twice = client.post(ask, {**named, "authoriser_email": "GRACE@county-b.example"})
    assert twice.status_code == 400
    assert "You asked the administrators to invite them on" in twice.content.decode()
    [need] = [n for n in needs_for(world.admin) if n.kind == "authoriser_ask"]
    assert need.text == (
        f"Invite Grace Achieng, named by {peer.user.name} as the authoriser of "
        f"{world.county_b.name}"
    )
    assert need.url.startswith("/accounts/invite/?name=Grace+Achieng")
    # Nobody else is asked to invite.
    for other in (world.facilitator, peer.user, world.authoriser_a):
        assert [n for n in needs_for(other) if n.kind == "authoriser_ask"] == []
    admin = signed_in(world.admin)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invited = admin.post(
            "/accounts/invite/",
            {
                "name": "Grace Achieng",
                "email": "grace@county-b.example",
                "role": "authoriser",
                "organisation": world.county_b.id,
                "preferred_language": "en",
            },
        )
    assert invited.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == ["grace@county-b.example", peer.user.email]
    told = next(m for m in mailoutbox if m.to == [peer.user.email])
    assert "Grace Achieng is on peerlearn" in told.subject
    assert [n for n in needs_for(world.admin) if n.kind == "authoriser_ask"] == []
    page = client.get(reverse("peers:authorisation_new")).content.decode()
    assert "They are on peerlearn now" in page


def test_each_decision_is_its_own_action_offered_only_where_it_applies(
    world: SimpleNamespace,
) -> None:
    """The revoke link records a revocation, never a grant; a pending request offers grant
    and decline, never revoke."""
    from peerlearn.peers.services import authorisation_decide, authorisation_request

    authoriser = signed_in(world.authoriser_a)
    pending = authorisation_request(
        peer=world.member_alliance, authoriser=world.authoriser_a, scope="Join."
    )
    page = authoriser.get(reverse("peers:authorisation_decision", args=[pending.id]))
    assert [a.value for a in page.context["detail"].actions] == ["grant", "decline"]
    html = page.content.decode()
    assert _act(pending, "grant") in html and _act(pending, "decline") in html
    assert _act(pending, "revoke") not in html
    # Revoking a request that was never granted changes nothing.
    assert authoriser.post(_act(pending, "revoke")).status_code == 302
    pending.refresh_from_db()
    assert pending.status == "requested"

    authorisation_decide(authorisation=pending, status="granted")
    home = authoriser.get(reverse("home")).content.decode()
    assert _act(pending, "revoke") in home
    confirm = authoriser.get(_act(pending, "revoke"))
    assert confirm.status_code == 200
    assert "Revoke Member Alliance’s authorisation?" in confirm.content.decode()
    assert "status" not in confirm.context["form"].fields  # nothing to preset or get wrong
    authoriser.post(_act(pending, "revoke"), {"note": "The alliance ended."})
    pending.refresh_from_db()
    assert pending.status == "revoked" and pending.note == "The alliance ended."
    # An unknown decision is not a page.
    assert authoriser.get(f"/peers/authorisations/{pending.id}/approve/").status_code == 404


def test_a_private_requester_is_still_named_to_the_authoriser(world: SimpleNamespace) -> None:
    """The requester's name leads to the request, which the authoriser may always read, and
    to the profile only where it is shared with them."""
    from peerlearn.conftest import make_peer
    from peerlearn.peers.services import authorisation_request

    private = make_peer("private_requester", world.county_a, visibility="private")
    request = authorisation_request(peer=private, authoriser=world.authoriser_a, scope="Join.")
    authoriser = signed_in(world.authoriser_a)
    home = authoriser.get(reverse("home")).content.decode()
    assert reverse("peers:authorisation_decision", args=[request.id]) in home
    page = authoriser.get(reverse("peers:authorisation_decision", args=[request.id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Private Requester" in html
    assert reverse("peers:profile", args=[private.id]) not in html


def test_the_peers_home_shows_where_the_request_stands(world: SimpleNamespace) -> None:
    from peerlearn.peers.services import authorisation_decide, authorisation_request

    peer = world.member_alliance
    home = signed_in(peer.user).get(reverse("home")).content.decode()
    assert "Ask for authorisation" in home
    request = authorisation_request(peer=peer, authoriser=world.authoriser_a, scope="Join.")
    home = signed_in(peer.user).get(reverse("home")).content.decode()
    assert "waits for Authoriser A’s decision" in home
    assert "Ask for authorisation" not in home
    authorisation_decide(authorisation=request, status="declined")
    home = signed_in(peer.user).get(reverse("home")).content.decode()
    assert "Your last request was declined by Authoriser A." in home
    assert "Ask for authorisation" in home


def test_authorisers_offered_are_only_from_the_peers_own_organisation(
    world: SimpleNamespace,
) -> None:
    from peerlearn.conftest import make_user
    from peerlearn.peers.forms import AuthorisationRequestForm

    form = AuthorisationRequestForm(user=world.member_alliance.user)
    assert list(form.fields["authoriser"].queryset) == [world.authoriser_a]
    # Someone without an organisation (an authoriser without one exists too) is offered no one.
    make_user("stray_authoriser", role="authoriser")
    form = AuthorisationRequestForm(user=make_user("no_org"))
    assert not form.fields["authoriser"].queryset.exists()


# --- visibility that matches intent --------------------------------------------------------


def test_a_new_peer_is_visible_to_signed_in_users_by_default_and_told_so(
    world: SimpleNamespace,
) -> None:
    """The forms start at "signed-in users", explain each level, and the confirmation says
    who can now see the item; a facilitator then finds the new peer."""
    from peerlearn.conftest import make_user

    user = make_user("amina")
    client = signed_in(user)
    form_page = client.get(reverse("peers:profile_edit"))
    assert form_page.context["form"]["visibility"].value() == Visibility.PLATFORM
    html = form_page.content.decode()
    checked = re.findall(r'<input type="radio" name="visibility" value="(\w+)"[^>]*checked', html)
    assert checked == ["platform"]
    assert "A private profile stays out of every matching." in html
    # The user keeps every default the form offers.
    defaults = _profile_post()
    response = client.post(reverse("peers:profile_edit"), defaults, follow=True)
    assert "Every signed-in user can see it" in response.content.decode()
    statement_page = client.get(reverse("peers:statement_new", args=["challenges"]))
    assert statement_page.context["form"]["visibility"].value() == Visibility.PLATFORM
    response = client.post(
        reverse("peers:statement_new", args=["challenges"]),
        {
            "theme": "revenue-pfm",
            "title": "Cash leaks at bus parks",
            "description": "Collectors keep part of the daily fees.",
            "visibility": statement_page.context["form"]["visibility"].value(),
        },
        follow=True,
    )
    assert "Every signed-in user can see it" in response.content.decode()
    found = signed_in(world.facilitator).get(reverse("peers:directory"), {"q": "Amina"})
    assert "Amina Diallo" in found.content.decode()


def test_before_the_address_is_confirmed_the_confirmation_says_nobody_else_sees_it(
    world: SimpleNamespace,
) -> None:
    from peerlearn.conftest import make_user

    user = make_user("amina")
    type(user).objects.filter(id=user.id).update(email_verified=False)
    user.refresh_from_db()
    client = signed_in(user)
    page = client.post(reverse("peers:profile_edit"), _profile_post(), follow=True)
    shown = page.content.decode()
    assert "Nobody else sees it until you confirm your e-mail address" in shown
    assert "Every signed-in user can see it" not in shown
    found = signed_in(world.facilitator).get(reverse("peers:directory"), {"q": "Amina"})
    assert "Amina Diallo" not in found.content.decode()


def test_the_confirmation_names_the_narrower_audience(world: SimpleNamespace) -> None:
    """A public statement behind a private profile is seen by its author alone: the
    confirmation says so instead of promising it shows."""
    client = signed_in(world.member_private.user)
    response = client.post(
        reverse("peers:statement_new", args=["experiences"]),
        {
            "theme": "revenue-pfm",
            "title": "Mobile money",
            "description": "Traders pay by phone.",
            "visibility": Visibility.PUBLIC,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Only you can see it" in html
    assert "Your profile’s visibility limits who sees it." in html


def test_a_new_peers_home_shows_a_getting_started_checklist(world: SimpleNamespace) -> None:
    from peerlearn.conftest import make_peer

    peer = make_peer("newcomer", world.county_a, visibility=Visibility.PRIVATE)
    response = signed_in(peer.user).get(reverse("home"))
    steps = {s.label: s.done for s in response.context["onboarding"]}
    assert steps == {
        "Tell peers who you are: complete your profile (60% done)": False,
        "Let facilitators find you: show your profile to signed-in users": False,
        "Say what you want to learn, or what you can share": False,
        "Ask your home organisation to authorise your participation": False,
    }
    assert response.context["completeness"] == 60  # position, organisation, languages
    # The home names what is missing after the figure (dashboards' home_peer.html).
    assert "Your profile is 60% complete: fill in " in response.content.decode()
    # The step leads to the first part still empty.
    first = response.context["profile_missing"][0].anchor
    assert response.context["onboarding"][0].url == reverse("peers:profile_edit") + f"#{first}"


def test_an_alliance_level_statement_of_a_peer_in_no_alliance_says_nobody_else_sees_it(
    world: SimpleNamespace,
) -> None:
    """ "Members of your learning alliances can see it" promises readers a peer in no
    alliance does not have: the confirmation says nobody else sees it yet."""
    post = {
        "theme": "revenue-pfm",
        "title": "Mobile money",
        "description": "Traders pay by phone.",
        "visibility": Visibility.ALLIANCE,
    }
    response = signed_in(world.outsider.user).post(
        reverse("peers:statement_new", args=["experiences"]), post, follow=True
    )
    html = response.content.decode()
    assert "You are in no learning alliance yet, so nobody else sees it" in html
    assert "Members of your learning alliances can see it" not in html
    # A member of an alliance is told its members see it.
    response = signed_in(world.member_platform.user).post(
        reverse("peers:statement_new", args=["experiences"]), post, follow=True
    )
    html = response.content.decode()
    assert "Members of your learning alliances can see it" in html


def test_a_statement_shows_how_far_it_reaches_never_wider_than_its_profile(
    world: SimpleNamespace,
) -> None:
    """A public challenge behind a profile for signed-in users is shown to signed-in users
    only, and its badge says so, not "Public — anyone"."""
    peer = world.member_platform  # a profile for signed-in users
    public = world.challenges["public"]
    page = signed_in(peer.user).get(reverse("peers:profile", args=[peer.id])).content.decode()
    card = page[page.index(f'id="challenges-{public.id}"') :]
    card = card[: card.index("</article>")]
    assert "Platform — signed-in users" in card and "Public — anyone" not in card.split("title=")[0]
    assert "(no wider than your profile)" in card
    theirs = signed_in(world.outsider.user).get(reverse("peers:profile", args=[peer.id]))
    other_card = theirs.content.decode()
    other_card = other_card[other_card.index(f'id="challenges-{public.id}"') :]
    assert "(no wider than your profile)" not in other_card[: other_card.index("</article>")]
    # The form says it where the level is chosen, before saving; the other person's
    # profile is headed in the third person.
    form = signed_in(peer.user).get(reverse("peers:statement_new", args=["challenges"]))
    assert "Your profile is seen by signed-in users only" in form.content.decode()
    assert "what they want to learn" in theirs.content.decode()


def test_the_peer_reads_the_authorisers_note_where_they_look(world: SimpleNamespace) -> None:
    """A decline's or revocation's note reaches the peer on their pages, not only by
    e-mail: on the authorisation page and on their home page."""
    from peerlearn.peers.models import AuthorisationStatus
    from peerlearn.peers.services import authorisation_decide, authorisation_request

    a = authorisation_request(
        peer=world.member_alliance, authoriser=world.authoriser_a, scope="Join the alliance."
    )
    authorisation_decide(
        authorisation=a,
        status=AuthorisationStatus.DECLINED,
        note="Ask again after the budget session.",
    )
    client = Client()
    client.force_login(world.member_alliance.user)
    for url in (reverse("peers:authorisation_new"), "/"):
        page = client.get(url).content.decode()
        assert "Ask again after the budget session." in page, url


def test_an_authoriser_already_asked_is_not_offered_again(world: SimpleNamespace) -> None:
    from peerlearn.peers.services import authorisation_request

    client = Client()
    client.force_login(world.member_alliance.user)
    url = reverse("peers:authorisation_new")
    before = client.get(url)
    assert world.authoriser_a in before.context["form"].fields["authoriser"].queryset
    authorisation_request(
        peer=world.member_alliance, authoriser=world.authoriser_a, scope="Join the alliance."
    )
    after = client.get(url)
    offered = after.context["form"].fields["authoriser"].queryset
    # Their organisation's only authoriser: the page says why nobody is offered.
    assert not offered.exists()
    html = after.content.decode()
    assert "You have asked every authoriser of your organisation" in html
    assert "Name the person who can authorise you" not in html


def test_an_organisation_added_below_answers_whatever_the_search_found(
    world: SimpleNamespace,
) -> None:
    """A newcomer searches for their organisation, finds nothing, and adds it below: the
    profile is saved with it, without asking again about the search. A search that found
    nothing fills the name to add, so that only its type and country remain."""
    from peerlearn.conftest import make_user

    user = make_user("wanjiru")
    post = _profile_post(new_organisation_name="", new_organisation_type="")
    post["new_organisation_country"] = ""
    response = signed_in(user).post(
        reverse("peers:profile_edit"), {**post, "organisation__q": "Zzyzx Revenue Bureau"}
    )
    assert response.context["form"].has_error("organisation", "no_match")
    assert 'value="Zzyzx Revenue Bureau"' in response.content.decode()
    assert response.context["org_form"]["new_organisation_name"].value() == "Zzyzx Revenue Bureau"
    assert not PeerProfile.objects.filter(user=user).exists()
    added = _profile_post(new_organisation_name="Zzyzx Revenue Bureau")
    response = signed_in(user).post(
        reverse("peers:profile_edit"), {**added, "organisation__q": "Zzyzx Revenue Bureau"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.organisation is not None
    assert user.organisation.name == "Zzyzx Revenue Bureau"
    assert PeerProfile.objects.filter(user=user).exists()
