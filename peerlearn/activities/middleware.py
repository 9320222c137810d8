"""Every time a signed-in reader sees is in their own zone.

Django shows aware date-times in the *current* time zone, which is the site's (UTC) unless a
request activates another. This middleware activates the reader's
(:func:`~peerlearn.activities.selectors.reader_zone_name`: the zone they chose, else their
country's when it has only one), so a history, a matching's date or a proposal's answer
reads in the same zone as the activity pages, and ``base.html`` names it (as the list of
zones does: :func:`~peerlearn.activities.models.time_zone_label`). The name is put
in the session at sign-in (:func:`reader_zone_on_sign_in`), so a request reads no table for
it; changing it on ``My calendar`` updates the session too (another signed-in device sees
the change at its next sign-in). A session without it (signed in before this existed) gets
it at its next page read, and so does one whose reader has changed organisation since (a new
peer signs up with none, then names a Kenyan one: their times move to Nairobi's, as
``My calendar`` says).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import lazy

from peerlearn.activities.models import time_zone_label, zone_of
from peerlearn.activities.selectors import reader_zone_name

#: The session's copy of the reader's zone name.
SESSION_KEY = "reader_zone"
#: The reader's organisation when the copy was made (its country may decide the zone).
SESSION_ORGANISATION_KEY = "reader_zone_organisation"

lazy_time_zone_label = lazy(time_zone_label, str)


class ReaderTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            name = request.session.get(SESSION_KEY)
            if (
                name is None
                or request.session.get(SESSION_ORGANISATION_KEY) != user.organisation_id
            ):
                name = reader_zone_name(user)
                if request.method in ("GET", "HEAD"):
                    # Kept for the next requests; not by a write, whose transaction may be
                    # rolled back (the session is saved in it).
                    _keep(request, name)
            timezone.activate(zone_of(name))
            # For the footer: "United States — New York", as the list of zones shows it, in
            # the language the page is written in (read when the page shows it).
            request.reader_zone_label = lazy_time_zone_label(name)  # type: ignore[attr-defined]
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def _keep(request: HttpRequest, name: str) -> None:
    request.session[SESSION_KEY] = name
    request.session[SESSION_ORGANISATION_KEY] = getattr(request.user, "organisation_id", None)


def reader_zone_remember(request: HttpRequest, name: str) -> None:
    """Show this request's reader times in zone ``name`` from now on."""
    _keep(request, name)
    timezone.activate(zone_of(name))


def reader_zone_on_sign_in(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """Keep the reader's zone in the session they just signed in with (``user_logged_in``)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = reader_zone_name(user)
        request.session[SESSION_ORGANISATION_KEY] = user.organisation_id
