"""Background tasks of the evidence app, run by ``peerlearn worker``.

``send_digests`` e-mails each home-organisation authoriser the digest of the last complete
period (``PEERLEARN_DIGEST_DAYS``) — what their own organisation's peers recorded in their
learning diaries, among the entries that authoriser may see — once per authoriser and
period, however many workers run it (``services.digests_send``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from peerlearn.evidence.services import digests_send


@task()
def send_digests() -> int:
    """Send the digests that are due; returns how many were e-mailed."""
    return digests_send(today=timezone.localdate(), site_url=settings.PEERLEARN_SITE_URL)
