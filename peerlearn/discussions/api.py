"""Discussions in the JSON API: threads and topics, posts, and moderation, through the
same access layer and read model as the pages. Errors: 401 (not signed in), 403 (may read
but not do this), 404 (no such thread or post, or one you may not read), 422 (the field
and the fix — a locked thread's refusal is at ``body``)."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from peerlearn.access.base import Viewer
from peerlearn.access.discussions import (
    access_alliance_for_threads,
    access_post_for_edit,
    access_post_for_moderation,
    access_thread,
    access_thread_for_moderation,
    access_thread_for_posting,
    threads_visible_to,
)
from peerlearn.access.evidence import insights_visible_to
from peerlearn.core.api import Id, Page, signed_in_user
from peerlearn.core.schemas import ErrorOut, ValidationErrorOut
from peerlearn.discussions import services
from peerlearn.discussions.models import Post, Thread
from peerlearn.discussions.schemas import (
    AllianceThreadIn,
    FlagIn,
    HideIn,
    InsightRefOut,
    PostIn,
    PostOut,
    SummaryIn,
    ThreadDetailOut,
    ThreadFiltersIn,
    ThreadListOut,
    ThreadOut,
    TopicIn,
)
from peerlearn.discussions.selectors import ShownPost, thread_detail

router = Router(tags=["discussions"])

READ = {404: ErrorOut}
WRITE = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _thread_out(user: Viewer, t: Thread) -> dict[str, Any]:
    shown = t.insight_id is not None and insights_visible_to(user).filter(id=t.insight_id).exists()
    return {
        "id": t.id,
        "title": t.title,
        "alliance": t.alliance.slug if t.alliance_id and t.alliance else None,
        "visibility": t.visibility,
        "pinned": t.pinned,
        "locked": t.locked,
        "created_at": t.created_at,
        "last_post_at": t.last_post_at,
        "summary": t.summary,
        "summary_html": t.summary_html,
        "insight_id": t.insight_id if shown else None,
    }


def _post_out(item: ShownPost) -> dict[str, Any]:
    p = item.post
    return {
        "id": p.id,
        "thread_id": p.thread_id,
        "author": str(p.author) if p.author else None,
        "reply_to": p.reply_to_id,
        "created_at": p.created_at,
        "edited": p.edited_at is not None,
        "hidden": p.hidden,
        "deleted": p.deleted,
        "hidden_reason": p.hidden_reason if item.reason_shown else None,
        "body": p.body if item.show_text else None,
        "body_html": p.body_html if item.show_text else None,
    }


def _detail(user: Viewer, thread: Thread) -> dict[str, Any]:
    d = thread_detail(user=user, thread=thread)
    return {
        **_thread_out(user, thread),
        "posts": [_post_out(i) for i in d.posts],
        "can_post": d.can_post,
        "can_moderate": d.can_moderate,
    }


@router.get("/threads", response=list[ThreadListOut], summary="List discussions")
@paginate(Page)
def threads(request: HttpRequest, filters: Query[ThreadFiltersIn]) -> QuerySet[Thread]:
    """The topics and alliance threads you may read, pinned first, then the liveliest."""
    user = signed_in_user(request)
    qs = threads_visible_to(user).select_related("alliance")
    if filters.alliance:
        qs = qs.filter(alliance=access_alliance_for_threads(user, filters.alliance))
    return qs.order_by("-pinned", "-last_post_at", "-id")


@router.post("/threads", response={201: ThreadDetailOut, **WRITE}, summary="Start a thread")
def thread_create(request: HttpRequest, payload: AllianceThreadIn) -> Status[dict[str, Any]]:
    """In an alliance you are inside; only its members will read it."""
    user = signed_in_user(request)
    alliance = access_alliance_for_threads(user, payload.alliance)
    thread = services.thread_start(
        alliance=alliance, created_by=user, title=payload.title, body=payload.body
    )
    return Status(201, _detail(user, thread))


@router.post("/topics", response={201: ThreadDetailOut, **WRITE}, summary="Open a topic")
def topic_create(request: HttpRequest, payload: TopicIn) -> Status[dict[str, Any]]:
    """Facilitators and administrators; ``platform`` (signed-in users) or ``public``."""
    user = signed_in_user(request)
    thread = services.topic_open(
        created_by=user,
        title=payload.title,
        body=payload.body,
        visibility=payload.visibility.value,
    )
    return Status(201, _detail(user, thread))


@router.get(
    "/threads/{int:thread_id}", response={200: ThreadDetailOut, **READ}, summary="Read a thread"
)
def thread(request: HttpRequest, thread_id: Id) -> dict[str, Any]:
    """Its posts: a hidden post's text for its moderators only, a deleted one's for nobody."""
    user = signed_in_user(request)
    return _detail(user, access_thread(user, thread_id))


@router.post(
    "/threads/{int:thread_id}/posts", response={201: PostOut, **WRITE}, summary="Post in a thread"
)
def post_create(request: HttpRequest, thread_id: Id, payload: PostIn) -> Status[dict[str, Any]]:
    """A locked thread answers 422 at ``body``."""
    user = signed_in_user(request)
    thread = access_thread_for_posting(user, thread_id)
    reply_to = thread.posts.filter(id=payload.reply_to).first() if payload.reply_to else None
    post = services.post_create(thread=thread, author=user, body=payload.body, reply_to=reply_to)
    return Status(201, _post_out(ShownPost(post=post, show_text=True, mine=True)))


@router.put("/posts/{int:post_id}", response={200: PostOut, **WRITE}, summary="Edit your post")
def post_edit(request: HttpRequest, post_id: Id, payload: PostIn) -> dict[str, Any]:
    user = signed_in_user(request)
    post = services.post_edit(post=access_post_for_edit(user, post_id), body=payload.body)
    return _post_out(ShownPost(post=post, show_text=True, mine=True))


@router.delete("/posts/{int:post_id}", response={204: None, **WRITE}, summary="Delete your post")
def post_delete(request: HttpRequest, post_id: Id) -> Status[None]:
    user = signed_in_user(request)
    services.post_delete(post=access_post_for_edit(user, post_id))
    return Status(204, None)


def _moderated_post(post: Post) -> dict[str, Any]:
    shown = ShownPost(post=post, show_text=not post.deleted, mine=False, reason_shown=post.hidden)
    return _post_out(shown)


@router.post("/posts/{int:post_id}/hide", response={200: PostOut, **WRITE}, summary="Hide a post")
def post_hide(request: HttpRequest, post_id: Id, payload: HideIn) -> dict[str, Any]:
    """Moderators; members then read "hidden by a moderator" instead of its text."""
    user = signed_in_user(request)
    post = access_post_for_moderation(user, post_id)
    return _moderated_post(services.post_hide(post=post, moderator=user, reason=payload.reason))


@router.post(
    "/posts/{int:post_id}/show", response={200: PostOut, **WRITE}, summary="Show a hidden post"
)
def post_show(request: HttpRequest, post_id: Id) -> dict[str, Any]:
    user = signed_in_user(request)
    post = access_post_for_moderation(user, post_id)
    return _moderated_post(services.post_unhide(post=post, moderator=user))


@router.put(
    "/threads/{int:thread_id}/locked", response={200: ThreadOut, **WRITE}, summary="Lock a thread"
)
def thread_lock(request: HttpRequest, thread_id: Id, payload: FlagIn) -> dict[str, Any]:
    user = signed_in_user(request)
    thread = access_thread_for_moderation(user, thread_id)
    services.thread_lock_set(thread=thread, moderator=user, locked=payload.value)
    return _thread_out(user, thread)


@router.put(
    "/threads/{int:thread_id}/pinned", response={200: ThreadOut, **WRITE}, summary="Pin a thread"
)
def thread_pin(request: HttpRequest, thread_id: Id, payload: FlagIn) -> dict[str, Any]:
    user = signed_in_user(request)
    thread = access_thread_for_moderation(user, thread_id)
    services.thread_pin_set(thread=thread, moderator=user, pinned=payload.value)
    return _thread_out(user, thread)


@router.put(
    "/threads/{int:thread_id}/summary",
    response={200: ThreadOut, **WRITE},
    summary="Summarise a thread",
)
def thread_summary(request: HttpRequest, thread_id: Id, payload: SummaryIn) -> dict[str, Any]:
    user = signed_in_user(request)
    thread = access_thread_for_moderation(user, thread_id)
    services.thread_summarise(thread=thread, moderator=user, summary=payload.summary)
    return _thread_out(user, thread)


@router.post(
    "/threads/{int:thread_id}/summary/insight",
    response={201: InsightRefOut, **WRITE},
    summary="Publish the summary as an insight",
)
def thread_summary_publish(request: HttpRequest, thread_id: Id) -> Status[dict[str, Any]]:
    """Through the evidence app's insight service: in the alliance, or at the topic's level."""
    user = signed_in_user(request)
    thread = access_thread_for_moderation(user, thread_id)
    insight = services.thread_summary_publish(thread=thread, moderator=user)
    return Status(201, {"insight_id": insight.id})
