"""Each role's home page shows what that person came to do."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def home(user: Any = None) -> Any:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(reverse("home"))


def test_public_home_for_anonymous_visitors(world: SimpleNamespace) -> None:
    response = home()
    assert response.status_code == 200
    assert response.templates[0].name == "dashboards/home_public.html"
    html = response.content.decode()
    assert "Open Alliance" in html
    assert "County Revenue Alliance" not in html and "Draft Alliance" not in html


def test_peer_home_lists_own_statements_and_alliances(world: SimpleNamespace) -> None:
    response = home(world.member_platform.user)
    assert response.templates[0].name == "dashboards/home_peer.html"
    html = response.content.decode()
    assert "Challenge private" in html  # their own
    assert "County Revenue Alliance" in html
    # A peer with experience in the theme of their challenges is suggested.
    assert "Mobile money for market fees" in html
    assert "not authorised your participation" in html
    # The unmet demand is a peer's page too: where their experience may be wanted.
    assert reverse("demand:page") in html


def test_getting_started_names_what_the_profile_lacks(world: SimpleNamespace) -> None:
    """ "80% complete" alone leaves a newcomer guessing which part is missing."""
    from peerlearn.core.models import Language, Theme

    peer = world.member_platform
    peer.bio = ""
    peer.position = "Revenue officer"
    peer.save(update_fields=["bio", "position"])
    peer.languages.set(Language.objects.filter(code="en"))
    peer.reform_areas.set(Theme.objects.filter(slug="revenue-pfm"))
    assert peer.user.organisation_id is not None
    html = home(peer.user).content.decode()
    edit = reverse("peers:profile_edit")
    assert f'Your profile is 80% complete: fill in <a href="{edit}#id_bio">About me</a>.' in html
    peer.bio = "I run county revenue."
    peer.save(update_fields=["bio"])
    html = home(peer.user).content.decode()
    assert "Your profile is 100% complete." in html and "fill in" not in html


def test_a_peer_without_a_profile_sees_the_whole_checklist_from_the_first_visit(
    world: SimpleNamespace,
) -> None:
    """A peer who just signed up has no profile yet: the home shows every step ahead, the
    first one a link to the profile form, the others waiting for it."""
    from peerlearn.conftest import make_user

    response = home(make_user("just_signed_up"))
    steps = [(s.label, s.done, s.url) for s in response.context["onboarding"]]
    assert steps == [
        (
            "Tell peers who you are: complete your profile (0% done)",
            False,
            reverse("peers:profile_edit"),
        ),
        ("Let facilitators find you: show your profile to signed-in users", False, ""),
        ("Say what you want to learn, or what you can share", False, ""),
        ("Ask your home organisation to authorise your participation", False, ""),
    ]
    html = response.content.decode()
    assert "Getting started" in html
    assert html.count("(once your profile is saved)") == 3
    # The home's other sections still render, empty.
    assert "No proposal waiting for your answer." in html


def test_each_missing_part_links_to_its_field_on_the_profile_form(
    world: SimpleNamespace,
) -> None:
    from peerlearn.dashboards.selectors import profile_missing

    peer = world.member_platform
    peer.bio = peer.position = ""
    peer.save(update_fields=["bio", "position"])
    peer.languages.clear()
    peer.reform_areas.clear()
    peer.user.organisation = None
    peer.user.save(update_fields=["organisation"])
    missing = profile_missing(peer)
    assert len(missing) == 5
    client = Client()
    client.force_login(peer.user)
    form = client.get(reverse("peers:profile_edit")).content.decode()
    for part in missing:
        assert f'id="{part.anchor}"' in form, part.label


def test_peer_without_profile_is_asked_to_complete_it(world: SimpleNamespace) -> None:
    from peerlearn.conftest import make_user

    html = home(make_user("newcomer")).content.decode()
    assert reverse("peers:profile_edit") in html


def test_facilitator_home_shows_alliances_and_supply_and_demand(world: SimpleNamespace) -> None:
    response = home(world.facilitator)
    assert response.templates[0].name == "dashboards/home_facilitator.html"
    facilitated = {a.name: a.n_members for a in response.context["facilitated"]}
    # The facilitator and the three peer learners.
    assert facilitated["County Revenue Alliance"] == 4
    assert set(facilitated) == {
        "County Revenue Alliance",
        "Open Alliance",
        "Platform Alliance",
        "Draft Alliance",
    }
    balance = {row["theme"].slug: row for row in response.context["balance"]}
    # Demand the facilitator may see in revenue: public, platform, alliance, in-alliance.
    assert balance["revenue-pfm"]["demand"] == 4
    assert balance["revenue-pfm"]["supply"] == 1
    # Starting an alliance is one click from home, before there is any.
    assert f'href="{reverse("alliances:create")}"' in response.content.decode()


def test_authoriser_home_lists_requests_and_colleagues(world: SimpleNamespace) -> None:
    from peerlearn.peers.services import authorisation_request

    authorisation_request(peer=world.member_alliance, authoriser=world.authoriser_a, scope="Join.")
    response = home(world.authoriser_a)
    assert response.templates[0].name == "dashboards/home_authoriser.html"
    assert [a.peer for a in response.context["pending"]] == [world.member_alliance]
    colleagues = {p.user.username for p in response.context["colleagues"]}
    assert colleagues == {"member_alliance", "outsider_alliance"}


def test_authoriser_home_shows_what_their_peers_bring_back(world: SimpleNamespace) -> None:
    """The diary entries the organisation's peers share with the authoriser (the digest's
    rule): a private one, or another organisation's, stays out."""
    import datetime as dt

    from django.utils import timezone

    from peerlearn.evidence.services import diary_entry_create

    today = timezone.localdate()
    for title, author, visibility in (
        ("Cashless fees back home", world.member_alliance.user, "platform"),
        ("My own notes", world.member_alliance.user, "private"),
        ("Elsewhere", world.member_platform.user, "platform"),
    ):
        diary_entry_create(
            author=author,
            title=title,
            text="What changed.",
            written_on=today - dt.timedelta(days=3),
            visibility=visibility,
        )
    response = home(world.authoriser_a)
    assert [e.title for e in response.context["brought_back"]] == ["Cashless fees back home"]
    assert "Cashless fees back home" in response.content.decode()
    from peerlearn.access.roles import Role
    from peerlearn.conftest import make_user

    other = make_user("authoriser_c", role=Role.AUTHORISER, organisation=world.ministry)
    empty = home(other).content.decode()
    assert "No diary entry shared with you in the last 90 days" in empty


