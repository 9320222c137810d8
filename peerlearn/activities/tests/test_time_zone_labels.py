"""A person reads a time zone as the picker names it ("Kenya — Nairobi", « États-Unis —
New York »), in their language, wherever it is shown; the picker's list is sorted by country
then city, so a country's cities come together before a longer name that starts with it."""

from __future__ import annotations

import re
from types import SimpleNamespace

from django.test import Client
from django.urls import reverse
from django.utils import translation

from peerlearn.activities import services
from peerlearn.activities.tests.world import schedule


def client_as(w: SimpleNamespace, name: str, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(getattr(w, name))
    return client


def zone_line(page: str) -> str:
    return page.split('<p class="time-zone">', 1)[1].split(" <a", 1)[0]


def test_a_zone_is_labelled_as_the_picker_labels_it_in_the_active_language() -> None:
    from peerlearn.activities.models import time_zone_choices, time_zone_label

    for language in ("en", "fr"):
        with translation.override(language):
            choices = time_zone_choices()
            assert all(time_zone_label(zone) == label for zone, label in choices), language
    assert time_zone_label("Africa/Nairobi") == "Kenya — Nairobi"
    assert time_zone_label("UTC") == "UTC"
    with translation.override("fr"):
        assert time_zone_label("America/New_York") == "États-Unis — New York"
        assert time_zone_label("UTC") == "UTC"
    # A zone the picker does not offer (an old stored value) reads as its name.
    assert time_zone_label("America/Fort_Wayne") == "America/Fort Wayne"
    assert time_zone_label("Etc/GMT-7") == "Etc/GMT-7"


def test_the_french_list_keeps_each_countrys_cities_before_a_longer_country_name() -> None:
    from peerlearn.activities.models import time_zone_choices

    with translation.override("fr"):
        labels = [label for _zone, label in time_zone_choices()]
    assert labels[-1] == "UTC"

    def first(prefix: str) -> int:
        return next(i for i, label in enumerate(labels) if label.startswith(prefix))

    def last(prefix: str) -> int:
        return max(i for i, label in enumerate(labels) if label.startswith(prefix))

    for short, longer in (
        ("Géorgie — ", "Géorgie du Sud"),
        ("Guinée — ", "Guinée équatoriale — "),
        ("Pays-Bas — ", "Pays-Bas caribéens — "),
        ("Samoa — ", "Samoa américaines — "),
        ("Soudan — ", "Soudan du Sud — "),
    ):
        assert last(short) < first(longer), (short, longer)
    assert labels.index("Soudan — Khartoum") < labels.index("Soudan du Sud — Juba")
    assert labels.index("Géorgie — Tbilissi") < first("Géorgie du Sud")
    # Each country's cities together, the countries in order, accents aside.
    countries = [label.split(" — ", 1)[0] for label in labels[:-1]]
    runs = [c for i, c in enumerate(countries) if i == 0 or countries[i - 1] != c]
    assert len(runs) == len(set(runs))
    assert labels.index("Albanie — Tirana") < labels.index("États-Unis — New York")
    assert labels.index("États-Unis — New York") < labels.index("Éthiopie — Addis-Abeba")


def test_the_footer_names_the_readers_zone_as_the_picker_does(aworld: SimpleNamespace) -> None:
    services.calendar_time_zone_set(user=aworld.peer_a, time_zone="America/New_York")
    services.calendar_time_zone_set(user=aworld.peer_b, time_zone="UTC")
    url = reverse("activities:mine")
    english = client_as(aworld, "peer_a").get(url).content.decode()
    assert zone_line(english) == "Times are shown in United States — New York."
    french = client_as(aworld, "peer_a", "fr").get(url).content.decode()
    assert zone_line(french) == "Les horaires sont affichés dans le fuseau États-Unis — New York."
    assert "America/New" not in english + french
    utc = client_as(aworld, "peer_b").get(url).content.decode()
    assert zone_line(utc) == "Times are shown in UTC."


def test_the_activity_page_and_lists_name_zones_as_the_picker_does(
    aworld: SimpleNamespace,
) -> None:
    activity = schedule(aworld)  # in Nairobi time
    services.calendar_time_zone_set(user=aworld.peer_a, time_zone="America/New_York")
    detail = reverse("activities:detail", args=[activity.id])
    mine = reverse("activities:mine")
    for language, kenya, reader in (
        ("en", "(Kenya — Nairobi)", "Your time (United States — New York):"),
        ("fr", "(Kenya — Nairobi)", "Votre heure (États-Unis — New York)\u00a0:"),
    ):
        client = client_as(aworld, "peer_a", language)
        page = client.get(detail).content.decode()
        assert kenya in page and reader in page, language
        listed = client.get(mine).content.decode()
        assert re.search(r"</time> \(Kenya — Nairobi\)", listed), language
        assert "(United States — New York)" in listed or "(États-Unis — New York)" in listed
        for shown in (page, listed):
            assert "Africa/Nairobi" not in shown and "America/New" not in shown, language


def test_an_old_zone_the_picker_does_not_offer_reads_as_its_name(
    aworld: SimpleNamespace,
) -> None:
    activity = schedule(aworld)
    type(activity).objects.filter(id=activity.id).update(time_zone="America/Fort_Wayne")
    page = client_as(aworld, "peer_a").get(reverse("activities:detail", args=[activity.id]))
    assert "(America/Fort Wayne)" in page.content.decode()


def test_a_reader_who_names_their_organisation_reads_its_countrys_times(
    world: SimpleNamespace,
) -> None:
    """A new peer signs up with no organisation and reads UTC; once their profile names a
    Kenyan county, the footer and ``My calendar`` agree on Nairobi, in the same session."""
    from django.test import Client

    from peerlearn.conftest import make_user

    user = make_user("newcomer")
    client = Client()
    client.force_login(user)
    url = reverse("activities:mine")
    assert zone_line(client.get(url).content.decode()) == "Times are shown in UTC."
    user.organisation = world.county_a  # Kenya: one zone
    user.save(update_fields=["organisation"])
    assert zone_line(client.get(url).content.decode()) == "Times are shown in Kenya — Nairobi."
    # Opening "My calendar" chooses nothing: the times still follow the organisation.
    calendar = client.get(reverse("activities:calendar")).content.decode()
    assert '<option value="Africa/Nairobi" selected>' in calendar
    user.organisation = world.ministry  # France
    user.save(update_fields=["organisation"])
    assert zone_line(client.get(url).content.decode()) == "Times are shown in France — Paris."
