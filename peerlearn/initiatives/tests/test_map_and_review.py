"""The registry's world map, its filters, and proposals reviewed by facilitators."""

from __future__ import annotations

import doctest
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from peerlearn.access.visibility import Visibility
from peerlearn.alliances.models import AllianceOrganisation
from peerlearn.initiatives import worldmap
from peerlearn.initiatives.models import Initiative, InitiativeStatus
from peerlearn.initiatives.services import initiative_create

pytestmark = pytest.mark.django_db

API = "/api/v1/initiatives"


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # E-mails leave when the request's transaction commits; the test's never does.
    monkeypatch.setattr("peerlearn.core.mail.transaction", SimpleNamespace(on_commit=lambda f: f()))


def test_worldmap_doctests() -> None:
    result = doctest.testmod(worldmap)
    assert result.attempted >= 3
    assert result.failed == 0


def test_every_country_of_the_reference_data_that_has_a_shape_is_drawable() -> None:
    m = worldmap.world_map({}, href=lambda c: c, describe=lambda n, c: n)
    codes = {c.code for c in m.countries}
    # The countries of the paper's cases are all on the map.
    assert {"KE", "UG", "GH", "ZM", "KG", "KZ", "GB", "PE", "BO", "MA", "IN"} <= codes
    assert all(re.fullmatch(r"(M-?\d+ -?\d+(L-?\d+ -?\d+)*Z)+", c.path) for c in m.countries)