def test_funder_home_shows_the_portfolio(world: SimpleNamespace) -> None:
    response = home(world.funder)
    assert response.templates[0].name == "dashboards/home_funder.html"
    assert [a.name for a in response.context["funded"]] == ["County Revenue Alliance"]


def test_admin_home_counts(world: SimpleNamespace) -> None:
    response = home(world.admin)
    assert response.templates[0].name == "dashboards/home_admin.html"
    assert response.context["counts"]["peers"] == 6
    assert response.context["counts"]["alliances"] == 4
    # Each count leads to what it counts.
    html = response.content.decode()
    assert f'<a href="{reverse("alliances:list")}">4</a>' in html
    assert f'<a href="{reverse("peers:directory")}">6</a>' in html
    waiting = reverse("admin:peers_authorisation_changelist") + "?status__exact=requested"
    assert f'href="{waiting}"' in html
    assert Client().get(waiting).status_code == 302  # the back office asks to sign in


def test_language_switch_to_french(world: SimpleNamespace) -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="fr">' in html


def test_authoriser_home_names_only_alliances_the_authoriser_may_see(
    world: SimpleNamespace,
) -> None:
    """A colleague's alliances are named only where the authoriser may see the alliance:
    the inner alliance (alliance-level, the authoriser outside it) stays unnamed."""
    from peerlearn.alliances.models import MemberRole
    from peerlearn.alliances.services import alliance_member_add

    alliance_member_add(
        alliance=world.public_alliance, user=world.member_alliance.user, role=MemberRole.PEER
    )
    html = home(world.authoriser_a).content.decode()
    assert "Member Alliance" in html  # the colleague is listed
    assert "Open Alliance" in html
    assert "County Revenue Alliance" not in html
    assert "Draft Alliance" not in html


def test_a_funder_without_an_organisation_is_told_why_nothing_is_listed(
    world: SimpleNamespace,
) -> None:
    client = Client()
    client.force_login(world.funder)
    assert "Your account names no organisation" not in client.get("/").content.decode()
    world.funder.organisation = None
    world.funder.save()
    assert "Your account names no organisation" in client.get("/").content.decode()


def test_peers_with_experience_in_my_themes_are_each_named_once(world: SimpleNamespace) -> None:
    from peerlearn.access.visibility import Visibility
    from peerlearn.peers.models import Challenge, Experience
    from peerlearn.peers.services import statement_create

    me = world.member_platform
    statement_create(
        model=Challenge,
        peer=me,
        theme="procurement",
        title="E-tendering",
        description="How to move tenders online?",
    )
    helper = world.outsider
    helper.visibility = Visibility.PLATFORM
    helper.save(update_fields=["visibility"])
    for title in ("Supplier registry", "Bid evaluation", "Framework contracts"):
        statement_create(
            model=Experience, peer=helper, theme="procurement", title=title, description=title
        )
    shown = home(me.user).context["helpful_experiences"]
    assert [e.peer_id for e in shown] == [helper.id]
    assert shown[0].title == "Framework contracts"  # their latest
