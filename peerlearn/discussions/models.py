"""Moderated discussions: threads inside a learning alliance's safe space, and public
topics (platform-wide threads a facilitator opens), their posts, who follows a thread,
and the notices a post leaves for the people it mentions or who follow its thread.

A thread in an alliance is read inside that alliance only, whatever is stored in its
``visibility`` (the services store *alliance*). A thread with no alliance is a topic: at
*platform* every signed-in user reads it, at *public* anyone; below that it is its
creator's draft (``peerlearn/access/discussions.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerlearn.access.visibility import Visibility

TITLE_MAX = 200
BODY_MAX = 10_000
REASON_MAX = 300
SUMMARY_MAX = 10_000


class Thread(models.Model):
    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="discussion_threads",
        verbose_name=_("learning alliance"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.ALLIANCE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    last_post_at = models.DateTimeField(_("last post at"), default=timezone.now, db_index=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
    )
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX, blank=True)
    summary_html = models.TextField(_("summary, rendered"), blank=True)
    summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("summarised by"),
    )
    summary_at = models.DateTimeField(_("summarised at"), null=True, blank=True)
    insight = models.ForeignKey(
        "evidence.Insight",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published as insight"),
    )

    class Meta:
        ordering = ["-pinned", "-last_post_at", "-id"]
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("discussions:thread", args=[self.id])

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_topic(self) -> bool:
        return self.alliance_id is None


class Post(models.Model):
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread")
    )
    # The thread's alliance, copied when the post is written: alliance-wide reads and the
    # confidentiality sweep find a post's safe space without a join.
    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("learning alliance"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="discussion_posts",
        verbose_name=_("author"),
    )
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    body = models.TextField(_("text"), max_length=BODY_MAX)
    body_html = models.TextField(_("text, rendered"), blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=REASON_MAX, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return f"{self.thread_id}#{self.id}"

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


class ThreadFollow(models.Model):
    """Someone who hears of new posts in a thread: who started it, who posted in it, and
    whoever chose to follow it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_threads"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="discussions_follow_once")
        ]
        verbose_name = _("followed thread")
        verbose_name_plural = _("followed threads")

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.thread_id}"


class NoticeKind(models.TextChoices):
    MENTION = "mention", _("Mentioned you")
    REPLY = "reply", _("Replied in a thread you follow")


class Notice(models.Model):
    """A post one person should hear of. Shown on "What needs you" until they open the
    thread; e-mailed once by the worker (``mailed_at`` is the claim)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discussion_notices"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)
    # When the worker e-mailed it, or passed over it (e-mails off, no longer readable).
    mailed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "post"], name="discussions_notice_once")
        ]
        verbose_name = _("discussion notice")
        verbose_name_plural = _("discussion notices")

    def __str__(self) -> str:
        return f"{self.kind} {self.post_id} for {self.recipient_id}"


class PostReport(models.Model):
    """A reader's report of a post to the thread's moderators, open until one of them hides
    the post or keeps it shown. Its author never learns who reported it."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="reports", verbose_name=_("post")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="post_reports",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("why"), max_length=REASON_MAX)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    class Meta:
        verbose_name = _("post report")
        verbose_name_plural = _("post reports")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_report_per_reader",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_id} ({self.reporter_id})"