#: The loop the map's template ran before the shapes were written in Python.
FORMER_SHAPES = (
    "{% for c in map.countries %}{% if c.path %}{% if c.href %}"
    '<a href="{{ c.href }}" aria-label="{{ c.title }}"><path class="l{{ c.level }}" '
    'd="{{ c.path }}" data-country="{{ c.code }}"><title>{{ c.title }}</title></path></a>'
    '{% else %}<path class="l0" d="{{ c.path }}" data-country="{{ c.code }}">'
    "<title>{{ c.name }}</title></path>{% endif %}{% endif %}{% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_shapes_are_what_the_template_wrote(language: str) -> None:
    counts = {"KE": 12, "UG": 3, "GB": 1, "FR": 0, "XK": 2}
    with translation.override(language):
        m = worldmap.world_map(
            counts, href=lambda c: f"?a=1&country={c}", describe=lambda n, c: f"<{n}>: {c}"
        )
        former = Template(FORMER_SHAPES).render(Context({"map": m}))
        assert m.svg_shapes == former
        assert m.svg_shapes == former  # the plain shapes, remembered
    assert 'href="?a=1&amp;country=KE" aria-label="&lt;' in former


@pytest.fixture
def registry(world: SimpleNamespace) -> SimpleNamespace:
    world.kenya = initiative_create(
        name="Fiscal decentralisation in Kenya",
        type="II",
        summary="Counties learn from counties.",
        themes=["decentralisation"],
        implementers=[world.ngo],
        funders=[world.donor],
        countries=["KE", "UG"],
        sdg_targets=["16.6", "17.1"],
    )
    world.kyrgyz = initiative_create(
        name="Better Government Kyrgyzstan",
        type="I",
        summary="Civil service reform.",
        themes=["civil-service-hr"],
        implementers=[world.ministry],
        countries=["KG", "GB"],
        sdg_targets=["16.7"],
    )
    world.platform_only = initiative_create(
        name="Members' exchange",
        type="II",
        summary="For signed-in users.",
        themes=["decentralisation"],
        implementers=[world.ngo],
        countries=["FR"],
        visibility=Visibility.PLATFORM,
    )
    return world


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def map_titles(html: str) -> dict[str, str]:
    """data-country → the title of each shaded (linked) country."""
    found = re.findall(
        r'<a href="[^"]*" aria-label="([^"]+)"><path class="l[1-5]" d="[^"]+" '
        r'data-country="(\w\w)"',
        html,
    )
    return {code: title for title, code in found}


def test_the_map_shades_the_countries_of_the_initiatives_the_reader_may_see(
    registry: SimpleNamespace,
) -> None:
    html = Client().get(reverse("initiatives:list")).content.decode()
    shaded = map_titles(html)
    assert shaded == {
        "KE": "Kenya: 1 initiative",
        "UG": "Uganda: 1 initiative",
        "KG": "Kyrgyzstan: 1 initiative",
        "GB": "United Kingdom: 1 initiative",
    }
    # Signed in, the platform-level entry counts too.
    html = signed_in(registry.outsider.user).get(reverse("initiatives:list")).content.decode()
    assert map_titles(html)["FR"] == "France: 1 initiative"


def test_a_country_on_the_map_leads_to_its_initiatives(registry: SimpleNamespace) -> None:
    client = Client()
    html = client.get(reverse("initiatives:list"), {"type": "I"}).content.decode()
    link = re.search(r'<a href="([^"]+)" aria-label="Kyrgyzstan: 1 initiative"', html)
    assert link is not None
    href = link.group(1).replace("&amp;", "&")
    assert "type=I" in href and "country=KG" in href
    page = client.get(reverse("initiatives:list") + href)
    assert [i.name for i in page.context["page"].object_list] == ["Better Government Kyrgyzstan"]
    # The map itself keeps every country of the other filters, not only the chosen one.
    assert set(map_titles(page.content.decode())) == {"KG", "GB"}


def test_peers_on_the_map_are_those_the_reader_may_see(registry: SimpleNamespace) -> None:
    html = Client().get(reverse("initiatives:list"), {"measure": "peers"}).content.decode()
    # Anonymous readers see public profiles only: the French ministry's public peer.
    assert map_titles(html) == {"FR": "France: 1 peer"}
    assert reverse("peers:directory") + "?country=FR" in html
    html = (
        signed_in(registry.outsider.user)
        .get(reverse("initiatives:list"), {"measure": "peers"})
        .content.decode()
    )
    # Signed in: platform profiles too (member_platform in Kenya; outsider and the public
    # one in France); alliance and private profiles stay out.
    assert map_titles(html) == {"KE": "Kenya: 1 peer", "FR": "France: 2 peers"}


def test_alliances_on_the_map_count_by_their_member_organisations(
    registry: SimpleNamespace,
) -> None:
    AllianceOrganisation.objects.create(
        alliance=registry.public_alliance, organisation=registry.ministry
    )
    AllianceOrganisation.objects.get_or_create(
        alliance=registry.inner, organisation=registry.county_a
    )
    html = Client().get(reverse("initiatives:list"), {"measure": "alliances"}).content.decode()
    assert map_titles(html) == {"FR": "France: 1 learning alliance"}
    member = signed_in(registry.member_alliance.user)
    html = member.get(reverse("initiatives:list"), {"measure": "alliances"}).content.decode()
    assert map_titles(html) == {
        "FR": "France: 1 learning alliance",
        "KE": "Kenya: 1 learning alliance",
    }


def test_the_map_is_also_a_table(registry: SimpleNamespace) -> None:
    html = Client().get(reverse("initiatives:list")).content.decode()
    table = html[html.index("The map as a table") :]
    assert re.search(r'data-label="Country"><a href="[^"]*country=KE[^"]*">Kenya</a>', table)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "002"}, {"Fiscal decentralisation in Kenya"}),  # Africa
        ({"region": "143"}, {"Better Government Kyrgyzstan"}),  # Central Asia
        ({"sdg_target": "17.1"}, {"Fiscal decentralisation in Kenya"}),
        ({"sdg_target": "16.7"}, {"Better Government Kyrgyzstan"}),
    ],
)
def test_filters_by_region_and_sdg_target(
    registry: SimpleNamespace, params: dict[str, str], expected: set[str]
) -> None:
    page = Client().get(reverse("initiatives:list"), params)
    assert {i.name for i in page.context["page"].object_list} == expected
    api = signed_in(registry.outsider.user).get(API, params).json()
    assert {i["name"] for i in api["items"]} == expected


def test_filters_by_implementer_and_funder(registry: SimpleNamespace) -> None:
    client = Client()
    page = client.get(reverse("initiatives:list"), {"implementer": registry.ministry.id})
    assert {i.name for i in page.context["page"].object_list} == {"Better Government Kyrgyzstan"}
    page = client.get(reverse("initiatives:list"), {"funder": registry.donor.id})
    assert {i.name for i in page.context["page"].object_list} == {
        "Fiscal decentralisation in Kenya"
    }


