"""A person's own data: the page, the ZIP download, and erasing the account — on pages and
in the API, for each role, and never for someone else."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from peerlearn.access.accounts import access_account_for_download, access_account_for_erasure
from peerlearn.access.base import NotFound
from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import ApiToken, User
from peerlearn.accounts.tests.factories import make_api_key
from peerlearn.audit.models import AuditAction, AuditEvent
from peerlearn.audit.services import audit_pseudonym, audit_record
from peerlearn.conftest import TEST_PASSWORD, make_user
from peerlearn.peers.models import Authorisation, Challenge
from peerlearn.privacy.labels import TABLE_LABELS
from peerlearn.privacy.selectors import account_data

pytestmark = pytest.mark.django_db

NAME = "Member Platform"  # world.member_platform's name


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


# --- the access rule -----------------------------------------------------------------------


def test_only_the_person_may_download_or_erase_their_account(world: Any) -> None:
    me, other = world.member_platform.user, world.member_alliance.user
    assert access_account_for_download(me, me.id) == me
    assert access_account_for_erasure(me, me.id) == me
    for rule in (access_account_for_download, access_account_for_erasure):
        with pytest.raises(NotFound):
            rule(me, other.id)
        with pytest.raises(NotFound):
            rule(world.admin, me.id)  # administrators too: it is the person's right


# --- the page and the download -------------------------------------------------------------


def test_my_data_is_linked_from_the_account_menu(client: Any, world: Any) -> None:
    client.force_login(world.member_platform.user)
    home = client.get(reverse("home")).content.decode()
    assert reverse("privacy:my_data") in home
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert reverse("privacy:download", args=[world.member_platform.user_id]) in page
    assert reverse("peers:profile_edit") in page
    assert reverse("privacy:erase", args=[world.member_platform.user_id]) in page


def test_my_data_names_each_table_in_words_beside_its_file(client: Any, world: Any) -> None:
    """A newcomer reads what each table holds, not only its file name (call_applications)."""
    user = world.member_platform.user
    client.force_login(user)
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert "Your applications to open calls" in page
    assert '<td data-label="File in the archive"><code>call_applications.csv</code>' in page
    # Every table of the archive has its words, so a new app's table cannot show a bare code.
    assert set(account_data(user=user)) <= set(TABLE_LABELS)


def test_the_erase_form_names_an_empty_password_itself(client: Any, world: Any) -> None:
    """The erase form leaves checking to the server, whose errors name the field in the
    page's language (the browser's own bubble would be in the browser's)."""
    user = world.member_platform.user
    client.force_login(user)
    page = client.get(reverse("privacy:erase", args=[user.id])).content.decode()
    assert "novalidate" in page
    response = client.post(reverse("privacy:erase", args=[user.id]), {"password": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["password"]
    assert User.objects.filter(id=user.id, is_active=True).exists()


def test_the_archive_holds_my_data_as_json_and_csv(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = world.member_platform.user
    key = make_api_key(user, label="reporting script")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("privacy:download", args=[user.id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    files = unzip(response.content)
    for name in (
        "README.txt",
        "data.json",
        "account.csv",
        "profile.csv",
        "languages.csv",
        "challenges.csv",
        "experiences.csv",
        "authorisations.csv",
        "memberships.csv",
        "proposals.csv",
        "api_tokens.csv",
        "audit_events.csv",
    ):
        assert name in files, name
    data = json.loads(files["data.json"])
    assert data["account"][0]["email"] == user.email
    assert {c["title"] for c in data["challenges"]} == set(
        Challenge.objects.filter(peer__user=user).values_list("title", flat=True)
    )
    assert data["memberships"][0]["alliance"] == world.inner.slug
    assert data["api_tokens"][0]["label"] == "reporting script"
    # Never the secret, nor its hash.
    token = ApiToken.objects.get(user=user)
    assert key not in files["api_tokens.csv"] + files["data.json"]
    assert token.key_hash not in files["data.json"]
    assert "sign_in" in files["audit_events.csv"]  # force_login above
    # Nobody else's statements.
    assert "Challenge" in files["challenges.csv"]
    others = Challenge.objects.exclude(peer__user=user).values_list("title", flat=True)
    assert not any(f",{t}," in files["challenges.csv"] for t in others)
    assert AuditEvent.objects.filter(action=AuditAction.DATA_DOWNLOAD, actor=user).exists()


def test_the_archive_explains_itself_in_the_readers_language(world: Any) -> None:
    """README.txt lists each file with what it holds, in the language of the page the
    person downloaded it from, with the "My data" page's labels."""
    from django.test import Client

    user = world.member_platform.user
    french = Client(HTTP_ACCEPT_LANGUAGE="fr")
    french.force_login(user)
    readme = unzip(french.get(reverse("privacy:download", args=[user.id])).content)["README.txt"]
    lines = readme.splitlines()
    assert lines[0].replace("\xa0", " ") == "peerlearn : tout ce que la plateforme détient sur vous"
    account = next(line for line in lines if line.startswith("account.csv "))
    assert account.split(maxsplit=1)[1] == "Votre compte"
    assert "Your account" not in readme and "Mes données" in readme


def test_nobody_downloads_or_erases_another_persons_data(client: Any, world: Any) -> None:
    victim = world.member_platform.user
    for user in (world.member_alliance.user, world.facilitator, world.admin):
        client.force_login(user)
        assert client.get(reverse("privacy:download", args=[victim.id])).status_code == 404
        assert client.get(reverse("privacy:erase", args=[victim.id])).status_code == 404
        response = client.post(
            reverse("privacy:erase", args=[victim.id]), {"password": TEST_PASSWORD}
        )
        assert response.status_code == 404
    client.logout()
    response = client.get(reverse("privacy:download", args=[victim.id]))
    assert response.status_code == 302
    assert User.objects.get(id=victim.id).erased_at is None


# --- erasure on pages ----------------------------------------------------------------------


def test_a_wrong_password_erases_nothing(client: Any, world: Any) -> None:
    user = world.member_platform.user
    client.force_login(user)
    before = Challenge.objects.filter(peer__user=user).count()
    response = client.post(reverse("privacy:erase", args=[user.id]), {"password": "nope"})
    assert response.status_code == 400
    assert "The password is wrong" in response.context["form"].errors["password"][0]
    user.refresh_from_db()
    assert user.erased_at is None
    assert user.name == NAME
    assert Challenge.objects.filter(peer__user=user).count() == before


def test_erasure_keeps_what_was_shared_in_alliances_by_a_former_member(
    client: Any, world: Any
) -> None:
    peer = world.member_platform
    user = peer.user
    kept = {world.challenges[Visibility.ALLIANCE].id, world.challenge_in_alliance.id}
    audit_record(action=AuditAction.EXPORT, actor=user, object_type="before-erasure")
    client.force_login(user)
    response = client.post(reverse("privacy:erase", args=[user.id]), {"password": TEST_PASSWORD})
    assert response.status_code == 302
    assert SESSION_KEY not in client.session  # signed out

    user.refresh_from_db()
    assert user.erased_at is not None
    assert not user.is_active
    assert NAME not in (user.name, user.username, user.email)
    assert not user.has_usable_password()
    assert set(Challenge.objects.filter(peer=peer).values_list("id", flat=True)) == kept
    assert not Authorisation.objects.filter(peer=peer).exists()
    signin = client.post(
        reverse("login"), {"username": "member_platform", "password": TEST_PASSWORD}
    )
    assert signin.status_code == 200  # the form again, with an error
    assert SESSION_KEY not in client.session

    # Another member still reads the kept statements, by "a former member".
    client.force_login(world.member_alliance.user)
    page = client.get(reverse("alliances:detail", args=[world.inner.slug])).content.decode()
    assert world.challenge_in_alliance.title in page
    assert "a former member" in page
    assert NAME not in page
    assert client.get(reverse("peers:profile", args=[peer.id])).status_code == 404
    listed = client.get("/api/v1/challenges?limit=300").json()["items"]
    authors = {c["title"]: c["peer"]["name"] for c in listed}
    assert authors[world.challenge_in_alliance.title] == "a former member"
    assert NAME not in json.dumps(listed)

    # The trail keeps the key, shows no name, and records the erasure.
    erased = AuditEvent.objects.get(action=AuditAction.ACCOUNT_ERASED)
    assert erased.actor_key == audit_pseudonym(user.id)
    assert NAME not in json.dumps(erased.detail)
    client.force_login(world.admin)
    trail = client.get(reverse("audit:trail"), {"actor": audit_pseudonym(user.id)})
    html = trail.content.decode().split('id="results"')[1]
    assert "before-erasure" in html
    assert "a former member" in html
    assert NAME not in html


def test_erasure_can_take_the_shared_content_too(client: Any, world: Any) -> None:
    user = world.member_platform.user
    client.force_login(user)
    client.post(
        reverse("privacy:erase", args=[user.id]),
        {"password": TEST_PASSWORD, "delete_shared": "on"},
    )
    assert not Challenge.objects.filter(peer__user=user).exists()


# --- in the API, for each role -------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.PEER, Role.FACILITATOR, Role.AUTHORISER, Role.FUNDER, Role.ADMIN]
)
def test_each_role_downloads_and_erases_its_own_account_in_the_api(
    client: Any, world: Any, role: Role
) -> None:
    user = make_user(f"someone_{role}", role=role)
    key = make_api_key(user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    me = client.get("/api/v1/accounts/me", **auth).json()
    assert me["id"] == user.id

    response = client.get(f"/api/v1/accounts/{user.id}/data", **auth)
    assert response.status_code == 200
    assert json.loads(unzip(response.content)["data.json"])["account"][0]["id"] == user.id
    other = world.member_platform.user
    assert client.get(f"/api/v1/accounts/{other.id}/data", **auth).status_code == 404
    assert (
        client.post(
            f"/api/v1/accounts/{other.id}/erase",
            {"password": TEST_PASSWORD},
            content_type="application/json",
            **auth,
        ).status_code
        == 404
    )

    wrong = client.post(
        f"/api/v1/accounts/{user.id}/erase",
        {"password": "wrong"},
        content_type="application/json",
        **auth,
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["body", "password"]

    done = client.post(
        f"/api/v1/accounts/{user.id}/erase",
        {"password": TEST_PASSWORD},
        content_type="application/json",
        **auth,
    )
    assert done.status_code == 200, done.content
    assert User.objects.get(id=user.id).erased_at is not None
    assert User.objects.get(id=other.id).erased_at is None
    # The key died with the account.
    assert client.get("/api/v1/accounts/me", **auth).status_code == 401


def test_the_api_refuses_anonymous_callers(client: Any, world: Any) -> None:
    user = world.member_platform.user
    assert client.get(f"/api/v1/accounts/{user.id}/data").status_code == 401
    assert (
        client.post(
            f"/api/v1/accounts/{user.id}/erase",
            {"password": TEST_PASSWORD},
            content_type="application/json",
        ).status_code
        == 401
    )


@pytest.mark.parametrize(
    "role", [Role.PEER, Role.FACILITATOR, Role.AUTHORISER, Role.FUNDER, Role.ADMIN]
)
def test_each_role_erases_its_own_account_on_the_page(client: Any, world: Any, role: Role) -> None:
    user = make_user(f"someone_{role}", role=role)
    client.force_login(user)
    assert client.get(reverse("privacy:my_data")).status_code == 200
    assert client.get(reverse("privacy:erase", args=[user.id])).status_code == 200
    response = client.post(reverse("privacy:erase", args=[user.id]), {"password": TEST_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.erased_at is not None
    assert not user.is_superuser
    assert not user.is_staff
    assert client.get(reverse("privacy:my_data")).status_code == 302  # signed out


def test_erasure_is_all_or_nothing(world: Any, monkeypatch: Any) -> None:
    from peerlearn.privacy import services

    user = world.member_platform.user
    before = Challenge.objects.filter(peer__user=user).count()

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "audit_person_forget", fail)
    with pytest.raises(RuntimeError):
        services.account_erase(user=user, password=TEST_PASSWORD)
    fresh = User.objects.get(id=user.id)
    assert fresh.erased_at is None
    assert fresh.name == NAME
    assert fresh.is_active
    assert Challenge.objects.filter(peer__user=user).count() == before
    assert (
        Authorisation.objects.filter(peer__user=user).count()
        == Authorisation.objects.filter(peer=world.member_platform).count()
    )
    assert world.member_platform.__class__.objects.get(id=world.member_platform.id).position
