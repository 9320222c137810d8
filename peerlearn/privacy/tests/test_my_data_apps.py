"""What a person leaves beyond their profile — discussions, the library, messages, call
invitations, the diary, settings — goes into their archive, and erasing the account takes
the private part and leaves what others read by "a former member"."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from peerlearn.access.visibility import Visibility
from peerlearn.alliances.models import AllianceMembership
from peerlearn.conftest import TEST_PASSWORD
from peerlearn.core.models import Theme
from peerlearn.discussions.models import Notice, Post, Thread, ThreadFollow
from peerlearn.discussions.services import post_create, thread_start
from peerlearn.evidence.models import DiaryEntry
from peerlearn.library.models import Case, ItemStatus
from peerlearn.matchmaking.models import CallInvitation, OpenCall
from peerlearn.notifications.models import DigestPreference
from peerlearn.peers.models import ContactMessage

pytestmark = pytest.mark.django_db

NAME = "Member Platform"  # world.member_platform's name


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


@pytest.fixture
def left(world: Any) -> SimpleNamespace:
    """member_platform ("me") wrote in discussions and the library, messaged and was
    messaged, was invited to a call, keeps a diary and a digest preference."""
    w = world
    me, other = w.member_platform.user, w.member_alliance.user
    w.my_thread = thread_start(
        alliance=w.inner, created_by=me, title="Ring-fencing market fees", body="Who tried it?"
    )
    post_create(thread=w.my_thread, author=other, body="We did, in 2019.")  # notifies me
    w.their_thread = thread_start(
        alliance=w.inner, created_by=other, title="Their question", body="Any advice?"
    )
    w.my_reply = post_create(thread=w.their_thread, author=me, body="Mobile money helped.")
    w.lonely = thread_start(
        alliance=w.inner, created_by=me, title="Nobody answered", body="Anyone?"
    )
    w.published = Case.objects.create(
        title="Parking fees in Nakuru", summary="It worked.", author=me
    )
    w.proposed = Case.objects.create(
        title="My draft case", summary="Not yet.", author=me, status=ItemStatus.PROPOSED
    )
    w.private_case = Case.objects.create(
        title="My notes", summary="Mine.", author=me, visibility=Visibility.PRIVATE
    )
    w.sent = ContactMessage.objects.create(
        sender=me, recipient=w.outsider, subject="Hello", body="Could we talk?"
    )
    w.received = ContactMessage.objects.create(
        sender=w.outsider.user, recipient=w.member_platform, subject="Re", body="Yes."
    )
    call = OpenCall.objects.create(
        title="Revenue call",
        theme=Theme.objects.get(slug="revenue-pfm"),
        description="Apply.",
        created_by=w.facilitator,
        visibility=Visibility.PLATFORM,
    )
    w.invitation = CallInvitation.objects.create(
        call=call, peer=w.member_platform, invited_by=w.facilitator
    )
    today = datetime.date.today()
    w.private_entry = DiaryEntry.objects.create(
        author=me, alliance=w.inner, title="Private thought", text="…", written_on=today
    )
    w.shared_entry = DiaryEntry.objects.create(
        author=me,
        alliance=w.inner,
        title="Shared thought",
        text="…",
        written_on=today,
        visibility=Visibility.ALLIANCE,
    )
    DigestPreference.objects.create(user=me, enabled=False)
    return w


def test_the_archive_holds_what_i_left_in_the_other_apps(client: Any, left: Any) -> None:
    w = left
    me = w.member_platform.user
    client.force_login(me)
    files = unzip(client.get(reverse("privacy:download", args=[me.id])).content)
    data = json.loads(files["data.json"])
    assert {t["title"] for t in data["threads_started"]} == {
        "Ring-fencing market fees",
        "Nobody answered",
    }
    assert {p["body"] for p in data["posts"]} == {
        "Who tried it?",
        "Mobile money helped.",
        "Anyone?",
    }
    assert "We did, in 2019." not in files["data.json"]  # someone else's post
    assert {p["thread"] for p in data["posts"]} >= {"Their question"}
    assert {f["thread"] for f in data["thread_follows"]} == {
        "Ring-fencing market fees",
        "Their question",
        "Nobody answered",
    }
    assert [n["thread"] for n in data["discussion_notices"]] == ["Ring-fencing market fees"]
    assert {c["title"] for c in data["library_cases"]} == {
        "Parking fees in Nakuru",
        "My draft case",
        "My notes",
    }
    assert {(m["as"], m["subject"]) for m in data["contact_messages"]} == {
        ("sender", "Hello"),
        ("recipient", "Re"),
    }
    assert data["call_invitations"] == [
        {"call": "Revenue call", "created_at": data["call_invitations"][0]["created_at"]}
    ]
    assert {e["title"] for e in data["diary_entries"]} == {"Private thought", "Shared thought"}
    assert {"setting": "digest_enabled", "value": False} in data["settings"]
    for name in ("posts.csv", "threads_started.csv", "library_cases.csv", "settings.csv"):
        assert name in files and name in files["README.txt"]
    assert "Mobile money helped." in files["posts.csv"]


def test_a_table_without_rows_is_a_csv_file_of_its_column_names(client: Any, left: Any) -> None:
    """A reader's spreadsheet or script finds the same columns in a file with no rows: an
    empty table was an empty file."""
    w = left

    def csv_files(user: Any) -> dict[str, str]:
        client.force_login(user)
        files = unzip(client.get(reverse("privacy:download", args=[user.id])).content)
        return {name: text for name, text in files.items() if name.endswith(".csv")}

    mine = csv_files(w.member_platform.user)
    theirs = csv_files(w.outsider.user)  # a peer who wrote nothing in the other apps
    assert set(theirs) == set(mine)
    for name, text in theirs.items():
        header = text.splitlines()[0] if text else ""
        assert header == mine[name].splitlines()[0], name
    for name in ("posts.csv", "threads_started.csv", "library_cases.csv", "diary_entries.csv"):
        assert mine[name].count("\n") > 1
        assert theirs[name].count("\n") == 1, name  # the header, nothing else
    assert theirs["posts.csv"].startswith("id,thread,body,created_at,")
    # Someone without a peer profile has no challenge, invitation or ask: still the columns.
    funder = csv_files(w.funder)
    assert funder["call_invitations.csv"] == "call,created_at\n"
    assert funder["authoriser_asks.csv"] == "name,email,asked_at,answered_at\n"
    assert all(text.strip() for text in funder.values())


def test_a_thread_i_can_no_longer_see_is_named_by_number(client: Any, left: Any) -> None:
    w = left
    me = w.member_platform.user
    AllianceMembership.objects.filter(alliance=w.inner, user=me).delete()
    client.force_login(me)
    response = client.get(f"/api/v1/accounts/{me.id}/data")
    data = json.loads(unzip(response.content)["data.json"])
    threads = {p["body"]: p["thread"] for p in data["posts"]}
    assert threads["Mobile money helped."] == f"#{w.their_thread.id}"
    assert "Their question" not in json.dumps(data)
    # A thread I started is mine: its title stays, its alliance goes by number.
    assert threads["Who tried it?"] == "Ring-fencing market fees"
    assert data["threads_started"][0]["alliance"] == f"#{w.inner.id}"


def test_erasure_keeps_my_posts_by_a_former_member_and_takes_the_private_rest(
    client: Any, left: Any
) -> None:
    w = left
    me = w.member_platform.user
    client.force_login(me)
    response = client.post(reverse("privacy:erase", args=[me.id]), {"password": TEST_PASSWORD})
    assert response.status_code == 302

    # Kept, by "a former member": posts, threads, the published case, the shared entry.
    assert Post.objects.filter(author=me, deleted_at__isnull=True).count() == 3
    assert Thread.objects.filter(created_by=me).count() == 2
    assert set(Case.objects.filter(author=me)) == {w.published}
    assert set(DiaryEntry.objects.filter(author=me)) == {w.shared_entry}
    # Gone: the unpublished and private, follows, notices, settings, messages, invitations.
    assert not ThreadFollow.objects.filter(user=me).exists()
    assert not Notice.objects.filter(recipient=me).exists()
    assert not DigestPreference.objects.filter(user=me).exists()
    assert not ContactMessage.objects.filter(id__in=[w.sent.id, w.received.id]).exists()
    assert not CallInvitation.objects.filter(id=w.invitation.id).exists()

    client.force_login(w.member_alliance.user)
    page = client.get(reverse("discussions:thread", args=[w.their_thread.id])).content.decode()
    assert "Mobile money helped." in page
    assert "a former member" in page
    assert NAME not in page
    api = client.get(f"/api/v1/discussions/threads/{w.my_thread.id}").json()
    assert api["posts"][0]["author"] == "a former member"
    assert api["posts"][1]["author"] == "Member Alliance"
    assert NAME not in json.dumps(api)
    case_page = client.get(reverse("library:case", args=[w.published.id]))
    assert case_page.status_code == 200
    assert NAME not in case_page.content.decode()
    case_api = client.get(f"/api/v1/library/cases/{w.published.id}")
    assert case_api.status_code == 200
    assert NAME not in case_api.content.decode()


def test_erasure_in_the_api_can_take_my_shared_posts_and_cases_too(client: Any, left: Any) -> None:
    w = left
    me = w.member_platform.user
    client.force_login(me)
    done = client.post(
        f"/api/v1/accounts/{me.id}/erase",
        {"password": TEST_PASSWORD, "delete_shared": True},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["kept_records"] == 1  # the thread others wrote in
    assert done.json()["deleted_records"] > 0
    assert not Case.objects.filter(author=me).exists()
    assert not DiaryEntry.objects.filter(author=me).exists()
    # Posts keep their place (replies stay in order); their text is gone.
    assert not Post.objects.filter(author=me).exclude(body="").exists()
    assert not Post.objects.filter(author=me, deleted_at__isnull=True).exists()
    # The thread nobody else wrote in goes; the one others answered stays, with their post.
    assert not Thread.objects.filter(id=w.lonely.id).exists()
    assert Thread.objects.filter(id=w.my_thread.id).exists()
    assert Post.objects.filter(thread=w.my_thread, body="We did, in 2019.").exists()

    client.force_login(w.member_alliance.user)
    page = client.get(reverse("discussions:thread", args=[w.their_thread.id])).content.decode()
    assert "Mobile money helped." not in page
    assert "Deleted by its author." in page
    assert NAME not in page
