"""The .ics of an activity and the subscribable feeds, read back with ``icalendar``: what a
calendar application imports, and only what the feed's owner may see."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from peerlearn.activities import services
from peerlearn.activities.tests.world import held, schedule

pytestmark = pytest.mark.django_db


def _parse(response: object) -> Calendar:
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response["Content-Type"].startswith("text/calendar")  # type: ignore[index]
    return Calendar.from_ical(response.content)  # type: ignore[attr-defined]


def _uids(cal: Calendar) -> set[str]:
    return {str(e["uid"]) for e in cal.walk("VEVENT")}


def test_the_activity_ics_imports(aworld: SimpleNamespace, client: Client) -> None:
    activity = schedule(
        aworld, link="https://meet.example.org/x", cost_amount="10", cost_currency="KES"
    )
    client.force_login(aworld.peer_b)
    cal = _parse(client.get(reverse("activities:ics", args=[activity.id])))
    assert str(cal["version"]) == "2.0"
    assert cal["prodid"]
    (event,) = cal.walk("VEVENT")
    assert str(event["summary"]) == activity.title
    assert event.decoded("dtstart") == activity.starts_at
    assert event.decoded("dtend") == activity.ends_at
    assert "Machakos" in str(event["location"])
    assert "https://meet.example.org/x" in str(event["location"])
    assert f"/activities/{activity.id}/" in str(event["url"])
    # The zone is defined inside the file, so any application reads the right local time.
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["tzid"]) == "Africa/Nairobi"
    assert event["dtstart"].params["TZID"] == "Africa/Nairobi"


def test_the_uid_stays_and_the_sequence_grows(aworld: SimpleNamespace, client: Client) -> None:
    activity = schedule(aworld)
    client.force_login(aworld.facilitator)
    url = reverse("activities:ics", args=[activity.id])
    first = _parse(client.get(url)).walk("VEVENT")[0]
    services.activity_update(activity=activity, place="Nakuru")
    services.activity_cancel(activity=activity)
    last = _parse(client.get(url)).walk("VEVENT")[0]
    assert str(last["uid"]) == str(first["uid"])
    assert (int(first["sequence"]), int(last["sequence"])) == (0, 2)
    assert str(last["status"]) == "CANCELLED"


@pytest.mark.parametrize("name", ["outsider", "other_facilitator"])
def test_outsiders_get_no_ics(aworld: SimpleNamespace, client: Client, name: str) -> None:
    activity = schedule(aworld)
    client.force_login(getattr(aworld, name))
    assert client.get(reverse("activities:ics", args=[activity.id])).status_code == 404
    client.logout()
    assert client.get(reverse("activities:ics", args=[activity.id])).status_code in (302, 404)


def test_the_personal_feed_holds_what_its_owner_sees(aworld: SimpleNamespace) -> None:
    mine = schedule(aworld)
    past = held(aworld, title="Past workshop")
    elsewhere = schedule(aworld, alliance=aworld.other, participants=(), title="Elsewhere")
    anonymous = Client()
    token = services.calendar_settings_for(user=aworld.peer_b).feed_token
    cal = _parse(anonymous.get(reverse("activities:feed_person", args=[token])))
    assert _uids(cal) == {f"{mine.uid}@peerlearn", f"{past.uid}@peerlearn"}
    assert f"{elsewhere.uid}@peerlearn" not in _uids(cal)
    # The outsider's feed is empty; the other alliance's facilitator sees only that one.
    token = services.calendar_settings_for(user=aworld.outsider).feed_token
    assert _uids(_parse(anonymous.get(reverse("activities:feed_person", args=[token])))) == set()
    token = services.calendar_settings_for(user=aworld.other_facilitator).feed_token
    assert _uids(_parse(anonymous.get(reverse("activities:feed_person", args=[token])))) == {
        f"{elsewhere.uid}@peerlearn"
    }


def test_the_alliance_feed_and_a_new_token(aworld: SimpleNamespace) -> None:
    activity = schedule(aworld)
    anonymous = Client()
    token = services.calendar_settings_for(user=aworld.funder).feed_token
    url = reverse("activities:feed_alliance", args=[token, aworld.alliance.slug])
    assert _uids(_parse(anonymous.get(url))) == {f"{activity.uid}@peerlearn"}
    # Someone outside the alliance gets nothing, not even an empty calendar.
    other = services.calendar_settings_for(user=aworld.outsider).feed_token
    assert (
        anonymous.get(
            reverse("activities:feed_alliance", args=[other, aworld.alliance.slug])
        ).status_code
        == 404
    )
    services.feed_token_regenerate(user=aworld.funder)
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(reverse("activities:feed_person", args=["nope"])).status_code == 404


def test_regenerating_from_the_alliance_page_returns_there(
    aworld: SimpleNamespace, client: Client
) -> None:
    client.force_login(aworld.peer_a)
    old = services.calendar_settings_for(user=aworld.peer_a).feed_token
    back = reverse("activities:alliance", args=[aworld.alliance.slug])
    response = client.post(reverse("activities:calendar_regenerate"), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    new = services.calendar_settings_for(user=aworld.peer_a).feed_token
    assert new != old
    page = client.get(back).content.decode()
    assert new in page and old not in page
    assert "Your calendar addresses have changed" in page


def test_a_first_calendar_address_is_ready_not_changed(
    aworld: SimpleNamespace, client: Client
) -> None:
    from peerlearn.activities.models import CalendarSettings

    client.force_login(aworld.peer_b)
    assert not CalendarSettings.objects.filter(user=aworld.peer_b).exists()
    back = reverse("activities:alliance", args=[aworld.alliance.slug])
    client.post(reverse("activities:calendar_regenerate"), {"next": back})
    page = client.get(back).content.decode()
    assert "Your calendar addresses are ready" in page and "have changed" not in page
    response = client.post(
        reverse("activities:calendar_regenerate"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("activities:calendar")
