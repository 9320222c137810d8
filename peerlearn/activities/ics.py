"""iCalendar (RFC 5545) for activities: one file per activity, attached to invitations,
and the feeds a calendar application polls. Built with the ``icalendar`` library.

Each activity keeps one UID for its whole life and a SEQUENCE that grows with every change,
so a calendar application updates the event it already holds; a cancelled activity is
sent with ``STATUS:CANCELLED`` (and, in an e-mail, ``METHOD:CANCEL``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from peerlearn.activities.models import Activity, ActivityStatus

PRODID = "-//peerlearn//activities//EN"


def activity_uid(activity: Activity) -> str:
    return f"{activity.uid}@peerlearn"


def _event(activity: Activity, *, url: str = "") -> Event:
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("sequence", activity.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", activity.starts_at.astimezone(activity.zone))
    event.add("dtend", activity.ends_at.astimezone(activity.zone))
    event.add("summary", activity.title)
    event.add("categories", [activity.get_kind_display()])
    description = activity.agenda
    if url:
        description = f"{description}\n\n{url}".strip()
    if description:
        event.add("description", description)
    location = ", ".join(part for part in (activity.place, activity.link) if part)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if activity.status == ActivityStatus.CANCELLED else "CONFIRMED")
    return event


def calendar_for(
    activities: Iterable[Activity],
    *,
    name: str = "",
    method: str = "",
    urls: dict[int, str] | None = None,
    organizer: str = "",
) -> bytes:
    """An iCalendar file holding ``activities`` (with ``method`` ``REQUEST`` or ``CANCEL``
    for an e-mailed invitation, none for a feed)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", vText(name))
    for activity in activities:
        event = _event(activity, url=(urls or {}).get(activity.id, ""))
        if organizer:
            event.add("organizer", vCalAddress(f"mailto:{organizer}"))
        cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
