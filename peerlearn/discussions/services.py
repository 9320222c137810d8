"""Writing discussions: threads and topics, posts (with their mentions and the notices
they leave), following, and moderation — each moderation step recorded in the audit trail
(ids and codes only, never the text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditlog.context import auditlog_disabled
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.base import is_signed_in
from peerlearn.access.discussions import (
    can_moderate_thread,
    can_post_in,
    can_report_post,
    may_moderate_topics,
    may_read_thread,
    thread_moderators_to_tell,
)
from peerlearn.access.peers import peers_visible_to
from peerlearn.access.visibility import Visibility, narrower
from peerlearn.accounts.models import User
from peerlearn.audit.models import AuditAction
from peerlearn.audit.services import audit_record
from peerlearn.core.mail import notify as mail_to
from peerlearn.discussions import text
from peerlearn.discussions.models import (
    BODY_MAX,
    REASON_MAX,
    TITLE_MAX,
    Notice,
    NoticeKind,
    Post,
    PostReport,
    Thread,
    ThreadFollow,
)
from peerlearn.discussions.selectors import post_report_of

if TYPE_CHECKING:
    from peerlearn.alliances.models import LearningAlliance
    from peerlearn.evidence.models import Insight

#: At most this many people are notified from one post.
MAX_MENTIONS = 20

#: The levels a topic may take: it has no alliance, so only the platform or anyone.
TOPIC_LEVELS = (Visibility.PLATFORM, Visibility.PUBLIC)


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _record(actor: User, event: str, *, thread: Thread, post: Post | None = None) -> None:
    """One audit event per moderation step. Seeding the demo is nobody's action."""
    if auditlog_disabled.get():
        return
    detail: dict[str, object] = {"event": event, "thread": thread.id}
    if thread.alliance_id is not None:
        detail["alliance"] = thread.alliance_id
    if post is not None:
        detail["post"] = post.id
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="discussions.post" if post is not None else "discussions.thread",
        object_id=post.id if post is not None else thread.id,
        detail=detail,
    )


def _clean_body(body: str, field: str = "body") -> str:
    body = (body or "").strip()
    if not body:
        raise _refuse(field, _("Write something before posting."))
    if len(body) > BODY_MAX:
        raise _refuse(
            field, _("Keep a post under %(n)s characters; split it in two.") % {"n": BODY_MAX}
        )
    return body


def _mentioned(thread: Thread, body: str) -> list[User]:
    """The people a text mentions who may read the thread (the access layer decides)."""
    handles = text.lowered(text.mentioned_usernames(body))
    if not handles:
        return []
    q = Q()
    for handle in sorted(handles)[:MAX_MENTIONS]:
        q |= Q(username__iexact=handle)
    candidates = User.objects.filter(q, is_active=True)
    return [u for u in candidates if may_read_thread(u, thread)]


def mentions_unknown(*, thread: Thread, body: str) -> list[str]:
    """The handles a text mentions that name nobody who may read the thread, as typed: the
    author is told, since nobody hears of them."""
    known = {u.username.lower() for u in _mentioned(thread, body)}
    return [h for h in text.mentioned_usernames(body)[:MAX_MENTIONS] if h.lower() not in known]


def _render(body: str, *, thread: Thread, author: User) -> tuple[str, list[User]]:
    """The post's HTML, and whom it mentions: a mention of someone who may read the thread
    links to their profile where its author may see it; any other stays plain text."""
    readers = _mentioned(thread, body)
    by_handle = {u.username.lower(): u for u in readers}
    profiles = dict(peers_visible_to(author).filter(user__in=readers).values_list("user_id", "id"))

    def url(handle: str) -> str | None:
        person = by_handle.get(handle.lower())
        if person is None or person.id not in profiles:
            return None
        return reverse("peers:profile", args=[profiles[person.id]])

    return text.render(body, mention_url=url), readers


def _follow(thread: Thread, user: User) -> None:
    ThreadFollow.objects.get_or_create(thread=thread, user=user)


