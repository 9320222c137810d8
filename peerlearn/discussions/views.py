"""Discussion pages: public topics, an alliance's threads, a thread with its posts and
reply form, and the moderators' actions. Every page works without JavaScript; the thread
page answers an htmx post with its conversation only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerlearn.access.base import AccessDenied
from peerlearn.access.discussions import (
    access_alliance_for_threads,
    access_post_for_edit,
    access_post_for_moderation,
    access_post_for_report,
    access_thread,
    access_thread_for_moderation,
    access_thread_for_posting,
    safe_space_readers,
)
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import AuthenticatedHttpRequest, HtmxHttpRequest, site_url
from peerlearn.discussions import services
from peerlearn.discussions.forms import (
    HideForm,
    PostForm,
    ReportForm,
    SummaryForm,
    ThreadForm,
    TopicForm,
)
from peerlearn.discussions.models import Post, Thread
from peerlearn.discussions.selectors import (
    ThreadDetail,
    alliance_thread_list,
    can_open_topic,
    post_report_of,
    thread_detail,
    topic_list,
)


def topics_page(request: HtmxHttpRequest) -> HttpResponse:
    return render(
        request,
        "discussions/topics.html",
        {"threads": topic_list(user=request.user), "can_open": can_open_topic(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def topic_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_open_topic(request.user):
        raise AccessDenied(_("Only facilitators and administrators open topics."))
    form = TopicForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            thread = services.topic_open(created_by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            return _opened(request, thread, form.cleaned_data["body"])
    return render(
        request,
        "discussions/thread_form.html",
        {"form": form, "alliance": None},
        status=400 if form.errors else 200,
    )


@login_required
def alliance_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_for_threads(request.user, slug)
    return render(
        request,
        "discussions/alliance.html",
        {
            "alliance": alliance,
            "threads": alliance_thread_list(user=request.user, alliance=alliance),
            "readers": safe_space_readers(alliance),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def thread_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_for_threads(request.user, slug)
    form = ThreadForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            thread = services.thread_start(
                alliance=alliance, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            return _opened(request, thread, form.cleaned_data["body"])
    return render(
        request,
        "discussions/thread_form.html",
        {"form": form, "alliance": alliance},
        status=400 if form.errors else 200,
    )


def _opened(request: AuthenticatedHttpRequest, thread: Thread, body: str) -> HttpResponse:
    """To the thread just opened; its first post's mentions that reach nobody are named
    back, as a reply's are."""
    unknown = services.mentions_unknown(thread=thread, body=body)
    if unknown:
        messages.warning(request, _unknown_mentions_text(unknown))
    return redirect("discussions:thread", thread_id=thread.id)


def _unknown_mentions_text(handles: list[str]) -> str:
    return _(
        "Nobody who reads this discussion is called %(handles)s, so nobody was told. Mention "
        "people by the name after @ beside their posts."
    ) % {"handles": ", ".join(f"@{h}" for h in handles)}