def test_the_map_works_without_javascript_and_has_no_script(registry: SimpleNamespace) -> None:
    html = Client().get(reverse("initiatives:list")).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<script" not in svg
    assert svg.count("<path") > 150


# --- proposals and their review ------------------------------------------------------------


def propose(client: Client, world: SimpleNamespace, **overrides: Any) -> Any:
    data = {
        "name": "Research Week in Ghana",
        "type": "I",
        "summary": "Uganda's parliament research week replicated in Ghana.",
        "themes": ["parliaments-evidence"],
        "countries": ["GH", "UG"],
        "implementers": [world.ngo.id],
        "sdg_targets": ["16.6"],
        "visibility": "public",
        **overrides,
    }
    return client.post(reverse("initiatives:propose"), data)


def test_a_proposal_waits_for_review_seen_only_by_its_proposer_and_facilitators(
    registry: SimpleNamespace,
) -> None:
    proposer = signed_in(registry.outsider.user)
    response = propose(proposer, registry)
    initiative = Initiative.objects.get(name="Research Week in Ghana")
    assert response.status_code == 302
    assert response["Location"] == reverse("initiatives:detail", args=[initiative.slug])
    assert initiative.status == InitiativeStatus.PROPOSED
    assert initiative.proposed_by == registry.outsider.user
    assert [m.to for m in mail.outbox] == [[registry.facilitator.email]]
    assert reverse("initiatives:review") in mail.outbox[0].body

    detail = proposer.get(response["Location"]).content.decode()
    assert "only you and the facilitators" in detail
    listing = proposer.get(reverse("initiatives:list")).content.decode()
    assert "Your proposals" in listing and "Research Week in Ghana" in listing
    # Not on the map or in the list for anyone yet, and not to be found by others.
    assert initiative not in Client().get(reverse("initiatives:list")).context["page"].object_list
    assert "GH" not in map_titles(listing)
    for other in (Client(), signed_in(registry.member_platform.user)):
        assert other.get(response["Location"]).status_code == 404
    assert (
        signed_in(registry.member_platform.user).get(f"{API}/{initiative.slug}").status_code == 404
    )


def test_a_proposal_with_errors_names_the_field_and_saves_nothing(
    registry: SimpleNamespace,
) -> None:
    response = propose(signed_in(registry.outsider.user), registry, ended="1990", started="2000")
    assert response.status_code == 200
    assert "The end year must not be before the start year." in response.content.decode()
    assert not Initiative.objects.filter(name="Research Week in Ghana").exists()
    # A name already in the registry is named in the same round as the years.
    taken = Initiative.objects.exclude(name="").values_list("name", flat=True).first()
    assert taken
    proposer = signed_in(registry.outsider.user)
    response = propose(proposer, registry, name=taken.upper(), ended="1990", started="2000")
    shown = response.content.decode()
    assert "This initiative is already in the registry." in shown
    assert "The end year must not be before the start year." in shown


def test_a_facilitator_publishes_a_proposal_and_the_proposer_is_told(
    registry: SimpleNamespace,
) -> None:
    propose(signed_in(registry.outsider.user), registry)
    initiative = Initiative.objects.get(name="Research Week in Ghana")
    facilitator = signed_in(registry.facilitator)
    queue = facilitator.get(reverse("initiatives:review")).content.decode()
    assert "Research Week in Ghana" in queue
    url = reverse("initiatives:review_one", args=[initiative.slug])
    # The review starts at the level the proposer asked for ...
    asked = initiative.visibility
    page = facilitator.get(url).content.decode()
    assert re.search(rf'<input[^>]*name="visibility"[^>]*value="{asked}"[^>]*checked', page)
    # ... but a decision to publish still says for whom.
    response = facilitator.post(url, {"decision": "publish"})
    assert response.status_code == 400
    assert "Choose public or platform to publish." in response.content.decode()
    mail.outbox.clear()
    response = facilitator.post(url, {"decision": "publish", "visibility": "public"})
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.status, initiative.visibility) == ("published", "public")
    assert initiative.reviewed_by == registry.facilitator
    assert [m.to for m in mail.outbox] == [[registry.outsider.user.email]]
    assert "GH" in map_titles(Client().get(reverse("initiatives:list")).content.decode())
    # Once decided, the review page is gone.
    assert facilitator.get(url).status_code == 404


