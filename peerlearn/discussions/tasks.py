"""The e-mails discussions send, through the background worker: each notice once (a
conditional update claims it, so several workers may sweep), never to someone who turned
discussion e-mails off, and never about a post its recipient may no longer read."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from peerlearn.access.discussions import posts_readable_by
from peerlearn.core.mail import notify
from peerlearn.discussions.models import Notice


def notices_send(*, site_url: str = "") -> int:
    """E-mail every notice not yet e-mailed; returns how many e-mails went."""
    sent = 0
    waiting = (
        Notice.objects.filter(mailed_at__isnull=True)
        .select_related("recipient", "recipient__digest_preference", "post__thread", "post__author")
        .order_by("id")
    )
    for notice in waiting.iterator():
        with transaction.atomic():
            claimed = Notice.objects.filter(id=notice.id, mailed_at__isnull=True).update(
                mailed_at=timezone.now()
            )
            if not claimed:
                continue  # another worker has it
            recipient = notice.recipient
            preference = getattr(recipient, "digest_preference", None)
            if preference is not None and not preference.discussion_emails:
                continue
            if not recipient.is_active or not recipient.email:
                continue
            if not posts_readable_by(recipient).filter(id=notice.post_id).exists():
                continue
            post = notice.post
            url = reverse("discussions:thread", args=[post.thread_id]) + f"#post-{post.id}"
            notify(
                [recipient],
                "discussions/email/notice",
                {
                    "kind": notice.kind,
                    "thread": post.thread.title,
                    "author": str(post.author) if post.author else "",
                    "link": site_url + url,
                    "settings_link": site_url + reverse("notifications:page"),
                },
            )
        sent += 1
    return sent


@task()
def send_notices() -> int:
    """E-mail the discussions' waiting notices (``notices_send``)."""
    return notices_send(site_url=settings.PEERLEARN_SITE_URL)