def _leave_notices(post: Post, mentioned: list[User], *, followers: bool = True) -> int:
    """Notices for the people mentioned and (``followers``) the thread's followers, never
    the author, and only those who may read the thread; the worker e-mails them. Someone
    already told of this post is not told again."""
    thread = post.thread
    wanted: dict[int, str] = {}
    for person in mentioned:
        if person.id != post.author_id:
            wanted[person.id] = NoticeKind.MENTION
    following = User.objects.filter(followed_threads__thread=thread, is_active=True)
    for person in following if followers else ():
        if person.id == post.author_id or person.id in wanted:
            continue
        if may_read_thread(person, thread):
            wanted[person.id] = NoticeKind.REPLY
    Notice.objects.bulk_create(
        [Notice(recipient_id=uid, post=post, kind=kind) for uid, kind in wanted.items()],
        ignore_conflicts=True,
    )
    if wanted:
        from peerlearn.discussions.tasks import send_notices

        # The task row is written in this transaction: a worker sees it once it commits.
        send_notices.enqueue()
    return len(wanted)


# --- threads and topics ------------------------------------------------------------------


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise _refuse("title", _("Give the discussion a title."))
    return title


@transaction.atomic
def thread_start(
    *,
    alliance: LearningAlliance,
    created_by: User,
    title: str,
    body: str,
    notify: bool = True,
) -> Thread:
    """A thread inside an alliance's safe space (the caller has checked, through the access
    layer, that ``created_by`` is inside it), with its first post."""
    thread = Thread(
        alliance=alliance,
        title=_clean_title(title),
        visibility=Visibility.ALLIANCE,
        created_by=created_by,
    )
    body = _clean_body(body)
    thread.full_clean()
    thread.save()
    _follow(thread, created_by)
    post_create(thread=thread, author=created_by, body=body, notify=notify)
    return thread


@transaction.atomic
def topic_open(
    *,
    created_by: User,
    title: str,
    body: str,
    visibility: str,
    notify: bool = True,
) -> Thread:
    """A platform-wide topic, opened by a facilitator or administrator."""
    if not may_moderate_topics(created_by):
        raise _refuse("title", _("Only facilitators and administrators open topics."))
    if visibility not in TOPIC_LEVELS:
        raise _refuse(
            "visibility",
            _("A topic is for the platform or for anyone: choose platform or public."),
        )
    thread = Thread(
        alliance=None, title=_clean_title(title), visibility=visibility, created_by=created_by
    )
    body = _clean_body(body)
    thread.full_clean()
    thread.save()
    _follow(thread, created_by)
    post_create(thread=thread, author=created_by, body=body, notify=notify)
    return thread


def thread_follow_set(*, thread: Thread, user: User, follow: bool) -> None:
    if follow:
        _follow(thread, user)
    else:
        ThreadFollow.objects.filter(thread=thread, user=user).delete()


def notices_mark_seen(*, thread: Thread, user: User) -> int:
    """The reader opened the thread: its notices leave "What needs you"."""
    if not is_signed_in(user):
        return 0
    return Notice.objects.filter(recipient=user, post__thread=thread, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )


# --- posts -------------------------------------------------------------------------------


@transaction.atomic
def post_create(
    *,
    thread: Thread,
    author: User,
    body: str,
    reply_to: Post | None = None,
    notify: bool = True,
) -> Post:
    """A post (a reply if ``reply_to``); a locked thread takes none. Those it mentions and
    the thread's followers get a notice (``notify=False``: none, as when seeding the demo)."""
    if thread.locked:
        raise _refuse("body", _("This discussion is locked: it takes no new posts."))
    if not can_post_in(author, thread):
        raise _refuse("body", _("Only the alliance's members take part in its discussions."))
    body = _clean_body(body)
    if reply_to is not None and reply_to.thread_id != thread.id:
        raise _refuse("reply_to", _("Reply to a post of this discussion."))
    html, mentioned = _render(body, thread=thread, author=author)
    now = timezone.now()
    post = Post(
        thread=thread,
        alliance_id=thread.alliance_id,
        author=author,
        reply_to=reply_to,
        body=body,
        body_html=html,
        created_at=now,
    )
    post.full_clean()
    post.save()
    Thread.objects.filter(id=thread.id).update(last_post_at=now)
    _follow(thread, author)
    if notify:
        _leave_notices(post, mentioned)
    return post


@transaction.atomic
def post_edit(*, post: Post, body: str) -> Post:
    """The author's new text (marked as edited). People it newly mentions get a notice, as
    for a new post; those mentioned before are not told again, and those it no longer
    mentions lose the notice they have not seen."""
    if post.thread.locked:
        raise _refuse("body", _("This discussion is locked: its posts can no longer change."))
    body = _clean_body(body)
    assert post.author is not None
    before = {person.id for person in _mentioned(post.thread, post.body)}
    post.body_html, mentioned_now = _render(body, thread=post.thread, author=post.author)
    post.body = body
    post.edited_at = timezone.now()
    post.full_clean()
    post.save(update_fields=["body", "body_html", "edited_at"])
    _leave_notices(post, [p for p in mentioned_now if p.id not in before], followers=False)
    # Someone no longer mentioned has nothing left to read there: an unseen mention of
    # them leaves "What needs you" (and is not e-mailed, if it was not yet).
    post.notices.filter(kind=NoticeKind.MENTION, seen_at__isnull=True).exclude(
        recipient_id__in=[p.id for p in mentioned_now]
    ).delete()
    return post