@require_http_methods(["GET", "POST"])
def thread_page(request: HtmxHttpRequest, thread_id: int) -> HttpResponse:
    """The thread, and (POST) a new post or reply in it."""
    if request.method == "POST":
        thread = access_thread_for_posting(request.user, thread_id)
    else:
        thread = access_thread(request.user, thread_id)
    if request.method == "POST":
        form = PostForm(request.POST)
    else:
        # "Reply" links here with ?reply_to=<post>: the form carries it as its hidden field
        # (one field only, so the browser sends the post replied to, not an empty value).
        asked = request.GET.get("reply_to", "")
        form = PostForm(initial={"reply_to": int(asked)} if asked.isdigit() else None)
    unknown: list[str] = []
    if request.method == "POST" and form.is_valid():
        reply_to = None
        reply_id = form.cleaned_data.get("reply_to")
        if reply_id:
            reply_to = thread.posts.filter(id=reply_id).first()
        try:
            post = services.post_create(
                thread=thread,
                author=request.user,  # type: ignore[arg-type]
                body=form.cleaned_data["body"],
                reply_to=reply_to,
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            unknown = services.mentions_unknown(thread=thread, body=post.body)
            if not request.htmx:
                if unknown:
                    messages.warning(request, _unknown_mentions_text(unknown))
                return redirect(f"{thread.get_absolute_url()}#post-{post.id}")
            form = PostForm()
    if request.method == "GET":
        services.notices_mark_seen(thread=thread, user=request.user)  # type: ignore[arg-type]
    detail = thread_detail(user=request.user, thread=thread)
    replying_to = _replying_to(form, detail)
    if request.htmx and request.method == "POST":
        # htmx swaps only successful answers: the fragment with the form's errors is one.
        response = render(
            request,
            "discussions/thread.html#conversation",
            {
                "detail": detail,
                "thread": thread,
                "form": form,
                "replying_to": replying_to,
                "unknown_mentions": _unknown_mentions_text(unknown) if unknown else "",
            },
        )
        if not form.is_bound:
            # Posted: the address no longer asks for a reply (``?reply_to=``), so reloading
            # the page opens a new post, not another answer to the same one.
            response["HX-Replace-Url"] = thread.get_absolute_url()
        return response
    return render(
        request,
        "discussions/thread.html",
        {"detail": detail, "thread": thread, "form": form, "replying_to": replying_to},
        status=400 if form.errors else 200,
    )


def _replying_to(form: PostForm, detail: ThreadDetail) -> Post | None:
    """The post the reply form answers, when it is one the reader sees in this thread."""
    raw = form["reply_to"].value()
    if not str(raw or "").isdigit():
        return None
    for item in detail.posts:
        if item.post.id == int(raw) and not item.post.deleted and not item.post.hidden:
            return item.post
    return None


@login_required
@require_POST
def thread_follow(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = access_thread(request.user, thread_id)
    follow = request.POST.get("follow") == "1"
    services.thread_follow_set(thread=thread, user=request.user, follow=follow)
    messages.success(
        request,
        _("You will be told of new posts.") if follow else _("You no longer follow it."),
    )
    return redirect("discussions:thread", thread_id=thread.id)


# --- one's own posts ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: AuthenticatedHttpRequest, post_id: int) -> HttpResponse:
    post = access_post_for_edit(request.user, post_id)
    form = PostForm(request.POST if request.method == "POST" else None, initial={"body": post.body})
    if form.is_valid():
        try:
            services.post_edit(post=post, body=form.cleaned_data["body"])
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            unknown = services.mentions_unknown(thread=post.thread, body=post.body)
            if unknown:
                messages.warning(request, _unknown_mentions_text(unknown))
            return redirect(f"{post.thread.get_absolute_url()}#post-{post.id}")
    return render(
        request,
        "discussions/post_edit.html",
        {"form": form, "post": post, "thread": post.thread},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request: AuthenticatedHttpRequest, post_id: int) -> HttpResponse:
    post = access_post_for_edit(request.user, post_id)
    if request.method == "POST":
        services.post_delete(post=post)
        messages.success(request, _("Your post is deleted."))
        return redirect("discussions:thread", thread_id=post.thread_id)
    return render(request, "discussions/post_delete.html", {"post": post, "thread": post.thread})


# --- moderation --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def post_hide(request: AuthenticatedHttpRequest, post_id: int) -> HttpResponse:
    post = access_post_for_moderation(request.user, post_id)
    form = HideForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.post_hide(
                post=post, moderator=request.user, site_url=site_url(request), **form.cleaned_data
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("The post is hidden from the members."))
            return redirect(f"{post.thread.get_absolute_url()}#post-{post.id}")
    return render(
        request,
        "discussions/post_hide.html",
        {"form": form, "post": post, "thread": post.thread},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_report(request: AuthenticatedHttpRequest, post_id: int) -> HttpResponse:
    post = access_post_for_report(request.user, post_id)
    earlier = post_report_of(post=post, reporter=request.user)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if earlier is None and form.is_valid():
        try:
            services.post_report(
                post=post,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                site_url=site_url(request),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("Thank you: the discussion's moderators have your report and will look at it."),
            )
            return redirect(f"{post.thread.get_absolute_url()}#post-{post.id}")
    return render(
        request,
        "discussions/post_report.html",
        {"form": form, "post": post, "thread": post.thread, "earlier": earlier},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def post_keep(request: AuthenticatedHttpRequest, post_id: int) -> HttpResponse:
    """A moderator keeps a reported post shown."""
    post = access_post_for_moderation(request.user, post_id)
    services.post_reports_dismiss(post=post, moderator=request.user)
    messages.success(request, _("The post stays shown; its reports are handled."))
    return redirect(f"{post.thread.get_absolute_url()}#post-{post.id}")


@login_required
@require_POST
def post_show(request: AuthenticatedHttpRequest, post_id: int) -> HttpResponse:
    post = access_post_for_moderation(request.user, post_id)
    services.post_unhide(post=post, moderator=request.user)
    messages.success(request, _("The post is shown again."))
    return redirect(f"{post.thread.get_absolute_url()}#post-{post.id}")


@login_required
@require_POST
def thread_lock(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = access_thread_for_moderation(request.user, thread_id)
    locked = request.POST.get("locked") == "1"
    services.thread_lock_set(thread=thread, moderator=request.user, locked=locked)
    messages.success(
        request, _("The discussion is locked.") if locked else _("The discussion is open again.")
    )
    return redirect("discussions:thread", thread_id=thread.id)


@login_required
@require_POST
def thread_pin(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = access_thread_for_moderation(request.user, thread_id)
    pinned = request.POST.get("pinned") == "1"
    services.thread_pin_set(thread=thread, moderator=request.user, pinned=pinned)
    messages.success(
        request, _("The discussion is pinned.") if pinned else _("The discussion is unpinned.")
    )
    return redirect("discussions:thread", thread_id=thread.id)


@login_required
@require_http_methods(["GET", "POST"])
def thread_summary(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = access_thread_for_moderation(request.user, thread_id)
    form = SummaryForm(
        request.POST if request.method == "POST" else None, initial={"summary": thread.summary}
    )
    if form.is_valid():
        try:
            services.thread_summarise(
                thread=thread, moderator=request.user, summary=form.cleaned_data["summary"]
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("The summary is saved."))
            return redirect(f"{thread.get_absolute_url()}#summary")
    return render(
        request,
        "discussions/summary.html",
        {"form": form, "thread": thread},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def thread_summary_publish(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = access_thread_for_moderation(request.user, thread_id)
    try:
        services.thread_summary_publish(thread=thread, moderator=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The summary is published as an insight."))
    return redirect(f"{thread.get_absolute_url()}#summary")
