"""Once an account is erased its user name is read nowhere: ``@mentions`` of it in other
people's posts, thread titles, summaries and the insights drawn from them become
``@former-member`` (which mentions nobody), the notices it left name "a former member", and
a library case it shared says it was shared by "a former member"."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.accounts.services import user_create
from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.services import alliance_member_add
from peerlearn.conftest import TEST_PASSWORD, in_time_zone_of, make_peer
from peerlearn.discussions import services as discussions
from peerlearn.discussions.models import Notice, Post, Thread
from peerlearn.discussions.tasks import notices_send
from peerlearn.discussions.text import mentioned_usernames
from peerlearn.evidence.models import Insight
from peerlearn.library.models import Case
from peerlearn.notifications.needs import needs_for
from peerlearn.privacy.services import account_erase

pytestmark = pytest.mark.django_db

B_NAME = "Beatrice Wanjiru"
BB_NAME = "Bernard Otieno"
MENTIONS = "Thanks @b and @bb! Ask @B. Or write to b@example.org."


@pytest.fixture
def mw(world: SimpleNamespace) -> SimpleNamespace:
    """In the inner alliance, "b" and "bb" (whose user name starts with b's) join
    member_alliance ("a"), who mentions both in a thread whose title and summary name b."""
    w = world
    w.a = w.member_alliance.user
    for handle, name in (("b", B_NAME), ("bb", BB_NAME)):
        peer = make_peer(handle, w.county_a, visibility=Visibility.PLATFORM)
        User.objects.filter(id=peer.user_id).update(name=name)
        peer.user.refresh_from_db()
        alliance_member_add(alliance=w.inner, user=peer.user, role=MemberRole.PEER)
        setattr(w, handle, peer.user)
        setattr(w, f"{handle}_profile", peer)
    w.thread = discussions.thread_start(
        alliance=w.inner, created_by=w.a, title="A question for @b", body="Who tried it?"
    )
    w.post = discussions.post_create(thread=w.thread, author=w.a, body=MENTIONS)
    discussions.thread_summarise(
        thread=w.thread, moderator=w.facilitator, summary="As @b said: ask @bb first."
    )
    w.insight = discussions.thread_summary_publish(thread=w.thread, moderator=w.facilitator)
    return w


def profile_url(profile: Any) -> str:
    return reverse("peers:profile", args=[profile.id])


def erase(how: str, user: User) -> None:
    """Erase ``user``'s account through the service, the page or the API."""
    if how == "service":
        account_erase(user=user, password=TEST_PASSWORD)
        return
    client = Client()
    client.force_login(user)
    if how == "page":
        response = client.post(
            reverse("privacy:erase", args=[user.id]), {"password": TEST_PASSWORD}
        )
        assert response.status_code == 302
    else:
        response = client.post(
            f"/api/v1/accounts/{user.id}/erase",
            {"password": TEST_PASSWORD},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.erased_at is not None


@pytest.mark.parametrize("how", ["service", "page", "api"])
def test_mentions_of_an_erased_account_become_a_former_member_and_others_stay(
    mw: SimpleNamespace, how: str
) -> None:
    w = mw
    assert profile_url(w.b_profile) in w.post.body_html  # a link to b before
    erase(how, w.b)

    post = Post.objects.get(id=w.post.id)
    assert post.body == (
        "Thanks @former-member and @bb! Ask @former-member. Or write to b@example.org."
    )
    assert mentioned_usernames(post.body) == ["bb"]
    assert post.edited_at is None  # nobody edited it
    assert profile_url(w.b_profile) not in post.body_html
    assert f'<a href="{profile_url(w.bb_profile)}" class="mention"' in post.body_html
    assert "@former-member" in post.body_html

    thread = Thread.objects.get(id=w.thread.id)
    assert thread.title == "A question for @former-member"
    assert thread.summary == "As @former-member said: ask @bb first."
    assert "@former-member" in thread.summary_html and "@b " not in thread.summary_html
    insight = Insight.objects.get(id=w.insight.id)
    assert (insight.title, insight.text) == (thread.title, thread.summary)

    # What another member reads, on the page and in the API.
    client = Client()
    client.force_login(w.member_platform.user)
    page = client.get(reverse("discussions:thread", args=[w.thread.id])).content.decode()
    api = client.get(f"/api/v1/discussions/threads/{w.thread.id}").json()
    for seen in (page, json.dumps(api)):
        assert "@former-member" in seen
        assert "@bb" in seen
        assert B_NAME not in seen
        assert "@b " not in seen and "@b." not in seen and "@B." not in seen
        assert ">@b<" not in seen


def test_the_former_member_handle_mentions_nobody_even_after_an_edit(
    mw: SimpleNamespace,
) -> None:
    w = mw
    erase("service", w.b)
    # Sign-up refuses the handle; an account holding it anyway (made by hand) is not reached.
    with pytest.raises(ValidationError) as refused:
        user_create(username="Former-Member", email="fm@example.org", name="F M", password=None)
    assert "username" in refused.value.message_dict
    holder = make_peer("holder", w.county_a, visibility=Visibility.PLATFORM)
    User.objects.filter(id=holder.user_id).update(username="former-member")
    alliance_member_add(alliance=w.inner, user=holder.user, role=MemberRole.PEER)
    told = Notice.objects.count()

    post = Post.objects.get(id=w.post.id)
    discussions.post_edit(post=post, body=post.body + " Also @former-member.")
    post.refresh_from_db()
    assert not Notice.objects.filter(recipient=holder.user).exists()
    assert Notice.objects.count() == told
    assert profile_url(holder) not in post.body_html
    assert "@former-member" in post.body_html


def test_erased_user_names_cannot_be_taken_at_sign_up(world: SimpleNamespace) -> None:
    """Erasure renames an account "erased-<id>": nobody may hold such a name first."""
    with pytest.raises(ValidationError) as refused:
        user_create(username="erased-999", email="e@example.org", name="E", password=None)
    assert "username" in refused.value.message_dict


def test_notices_left_by_an_erased_account_name_a_former_member(
    mw: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    w = mw
    # b mentions a; the notice is not e-mailed yet when b erases the account.
    post = discussions.post_create(
        thread=w.thread, author=w.b, body="Over to you, @member_alliance."
    )
    # The worker has not reached the notice yet (tests run it at once; its e-mail was
    # never sent, as its transaction's commit is not run here).
    assert Notice.objects.filter(recipient=w.a, post=post).update(mailed_at=None) == 1
    erase("service", w.b)

    waiting = [n for n in needs_for(w.a) if n.kind == "mention"]
    assert len(waiting) == 1
    assert waiting[0].text.startswith("a former member mentioned you")
    assert B_NAME not in waiting[0].text and "@b" not in waiting[0].text

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notices_send()
    to_a = [m for m in mail.outbox if m.to == [w.a.email]]
    assert len(to_a) == 1
    assert "a former member mentioned you" in to_a[0].subject
    assert "@former-member" in to_a[0].subject  # the thread's title, rewritten
    for text in (to_a[0].subject, to_a[0].body):
        assert B_NAME not in text
        assert "@b " not in text and "@b”" not in text


def test_a_case_page_says_who_shared_it_and_a_former_member_once_erased(
    mw: SimpleNamespace,
) -> None:
    w = mw
    case = Case.objects.create(
        title="Parking fees in Nakuru",
        summary="It worked.",
        visibility=Visibility.PLATFORM,
        author=w.b,
    )
    client = Client()
    client.force_login(w.outsider.user)
    url = reverse("library:case", args=[case.id])
    with in_time_zone_of(w.outsider.user):
        when = date_format(localtime(case.created_at))
    page = client.get(url).content.decode()
    assert f"Shared by {B_NAME} · {when}" in page

    erase("page", w.b)
    page = client.get(url).content.decode()
    assert f"Shared by a former member · {when}" in page
    assert B_NAME not in page

    french = Client(HTTP_ACCEPT_LANGUAGE="fr")
    french.force_login(w.outsider.user)
    assert "Partagé par un ancien membre" in french.get(url).content.decode()
