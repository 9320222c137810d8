"""Discussions end to end: an alliance's thread stays in its safe space on pages, in the
API, in search and in notices; locked threads take no post; hidden posts keep their text
from members; a summary becomes an insight; mention e-mails go once, through the worker."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from peerlearn.access.visibility import Visibility
from peerlearn.audit.models import AuditEvent
from peerlearn.discussions import services
from peerlearn.discussions.models import Notice, NoticeKind, Post, Thread
from peerlearn.discussions.tasks import notices_send
from peerlearn.evidence.models import Insight
from peerlearn.notifications.needs import needs_for
from peerlearn.notifications.services import digest_preference_set
from peerlearn.search.selectors import search_words

pytestmark = pytest.mark.django_db

API = "/api/v1/discussions"
SECRET = "Quokkaplan for the bus park"


def client_as(w: SimpleNamespace, name: str) -> Client:
    client = Client()
    if name != "anonymous":
        client.force_login(getattr(w, name))
    return client


@pytest.fixture
def dw(aworld: SimpleNamespace) -> SimpleNamespace:
    w = aworld
    w.thread = services.thread_start(
        alliance=w.alliance, created_by=w.peer_a, title="Seasonal tickets", body=SECRET
    )
    w.topic = services.topic_open(
        created_by=w.facilitator,
        title="Fees for small traders",
        body="Share one practice.",
        visibility=Visibility.PUBLIC,
    )
    return w


# --- the safe space ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["anonymous", "outsider", "other_facilitator"])
def test_an_alliance_thread_is_invisible_to_non_members_everywhere(
    dw: SimpleNamespace, name: str
) -> None:
    client = client_as(dw, name)
    page = client.get(f"/discussions/{dw.thread.id}/")
    assert page.status_code in (302, 404)
    assert SECRET not in page.content.decode()
    listing = client.get(f"/discussions/alliances/{dw.alliance.slug}/")
    assert listing.status_code in (302, 404)
    topics = client.get("/discussions/").content.decode()
    assert "Seasonal tickets" not in topics
    assert "Fees for small traders" in topics  # the public topic, for anyone
    if name != "anonymous":
        user = getattr(dw, name)
        assert client.get(f"{API}/threads/{dw.thread.id}").status_code == 404
        listed = client.get(f"{API}/threads").json()
        assert dw.thread.id not in [t["id"] for t in listed["items"]]
        reply = client.post(
            f"{API}/threads/{dw.thread.id}/posts", {"body": "hi"}, content_type="application/json"
        )
        assert reply.status_code == 404
        hits = search_words(user=user, query="Quokkaplan")
        assert not hits
        assert client.get("/search/", {"q": "Quokkaplan"}).content.decode().count(SECRET) == 0


def test_members_list_the_thread_in_the_api(dw: SimpleNamespace) -> None:
    listed = client_as(dw, "peer_b").get(f"{API}/threads", {"alliance": dw.alliance.slug})
    assert listed.status_code == 200
    assert [(t["id"], t["alliance"]) for t in listed.json()["items"]] == [
        (dw.thread.id, dw.alliance.slug)
    ]
    detail = client_as(dw, "peer_b").get(f"{API}/threads/{dw.thread.id}").json()
    assert detail["posts"][0]["body"] == SECRET and detail["can_post"]


def test_members_find_the_thread_in_search_and_on_the_alliance_page(dw: SimpleNamespace) -> None:
    hits = search_words(user=dw.peer_b, query="Quokkaplan")
    assert [h.url for h in hits["post"]] == [
        f"/discussions/{dw.thread.id}/#post-{dw.thread.posts.get().id}"
    ]
    page = client_as(dw, "peer_b").get(f"/alliances/{dw.alliance.slug}/").content.decode()
    assert "Seasonal tickets" in page


def test_whoever_posts_in_the_safe_space_sees_who_reads_it(dw: SimpleNamespace) -> None:
    """The funder's staff read an alliance's discussions by their organisation: people who
    post there are told, beside the members by role."""
    expected = (
        "Who reads them: Facilitator (1), Peer learner (3), "
        "Funder staff, by their organisation (1)."
    )
    for url in (f"/discussions/alliances/{dw.alliance.slug}/", f"/discussions/{dw.thread.id}/"):
        assert expected in client_as(dw, "peer_a").get(url).content.decode(), url
    assert (
        "Who reads them"
        not in client_as(dw, "peer_a").get(f"/discussions/{dw.topic.id}/").content.decode()
    )


def test_a_mention_of_a_non_member_neither_notifies_nor_links(dw: SimpleNamespace) -> None:
    post = services.post_create(
        thread=dw.thread, author=dw.peer_b, body="What do you think, @outsider and @peer_a2?"
    )
    assert not Notice.objects.filter(recipient=dw.outsider).exists()
    assert needs_for(dw.outsider) == []
    assert 'class="mention"' in post.body_html  # @peer_a2, a member, is a link
    assert post.body_html.count('class="mention"') == 1
    assert "@outsider" in post.body_html
    mentions = [n for n in needs_for(dw.peer_a2) if n.kind == "mention"]
    assert len(mentions) == 1 and "Seasonal tickets" in mentions[0].text


def test_each_post_shows_the_name_to_mention_and_an_unknown_one_is_named_back(
    dw: SimpleNamespace,
) -> None:
    """A post shows its author's handle; a post mentioning a name nobody in the discussion
    has is saved, and its author reads which names reached nobody, with and without htmx."""
    url = f"/discussions/{dw.thread.id}/"
    page = client_as(dw, "peer_b").get(url).content.decode()
    assert f'<span class="handle" title="Mention them with this name">@{dw.peer_a.username}' in page
    client = client_as(dw, "peer_b")
    sent = client.post(url, {"body": f"Thanks @Lilian and @{dw.peer_a2.username}!"}, follow=True)
    text = sent.content.decode()
    assert "Nobody who reads this discussion is called @Lilian, so nobody was told." in text
    assert f"@{dw.peer_a2.username}," not in text.split("Nobody who reads")[1][:80]
    fragment = client.post(url, {"body": "And @nobody.here too"}, HTTP_HX_REQUEST="true")
    assert "Nobody who reads this discussion is called @nobody.here" in fragment.content.decode()
    quiet = client.post(url, {"body": f"Only @{dw.peer_a2.username}"}, HTTP_HX_REQUEST="true")
    assert "Nobody who reads" not in quiet.content.decode()
    assert dw.thread.posts.count() == 4


def test_an_edit_that_drops_a_mention_takes_back_its_unseen_notice(dw: SimpleNamespace) -> None:
    post = services.post_create(
        thread=dw.thread, author=dw.peer_b, body=f"Ask @{dw.peer_a2.username} about it"
    )
    assert [n for n in needs_for(dw.peer_a2) if n.kind == "mention"]
    services.post_edit(post=post, body="Ask the treasury about it")
    assert [n for n in needs_for(dw.peer_a2) if n.kind == "mention"] == []
    services.post_edit(post=post, body=f"Ask @{dw.peer_a2.username} after all")
    assert len([n for n in needs_for(dw.peer_a2) if n.kind == "mention"]) == 1


def test_a_new_discussions_unknown_mention_is_named_back_too(dw: SimpleNamespace) -> None:
    url = f"/discussions/alliances/{dw.alliance.slug}/new/"
    sent = client_as(dw, "peer_b").post(
        url,
        {"title": "Fees", "body": f"@{dw.outsider.username}, @{dw.peer_a2.username}: ideas?"},
        follow=True,
    )
    assert sent.status_code == 200
    text = sent.content.decode()
    assert f"Nobody who reads this discussion is called @{dw.outsider.username}, so" in text
    assert Thread.objects.filter(title="Fees").exists()


def test_an_edits_unknown_mention_is_named_back_too(dw: SimpleNamespace) -> None:
    post = services.post_create(thread=dw.thread, author=dw.peer_b, body="Ask around")
    edited = client_as(dw, "peer_b").post(
        f"/discussions/posts/{post.id}/edit/",
        {"body": f"Ask @{dw.outsider.username} and @{dw.peer_a2.username}"},
        follow=True,
    )
    text = edited.content.decode()
    assert f"Nobody who reads this discussion is called @{dw.outsider.username}, so" in text
    assert f"called @{dw.peer_a2.username}" not in text
    post.refresh_from_db()
    assert post.body.startswith("Ask @")


def test_a_mention_added_by_editing_is_notified_once_and_earlier_ones_not_again(
    dw: SimpleNamespace,
) -> None:
    post = services.post_create(thread=dw.thread, author=dw.peer_b, body="A first thought.")
    assert not Notice.objects.filter(recipient=dw.peer_a2).exists()
    services.post_edit(post=post, body="A first thought, @peer_a2 and @outsider.")
    notice = Notice.objects.get(recipient=dw.peer_a2)
    assert notice.post == post and notice.kind == NoticeKind.MENTION
    assert not Notice.objects.filter(recipient=dw.outsider).exists()  # may not read it
    told = Notice.objects.count()
    services.post_edit(post=post, body="A better thought, @peer_a2.")
    assert Notice.objects.count() == told
    assert Notice.objects.filter(recipient=dw.peer_a2).count() == 1


def test_opening_the_thread_clears_the_mention_from_what_needs_you(dw: SimpleNamespace) -> None:
    services.post_create(thread=dw.thread, author=dw.peer_b, body="@peer_a2 look")
    client_as(dw, "peer_a2").get(f"/discussions/{dw.thread.id}/")
    assert [n for n in needs_for(dw.peer_a2) if n.kind == "mention"] == []


# --- e-mail through the worker -------------------------------------------------------------


def test_a_mention_is_e_mailed_once_by_the_worker(
    dw: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # Posting queues the worker's task (run here by the immediate backend in tests).
        services.post_create(thread=dw.thread, author=dw.peer_b, body="Over to you, @peer_a2.")
    with django_capture_on_commit_callbacks(execute=True):
        again = notices_send()  # a second sweep, as another worker would run it
    assert again == 0
    to_a2 = [m for m in mail.outbox if m.to == [dw.peer_a2.email]]
    assert len(to_a2) == 1
    assert "mentioned you" in to_a2[0].subject
    assert f"/discussions/{dw.thread.id}/#post-" in to_a2[0].body
    # The thread's starter follows it and hears of the reply; the author hears nothing.
    assert len([m for m in mail.outbox if m.to == [dw.peer_a.email]]) == 1
    assert not [m for m in mail.outbox if m.to == [dw.peer_b.email]]
    assert not Notice.objects.filter(mailed_at__isnull=True).exists()


def test_no_discussion_e_mail_to_someone_who_turned_them_off(
    dw: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    digest_preference_set(user=dw.peer_a2, enabled=True, discussion_emails=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(thread=dw.thread, author=dw.peer_b, body="@peer_a2, see this.")
    assert not [m for m in mail.outbox if m.to == [dw.peer_a2.email]]
    # Still on "What needs you": only the e-mail is off.
    assert [n for n in needs_for(dw.peer_a2) if n.kind == "mention"]


def test_the_preference_is_set_on_the_notifications_page(dw: SimpleNamespace) -> None:
    client = client_as(dw, "peer_a2")
    response = client.post("/notifications/", {"enabled": "on"})
    assert response.status_code == 302
    assert dw.peer_a2.digest_preference.discussion_emails is False


# --- posting, editing, deleting ------------------------------------------------------------


def test_the_reply_link_fills_the_forms_one_reply_field(dw: SimpleNamespace) -> None:
    """The "Reply" link opens the form with the post it answers in its single hidden
    field: a second, empty ``reply_to`` (the form's own) would be sent last and lose it."""
    client = client_as(dw, "peer_b")
    first = dw.thread.posts.get()
    page = client.get(f"/discussions/{dw.thread.id}/?reply_to={first.id}").content.decode()
    fields = re.findall(r'<input[^>]*name="reply_to"[^>]*>', page)
    assert len(fields) == 1 and f'value="{first.id}"' in fields[0]
    assert "In reply to" in page and f'href="#post-{first.id}"' in page
    # What a browser sends from that form is a reply.
    client.post(f"/discussions/{dw.thread.id}/", {"body": "Agreed", "reply_to": first.id})
    assert Post.objects.get(author=dw.peer_b).reply_to == first
    # The reply says whom it answers.
    page = client.get(f"/discussions/{dw.thread.id}/").content.decode()
    assert f'<a href="#post-{first.id}">in reply to {first.author.name}</a>' in page
    # Posted through htmx from ``?reply_to=``, the address drops it, so a reload opens a
    # new post; a refused reply keeps the address as it is.
    url = f"/discussions/{dw.thread.id}/"
    sent = client.post(url, {"body": "Yes", "reply_to": first.id}, HTTP_HX_REQUEST="true")
    assert sent["HX-Replace-Url"] == url
    refused = client.post(url, {"body": "", "reply_to": first.id}, HTTP_HX_REQUEST="true")
    assert "HX-Replace-Url" not in refused
    # A reply_to that is no post of the thread, or no number, leaves a plain form.
    for bad in ("abc", "999999"):
        page = client.get(f"/discussions/{dw.thread.id}/?reply_to={bad}").content.decode()
        assert "In reply to" not in page and page.count('name="reply_to"') == 1


def test_a_member_replies_on_the_page_and_edits_and_deletes_their_post(
    dw: SimpleNamespace,
) -> None:
    client = client_as(dw, "peer_b")
    first = dw.thread.posts.get()
    response = client.post(
        f"/discussions/{dw.thread.id}/", {"body": "My *reply*", "reply_to": first.id}
    )
    assert response.status_code == 302
    post = Post.objects.get(author=dw.peer_b)
    assert post.reply_to == first and "<em>reply</em>" in post.body_html
    client.post(f"/discussions/posts/{post.id}/edit/", {"body": "Changed"})
    page = client.get(f"/discussions/{dw.thread.id}/").content.decode()
    assert "Changed" in page and "edited" in page
    # Someone else may not change it.
    assert client_as(dw, "peer_a").get(f"/discussions/posts/{post.id}/edit/").status_code == 403
    client.post(f"/discussions/posts/{post.id}/delete/")
    post.refresh_from_db()
    assert post.deleted and post.body == ""
    assert "Deleted by its author." in client.get(f"/discussions/{dw.thread.id}/").content.decode()


def test_an_empty_post_is_refused_by_its_field(dw: SimpleNamespace) -> None:
    response = client_as(dw, "peer_b").post(f"/discussions/{dw.thread.id}/", {"body": "  "})
    assert response.status_code == 400
    assert 'id="id_body_error"' in response.content.decode()


def test_a_post_with_a_script_is_shown_sanitised(dw: SimpleNamespace) -> None:
    client = client_as(dw, "peer_b")
    client.post(
        f"/discussions/{dw.thread.id}/",
        {"body": "<script>alert('x')</script> <b onclick=\"x()\">hi</b>"},
    )
    page = client.get(f"/discussions/{dw.thread.id}/").content.decode()
    assert "<script>alert" not in page
    # Shown as text at most: no element carries an event handler.
    assert not re.search(r"<[a-z][^<>]*\son[a-z]+\s*=", page)


@override_settings(PEERLEARN_DISCUSSION_POST_RATE="2/min")
def test_posting_is_rate_limited_per_person(dw: SimpleNamespace, monkeypatch: Any) -> None:
    # One instant: the three posts fall in one window of the limit, whatever the clock.
    import peerlearn.accounts.ratelimit as ratelimit

    monkeypatch.setattr(ratelimit.time, "time", lambda: 1_800_000_030.0)
    client = client_as(dw, "peer_b")
    codes = [
        client.post(f"/discussions/{dw.thread.id}/", {"body": f"n{i}"}).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert dw.thread.posts.filter(author=dw.peer_b).count() == 2


# --- moderation ----------------------------------------------------------------------------


def test_a_locked_thread_refuses_posts_on_the_page_and_in_the_api(dw: SimpleNamespace) -> None:
    fac = client_as(dw, "facilitator")
    assert fac.post(f"/discussions/{dw.thread.id}/lock/", {"locked": "1"}).status_code == 302
    member = client_as(dw, "peer_b")
    page = member.post(f"/discussions/{dw.thread.id}/", {"body": "Late"})
    assert page.status_code == 400
    assert "locked" in page.content.decode()
    api = member.post(
        f"{API}/threads/{dw.thread.id}/posts", {"body": "Late"}, content_type="application/json"
    )
    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"][-1] == "body"
    assert dw.thread.posts.count() == 1
    assert AuditEvent.objects.filter(detail__event="thread_locked").count() == 1


def test_a_hidden_posts_text_reaches_moderators_only(dw: SimpleNamespace) -> None:
    post = services.post_create(thread=dw.thread, author=dw.peer_b, body="Zebracorn rumour")
    fac = client_as(dw, "facilitator")
    response = fac.post(f"/discussions/posts/{post.id}/hide/", {"reason": "Unverified"})
    assert response.status_code == 302
    member_page = client_as(dw, "peer_a").get(f"/discussions/{dw.thread.id}/").content.decode()
    assert "Zebracorn" not in member_page
    assert "Hidden by a moderator." in member_page
    member_api = client_as(dw, "peer_a").get(f"{API}/threads/{dw.thread.id}").json()
    hidden = next(p for p in member_api["posts"] if p["id"] == post.id)
    assert hidden["hidden"] and hidden["body"] is None and hidden["hidden_reason"] is None
    assert not search_words(user=dw.peer_a, query="Zebracorn")
    assert "Zebracorn" in fac.get(f"/discussions/{dw.thread.id}/").content.decode()
    assert AuditEvent.objects.filter(detail__event="post_hidden", detail__post=post.id).exists()


def test_a_reader_reports_a_post_and_a_moderator_hides_it(
    dw: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    """A member reports another's post; the alliance's facilitator is e-mailed, finds it
    under "What needs you" and on the thread with the reason, and hides it; its author reads
    their own text and the reason, and is e-mailed; nobody learns who reported it."""
    post = services.post_create(thread=dw.thread, author=dw.peer_b, body="Zebracorn rumour")
    thread_url = f"/discussions/{dw.thread.id}/"
    report_url = f"/discussions/posts/{post.id}/report/"
    reader = client_as(dw, "peer_a")
    assert f'href="{report_url}"' in reader.get(thread_url).content.decode()
    # Not one's own post, not for moderators (they hide it), not for outsiders.
    assert client_as(dw, "peer_b").get(report_url).status_code == 403
    assert client_as(dw, "facilitator").get(report_url).status_code == 403
    assert client_as(dw, "outsider").get(report_url).status_code == 404
    refused = reader.post(report_url, {"reason": "  "})
    assert refused.status_code == 400 and 'id="id_reason_error"' in refused.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = reader.post(report_url, {"reason": "Names a colleague who is not here"})
    assert sent.status_code == 302
    assert [m.to for m in mail.outbox] == [[dw.facilitator.email]]
    assert "Names a colleague who is not here" in mail.outbox[0].body
    page = reader.get(thread_url).content.decode()
    assert "You reported it to the moderators." in page and f'href="{report_url}"' not in page
    # Opened again, the page says so instead of offering the form; sent again, nothing is.
    assert "the moderators have your report" in reader.get(report_url).content.decode()
    again = reader.post(report_url, {"reason": "Again"})
    assert "the moderators have your report" in again.content.decode()
    assert post.reports.count() == 1
    needs = [n for n in needs_for(dw.facilitator) if n.kind == "report"]
    assert len(needs) == 1 and "Seasonal tickets" in needs[0].text
    # Which post, told apart from others reported in the same thread.
    assert f"{dw.peer_b.name}’s post “Zebracorn rumour”" in needs[0].text
    fac = client_as(dw, "facilitator")
    page = fac.get(thread_url).content.decode()
    assert "Reported by 1 reader:" in page and "Names a colleague who is not here" in page
    for name in ("peer_a", "peer_b"):
        assert "Names a colleague" not in client_as(dw, name).get(thread_url).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        fac.post(f"/discussions/posts/{post.id}/hide/", {"reason": "Keep names out"})
    assert [n for n in needs_for(dw.facilitator) if n.kind == "report"] == []
    assert [m.to for m in mail.outbox] == [[dw.peer_b.email]]
    assert "Keep names out" in mail.outbox[0].body
    assert dw.peer_a.username not in mail.outbox[0].body
    author_page = client_as(dw, "peer_b").get(thread_url).content.decode()
    assert "Zebracorn rumour" in author_page and "Keep names out" in author_page
    assert "Zebracorn" not in reader.get(thread_url).content.decode()


def test_a_moderator_keeps_a_reported_post_shown(dw: SimpleNamespace) -> None:
    post = services.post_create(thread=dw.thread, author=dw.peer_b, body="Fair criticism")
    services.post_report(post=post, reporter=dw.peer_a, reason="Rude")
    fac = client_as(dw, "facilitator")
    assert client_as(dw, "peer_a").post(f"/discussions/posts/{post.id}/keep/").status_code == 403
    assert fac.post(f"/discussions/posts/{post.id}/keep/").status_code == 302
    assert [n for n in needs_for(dw.facilitator) if n.kind == "report"] == []
    assert "Reported by" not in fac.get(f"/discussions/{dw.thread.id}/").content.decode()
    post.refresh_from_db()
    assert post.hidden_at is None
    # The reporter reads what became of their report, and does not send it again.
    reporter = client_as(dw, "peer_a")
    page = reporter.get(f"/discussions/{dw.thread.id}/").content.decode()
    assert "a moderator read your report and kept it shown" in page
    assert f'href="/discussions/posts/{post.id}/report/"' not in page
    report_page = reporter.get(f"/discussions/posts/{post.id}/report/").content.decode()
    assert "kept the post shown" in report_page
    with pytest.raises(ValidationError, match="kept the post shown"):
        services.post_report(post=post, reporter=dw.peer_a, reason="Still rude")
    # Another reader may report it.
    services.post_report(post=post, reporter=dw.peer_a2, reason="Rude to me too")
    assert len([n for n in needs_for(dw.facilitator) if n.kind == "report"]) == 1


def test_hiding_needs_a_reason_shown_by_its_field(dw: SimpleNamespace) -> None:
    post = dw.thread.posts.get()
    response = client_as(dw, "facilitator").post(f"/discussions/posts/{post.id}/hide/", {})
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()


def test_members_may_not_moderate(dw: SimpleNamespace) -> None:
    post = dw.thread.posts.get()
    member = client_as(dw, "peer_b")
    assert member.post(f"/discussions/posts/{post.id}/hide/", {"reason": "x"}).status_code == 403
    assert member.post(f"/discussions/{dw.thread.id}/lock/", {"locked": "1"}).status_code == 403
    api = member.put(
        f"{API}/threads/{dw.thread.id}/pinned", {"value": True}, content_type="application/json"
    )
    assert api.status_code == 403


def test_a_summary_is_published_as_an_insight(dw: SimpleNamespace) -> None:
    fac = client_as(dw, "facilitator")
    fac.post(f"/discussions/{dw.thread.id}/summary/", {"summary": "Group the saccos first."})
    assert fac.post(f"/discussions/{dw.thread.id}/summary/publish/").status_code == 302
    dw.thread.refresh_from_db()
    insight = Insight.objects.get(id=dw.thread.insight_id)
    assert insight.text == "Group the saccos first."
    assert insight.alliance == dw.alliance
    assert insight.visibility == Visibility.ALLIANCE
    assert insight.created_by == dw.facilitator
    page = client_as(dw, "peer_a").get(f"/discussions/{dw.thread.id}/").content.decode()
    assert "Group the saccos first." in page
    events = set(
        AuditEvent.objects.filter(object_type="discussions.thread").values_list(
            "detail__event", flat=True
        )
    )
    assert {"thread_summarised", "summary_published"} <= events


def test_a_topic_summary_is_published_at_the_topics_level_through_the_api(
    dw: SimpleNamespace,
) -> None:
    fac = client_as(dw, "facilitator")
    put = fac.put(
        f"{API}/threads/{dw.topic.id}/summary",
        {"summary": "Mobile money, one number."},
        content_type="application/json",
    )
    assert put.status_code == 200
    published = fac.post(f"{API}/threads/{dw.topic.id}/summary/insight")
    assert published.status_code == 201
    insight = Insight.objects.get(id=published.json()["insight_id"])
    assert insight.alliance is None and insight.visibility == Visibility.PUBLIC
    assert fac.post(f"{API}/threads/{dw.topic.id}/summary/insight").status_code == 422


def test_only_facilitators_open_topics(dw: SimpleNamespace) -> None:
    peer = client_as(dw, "peer_a")
    assert peer.get("/discussions/topics/new/").status_code == 403
    api = peer.post(f"{API}/topics", {"title": "t", "body": "b"}, content_type="application/json")
    assert api.status_code == 422
    created = client_as(dw, "facilitator").post(
        f"{API}/topics",
        {"title": "Open data", "body": "Go", "visibility": "platform"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert Thread.objects.get(id=created.json()["id"]).visibility == Visibility.PLATFORM


def test_anonymous_visitors_read_a_public_topic_but_may_not_post(dw: SimpleNamespace) -> None:
    client = Client()
    page = client.get(f"/discussions/{dw.topic.id}/")
    assert page.status_code == 200
    assert "Share one practice." in page.content.decode()
    assert "Sign in to take part." in page.content.decode()
    assert client.post(f"/discussions/{dw.topic.id}/", {"body": "x"}).status_code == 403
    assert dw.topic.posts.count() == 1


# --- queries do not grow with the data -----------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_thread_page_and_the_topics_list_take_a_fixed_number_of_queries(
    dw: SimpleNamespace,
) -> None:
    client = client_as(dw, "peer_a")
    thread_url = f"/discussions/{dw.thread.id}/"
    for i in range(2):
        services.post_create(thread=dw.thread, author=dw.peer_b, body=f"small {i}")
        services.topic_open(
            created_by=dw.facilitator, title=f"T{i}", body="b", visibility=Visibility.PLATFORM
        )
    client.get(thread_url)  # the session's first read
    small = (_queries(client, thread_url), _queries(client, "/discussions/"))
    for i in range(10):
        services.post_create(thread=dw.thread, author=dw.peer_a2, body=f"large {i}")
        services.topic_open(
            created_by=dw.facilitator, title=f"U{i}", body="b", visibility=Visibility.PLATFORM
        )
    large = (_queries(client, thread_url), _queries(client, "/discussions/"))
    assert large == small


def test_reports_add_no_queries_as_they_grow(dw: SimpleNamespace) -> None:
    """The moderator reads every open report beside its post, the reporter their own."""
    moderator, reporter = client_as(dw, "facilitator"), client_as(dw, "peer_a")
    thread_url = f"/discussions/{dw.thread.id}/"

    def reported(count: int) -> None:
        for i in range(count):
            post = services.post_create(thread=dw.thread, author=dw.peer_b, body=f"Post {i}")
            services.post_report(post=post, reporter=dw.peer_a, reason=f"Rude {i}")
            services.post_report(post=post, reporter=dw.peer_a2, reason=f"Unkind {i}")

    reported(2)
    moderator.get(thread_url), reporter.get(thread_url)  # the sessions' first reads
    small = (_queries(moderator, thread_url), _queries(reporter, thread_url))
    assert "Unkind 1" in moderator.get(thread_url).content.decode()
    reported(10)
    large = (_queries(moderator, thread_url), _queries(reporter, thread_url))
    assert "Unkind 9" in moderator.get(thread_url).content.decode()
    assert large == small


def test_notice_kinds(dw: SimpleNamespace) -> None:
    services.post_create(thread=dw.thread, author=dw.peer_b, body="@peer_a2 and all")
    kinds = dict(Notice.objects.values_list("recipient__username", "kind"))
    assert kinds == {"peer_a2": NoticeKind.MENTION, "peer_a": NoticeKind.REPLY}


def test_an_htmx_post_answers_the_conversation_only(dw: SimpleNamespace) -> None:
    response = client_as(dw, "peer_b").post(
        f"/discussions/{dw.thread.id}/", {"body": "Through htmx"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="conversation">')
    assert "Through htmx" in html and "<html" not in html


def test_a_post_found_by_search_reads_without_its_markdown(dw: SimpleNamespace) -> None:
    services.post_create(
        thread=dw.thread, author=dw.peer_b, body="We agreed **two** zebrafare changes: `fees`."
    )
    hits = search_words(user=dw.peer_a, query="zebrafare")["post"]
    assert [h.snippet for h in hits] == ["Seasonal tickets. We agreed two zebrafare changes: fees."]