@transaction.atomic
def post_delete(*, post: Post) -> Post:
    """The author takes a post back: its text is erased; replies keep their place."""
    post.body = ""
    post.body_html = ""
    post.deleted_at = timezone.now()
    post.save(update_fields=["body", "body_html", "deleted_at"])
    post.notices.all().delete()
    return post


@transaction.atomic
def mentions_forget(*, username: str) -> int:
    """The account ``username`` is being erased: each mention of it (as the mention parser
    reads them: ``@ann`` never touches ``@anna``) becomes ``@former-member`` in posts,
    whoever wrote them, and in threads' titles and summaries and the insights published
    from those summaries. A post's HTML is rendered again as its author's (it is not marked
    as edited); no notice is left. Returns how many posts and threads changed."""
    from peerlearn.evidence.models import Insight

    needle = "@" + username
    changed = 0
    posts = Post.objects.filter(body__icontains=needle).select_related("thread", "author")
    for post in posts:
        body = text.mentions_replaced(post.body, username)
        if body == post.body:
            continue
        post.body = body
        if post.author is not None:
            post.body_html = _render(body, thread=post.thread, author=post.author)[0]
        else:
            post.body_html = text.render(body)
        post.save(update_fields=["body", "body_html"])
        changed += 1
    threads = Thread.objects.filter(Q(title__icontains=needle) | Q(summary__icontains=needle))
    for thread in threads:
        # The handle is longer than most user names: a title keeps to its length.
        title = text.mentions_replaced(thread.title, username)[:TITLE_MAX]
        summary = text.mentions_replaced(thread.summary, username)
        if (title, summary) == (thread.title, thread.summary):
            continue
        thread.title = title
        if summary != thread.summary:
            thread.summary = summary
            thread.summary_html = text.render(summary)
        thread.save(update_fields=["title", "summary", "summary_html"])
        changed += 1
    insights = Insight.objects.filter(
        id__in=Thread.objects.filter(insight__isnull=False).values("insight_id")
    ).filter(Q(title__icontains=needle) | Q(text__icontains=needle))
    for insight in insights:
        insight.title = text.mentions_replaced(insight.title, username)[:TITLE_MAX]
        insight.text = text.mentions_replaced(insight.text, username)
        insight.save(update_fields=["title", "text"])
    return changed


# --- moderation --------------------------------------------------------------------------


def _require_moderator(user: User, thread: Thread, field: str) -> None:
    if not can_moderate_thread(user, thread):
        raise _refuse(field, _("Only the discussion's moderators may do this."))


@transaction.atomic
def post_hide(*, post: Post, moderator: User, reason: str, site_url: str = "") -> Post:
    _require_moderator(moderator, post.thread, "reason")
    reason = (reason or "").strip()
    if not reason:
        raise _refuse("reason", _("Say why the post is hidden; its author reads the reason."))
    post.hidden_at = timezone.now()
    post.hidden_by = moderator
    post.hidden_reason = reason
    post.full_clean()
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    post.notices.filter(mailed_at__isnull=True).update(mailed_at=post.hidden_at)
    _reports_resolve(post, moderator)
    _record(moderator, "post_hidden", thread=post.thread, post=post)
    if post.author is not None and post.author_id != moderator.id:
        mail_to(
            [post.author],
            "discussions/email/hidden",
            {
                "thread": post.thread.title,
                "reason": reason,
                "url": site_url + post.thread.get_absolute_url() + f"#post-{post.id}",
            },
        )
    return post


def _reports_resolve(post: Post, moderator: User) -> int:
    return post.reports.filter(resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )


