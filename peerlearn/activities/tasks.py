"""Background tasks of activities, run by ``peerlearn worker``: the reminder sweep that
e-mails participants before an activity and owners of overdue milestones, each once (see
``services.activity_reminders_send`` and ``services.milestone_reminders_send``)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from peerlearn.activities.services import activity_reminders_send, milestone_reminders_send


@task()
def send_activity_reminders() -> int:
    """Queued by every worker with the proposal reminders; returns how many were sent."""
    site = settings.PEERLEARN_SITE_URL
    return activity_reminders_send(site_url=site) + milestone_reminders_send(site_url=site)
