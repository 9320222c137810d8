from __future__ import annotations

from django.conf import settings
from django_tasks import task

from peerlearn.notifications.services import digests_send


@task()
def send_digests() -> int:
    """The digests of what needs each person (``services.digests_send``)."""
    return digests_send(site_url=settings.PEERLEARN_SITE_URL)