def test_declining_needs_a_reason_the_proposer_reads(registry: SimpleNamespace) -> None:
    proposer = signed_in(registry.outsider.user)
    propose(proposer, registry)
    initiative = Initiative.objects.get(name="Research Week in Ghana")
    facilitator = signed_in(registry.facilitator)
    url = reverse("initiatives:review_one", args=[initiative.slug])
    response = facilitator.post(url, {"decision": "decline", "note": "  "})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.PROPOSED
    mail.outbox.clear()
    facilitator.post(url, {"decision": "decline", "note": "Add who funded it."})
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.DECLINED
    assert "Add who funded it." in mail.outbox[0].body
    listing = proposer.get(reverse("initiatives:list")).content.decode()
    assert "Add who funded it." in listing
    assert Client().get(reverse("initiatives:detail", args=[initiative.slug])).status_code == 404


def test_the_proposer_changes_a_declined_proposal_and_sends_it_again(
    registry: SimpleNamespace,
) -> None:
    proposer = signed_in(registry.outsider.user)
    propose(proposer, registry, link="https://example.org/week")
    initiative = Initiative.objects.get(name="Research Week in Ghana")
    url = reverse("initiatives:resubmit", args=[initiative.slug])
    # Nothing to send again while it waits for review.
    assert proposer.get(url).status_code == 404
    review = reverse("initiatives:review_one", args=[initiative.slug])
    signed_in(registry.facilitator).post(review, {"decision": "decline", "note": "Add a funder."})
    detail = proposer.get(reverse("initiatives:detail", args=[initiative.slug])).content.decode()
    assert f'href="{url}"' in detail
    # Only the proposer may; for anyone else it does not exist.
    for other in (registry.member_platform.user, registry.facilitator):
        assert signed_in(other).get(url).status_code == 404
    # The form starts from the proposal, with the reviewer's note above it.
    page = proposer.get(url)
    html = page.content.decode()
    assert "Add a funder." in html
    assert page.context["form"]["name"].value() == "Research Week in Ghana"
    assert page.context["form"]["link"].value() == "https://example.org/week"
    # A refused change names the field and changes nothing.
    data = {
        "name": "Research Week in Ghana",
        "type": "I",
        "summary": "Uganda's parliament research week replicated in Ghana.",
        "themes": ["parliaments-evidence"],
        "countries": ["GH", "UG"],
        "implementers": [registry.ngo.id],
        "funders": [registry.ngo.id],
        "sdg_targets": ["16.6"],
        "visibility": "public",
        "started": "2020",
        "ended": "2019",
    }
    refused = proposer.post(url, data)
    assert refused.status_code == 400
    assert "The end year must not be before the start year." in refused.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.DECLINED and not initiative.funders.exists()
    # Its own name is no duplicate; the reviewers are told it is back.
    mail.outbox.clear()
    sent = proposer.post(url, {**data, "ended": "2022"})
    assert sent.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.PROPOSED
    assert (initiative.review_note, initiative.reviewed_by) == ("Add a funder.", None)
    assert list(initiative.funders.all()) == [registry.ngo]
    assert initiative.ended == 2022 and initiative.links.count() == 0
    assert [m.to for m in mail.outbox] == [[registry.facilitator.email]]
    assert "proposes it again" in mail.outbox[0].body
    reviewer = signed_in(registry.facilitator)
    queue = reviewer.get(reverse("initiatives:review")).content.decode()
    assert "Research Week in Ghana" in queue and "; again on " in queue
    # The reviewer reads when it came back, and it waits since then.
    assert initiative.proposed_again_at is not None
    assert "proposed again on" in reviewer.get(review).content.decode()
    from peerlearn.notifications.needs import needs_for

    [need] = [n for n in needs_for(registry.facilitator) if n.kind == "initiative"]
    assert need.since == initiative.proposed_again_at and "proposed again" in need.text
    assert proposer.get(url).status_code == 404