@transaction.atomic
def post_report(*, post: Post, reporter: User, reason: str, site_url: str = "") -> PostReport:
    """A reader reports someone else's post to the thread's moderators, who are e-mailed
    and find it under "What needs you" until one of them hides the post or keeps it."""
    reason = (reason or "").strip()
    moderator = can_moderate_thread(reporter, post.thread)
    if not can_report_post(reporter, post, moderator=moderator):
        raise _refuse("reason", _("Only another reader may report a post; moderators hide it."))
    if not reason:
        raise _refuse("reason", _("Say what is wrong with the post: the moderators read it."))
    if len(reason) > REASON_MAX:
        raise _refuse(
            "reason",
            _("Say it in %(max)s characters or fewer.") % {"max": REASON_MAX},
        )
    earlier = post_report_of(post=post, reporter=reporter)
    if earlier is not None and earlier.resolved_at is None:
        raise _refuse("reason", _("You reported this post already: the moderators have it."))
    if earlier is not None:
        raise _refuse(
            "reason",
            _("You reported this post already, and a moderator read it and kept the post shown."),
        )
    report = PostReport.objects.create(post=post, reporter=reporter, reason=reason)
    mail_to(
        thread_moderators_to_tell(post.thread).exclude(id=reporter.id),
        "discussions/email/reported",
        {
            "thread": post.thread.title,
            "reason": reason,
            "url": site_url + post.thread.get_absolute_url() + f"#post-{post.id}",
        },
    )
    return report


@transaction.atomic
def post_reports_dismiss(*, post: Post, moderator: User) -> int:
    """A moderator keeps a reported post shown: its open reports are handled."""
    _require_moderator(moderator, post.thread, "reason")
    handled = _reports_resolve(post, moderator)
    _record(moderator, "post_kept", thread=post.thread, post=post)
    return handled


@transaction.atomic
def post_unhide(*, post: Post, moderator: User) -> Post:
    _require_moderator(moderator, post.thread, "reason")
    post.hidden_at = None
    post.hidden_by = None
    post.hidden_reason = ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _record(moderator, "post_shown", thread=post.thread, post=post)
    return post


@transaction.atomic
def thread_lock_set(*, thread: Thread, moderator: User, locked: bool) -> Thread:
    _require_moderator(moderator, thread, "locked")
    thread.locked_at = timezone.now() if locked else None
    thread.locked_by = moderator if locked else None
    thread.save(update_fields=["locked_at", "locked_by"])
    _record(moderator, "thread_locked" if locked else "thread_unlocked", thread=thread)
    return thread


@transaction.atomic
def thread_pin_set(*, thread: Thread, moderator: User, pinned: bool) -> Thread:
    _require_moderator(moderator, thread, "pinned")
    thread.pinned = pinned
    thread.save(update_fields=["pinned"])
    _record(moderator, "thread_pinned" if pinned else "thread_unpinned", thread=thread)
    return thread


@transaction.atomic
def thread_summarise(*, thread: Thread, moderator: User, summary: str) -> Thread:
    """The moderator's summary of what the discussion concluded (Markdown)."""
    _require_moderator(moderator, thread, "summary")
    summary = (summary or "").strip()
    if not summary:
        raise _refuse("summary", _("Write the summary: what did the discussion conclude?"))
    thread.summary = summary
    thread.summary_html = text.render(summary)
    thread.summary_by = moderator
    thread.summary_at = timezone.now()
    thread.full_clean()
    thread.save(update_fields=["summary", "summary_html", "summary_by", "summary_at"])
    _record(moderator, "thread_summarised", thread=thread)
    return thread


@transaction.atomic
def thread_summary_publish(*, thread: Thread, moderator: User) -> Insight:
    """The summary becomes an insight of the evidence of results (the evidence app's own
    service writes it): in the alliance at alliance level, or for a topic at its level."""
    from peerlearn.evidence.services import insight_create

    _require_moderator(moderator, thread, "summary")
    if not thread.summary:
        raise _refuse("summary", _("Write the summary before publishing it as an insight."))
    if thread.insight_id is not None:
        raise _refuse("summary", _("This summary is already published as an insight."))
    if thread.alliance_id is None and thread.visibility not in TOPIC_LEVELS:
        raise _refuse("summary", _("Open the topic to the platform before publishing its summary."))
    try:
        insight = insight_create(
            created_by=moderator,
            title=thread.title,
            text=thread.summary,
            sources=[],
            # Never wider than the thread: an alliance's stays inside it.
            visibility=(
                narrower(thread.visibility, Visibility.ALLIANCE)
                if thread.alliance_id
                else thread.visibility
            ),
            alliance=thread.alliance,
            drawn_from_discussion=True,
        )
    except ValidationError as e:
        raise ValidationError({"summary": e.messages}) from e
    thread.insight = insight
    thread.save(update_fields=["insight"])
    _record(moderator, "summary_published", thread=thread)
    return insight