def test_only_facilitators_review(registry: SimpleNamespace) -> None:
    propose(signed_in(registry.outsider.user), registry)
    initiative = Initiative.objects.get(name="Research Week in Ghana")
    for user in (registry.member_platform.user, registry.authoriser_a, registry.funder):
        client = signed_in(user)
        assert client.get(reverse("initiatives:review")).status_code == 404
        url = reverse("initiatives:review_one", args=[initiative.slug])
        assert client.post(url, {"decision": "publish", "visibility": "public"}).status_code == 404
        response = client.post(
            f"{API}/{initiative.slug}/review",
            {"decision": "publish", "visibility": "public"},
            content_type="application/json",
        )
        assert response.status_code == 404
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.PROPOSED
    # A published entry is not a proposal: nobody "reviews" it.
    url = reverse("initiatives:review_one", args=[registry.kenya.slug])
    assert signed_in(registry.facilitator).get(url).status_code == 404


def test_proposals_through_the_api(registry: SimpleNamespace) -> None:
    proposer = signed_in(registry.outsider.user)
    body = {
        "name": "Seasonal bus-park tickets",
        "type": "II",
        "summary": "Counties learn to collect parking fees without cash.",
        "themes": ["decentralisation"],
        "countries": ["ke"],
        "implementers": [registry.ngo.id],
        "sdg_targets": ["16.6"],
    }
    bad = proposer.post(
        f"{API}/proposals", {**body, "implementers": [999_999]}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "implementers"
    assert not Initiative.objects.filter(name="Seasonal bus-park tickets").exists()

    created = proposer.post(f"{API}/proposals", body, content_type="application/json")
    assert created.status_code == 201
    slug = created.json()["slug"]
    assert created.json()["status"] == "proposed"
    assert created.json()["countries"] == ["KE"]
    assert [p["slug"] for p in proposer.get(f"{API}/proposals").json()["items"]] == [slug]
    assert signed_in(registry.member_platform.user).get(f"{API}/proposals").json()["items"] == []

    facilitator = signed_in(registry.facilitator)
    assert [p["slug"] for p in facilitator.get(f"{API}/proposals").json()["items"]] == [slug]
    decline = facilitator.post(
        f"{API}/{slug}/review", {"decision": "decline"}, content_type="application/json"
    )
    assert decline.status_code == 422
    assert decline.json()["detail"][0]["loc"][-1] == "note"
    published = facilitator.post(
        f"{API}/{slug}/review",
        {"decision": "publish", "visibility": "platform"},
        content_type="application/json",
    )
    assert published.status_code == 200
    assert published.json()["status"] == "published"


def test_the_map_through_the_api(registry: SimpleNamespace) -> None:
    client = signed_in(registry.outsider.user)
    rows = client.get(f"{API}/map").json()
    assert rows[0] == {"country": "FR", "name": "France", "count": 1}  # ties: by name
    assert {(r["country"], r["count"]) for r in rows} == {
        ("FR", 1),
        ("KE", 1),
        ("UG", 1),
        ("KG", 1),
        ("GB", 1),
    }
    assert [r["country"] for r in client.get(f"{API}/map", {"type": "I"}).json()] == ["KG", "GB"]
    peers = client.get(f"{API}/map", {"measure": "peers"}).json()
    assert {(r["country"], r["count"]) for r in peers} == {("KE", 1), ("FR", 2)}
    assert client.get(f"{API}/map", {"measure": "nothing"}).status_code == 422


def test_a_page_address_is_never_an_entry_slug(registry: SimpleNamespace) -> None:
    entry = initiative_create(
        name="Review",
        type="II",
        summary="x",
        themes=["decentralisation"],
        implementers=[registry.ngo],
    )
    assert entry.slug not in {"review", "propose"}
    assert Client().get(reverse("initiatives:detail", args=[entry.slug])).status_code == 200


def test_the_map_links_keep_one_measure_and_the_other_filters(registry: SimpleNamespace) -> None:
    """Each link that changes what the map shows carries one measure, not the ones before
    it; clearing the country keeps the measure."""
    html = (
        Client()
        .get(reverse("initiatives:list"), {"measure": "alliances", "country": "KE", "page": "1"})
        .content.decode()
    )
    links = re.findall(r'href="\?([^"]*measure=[^"]*)"', html)
    assert links and all(link.count("measure=") == 1 for link in links)
    assert "?country=KE&amp;measure=initiatives" in html
    assert '<a href="?measure=alliances">Show every country</a>' in html
