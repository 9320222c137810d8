"""The synthetic plan, without a database: reproducible, varied, and matchable."""

from __future__ import annotations

import re
import string
from collections import Counter, defaultdict

import pycountry
import pytest

from peerlearn.access.visibility import Visibility
from peerlearn.core.reference import THEMES, iso_countries
from peerlearn.demo.data.alliances import ALLIANCES
from peerlearn.demo.data.countries import COUNTRIES
from peerlearn.demo.data.kinds import KINDS
from peerlearn.demo.data.topics import (
    BIOS,
    CHALLENGE_CONSTRAINTS,
    CHALLENGE_OPENERS,
    EXPERIENCE_OFFERS,
    EXPERIENCE_OPENERS,
    TOPICS,
)
from peerlearn.demo.generate import (
    LANGUAGE_NAMES,
    THEME_AREAS,
    OrgPlan,
    build_plan,
    country_organisations,
    numbers,
    org_phrase,
    slug_ascii,
    topics_for,
)
from peerlearn.demo.load import demo_plan, fixed_names, fixed_usernames

THEME_SLUGS = {t.slug for t in THEMES}


@pytest.fixture(scope="module")
def plan():
    return demo_plan(seed=2018, peers=300)


def test_same_seed_same_plan_other_seed_other_plan(plan):
    assert demo_plan(seed=2018, peers=300) == plan
    other = demo_plan(seed=7, peers=300)
    assert [p.name for p in other.peers] != [p.name for p in plan.peers]


def test_more_peers_extend_the_plan_without_changing_the_first_ones(plan):
    small = demo_plan(seed=2018, peers=120)
    assert plan.peers[:120] == small.peers


def test_three_hundred_peers_in_every_region_the_cases_span(plan):
    regions = {c["code"]: c["region"] for c in iso_countries()}
    countries = Counter(p.country for p in plan.peers)
    assert len(plan.peers) == 300
    assert len(countries) >= 25
    by_region = Counter(regions[c] for c in (p.country for p in plan.peers))
    # Africa, the Americas, Asia, Europe (UN M49).
    assert by_region["002"] >= 100
    assert by_region["019"] >= 30
    assert by_region["142"] >= 40
    assert by_region["150"] >= 10


def test_people_are_distinct_and_user_names_valid(plan):
    names = [p.name for p in plan.peers] + [a.name for a in plan.authorisers]
    usernames = [p.username for p in plan.peers] + [a.username for a in plan.authorisers]
    assert len(set(names)) == len(names)
    assert len(set(usernames)) == len(usernames)
    assert not set(usernames) & fixed_usernames()
    assert not set(names) & fixed_names()
    assert all(re.fullmatch(r"[a-z0-9-]+\.[a-z0-9-]+[0-9]*", u) for u in usernames)


def test_profiles_are_plausible(plan):
    for p in plan.peers:
        assert 1 <= p.seniority <= 5
        assert 1 <= p.reform_stage <= 5
        assert p.gender in ("female", "male", "")
        assert 1 <= len(p.languages) <= 3
        assert all(pycountry.languages.get(alpha_2=code) for code in p.languages)
        assert set(p.reform_areas) <= THEME_SLUGS
        assert p.position in KINDS[p.organisation.kind].positions[p.seniority - 1]
    assert Counter(p.gender for p in plan.peers)[""] >= 10  # some leave it blank
    assert sum(len(p.languages) >= 2 for p in plan.peers) >= 150  # often two languages
    assert len({p.seniority for p in plan.peers}) == 5
    assert len({p.organisation.type for p in plan.peers}) >= 6


def test_most_peers_have_one_or_two_challenges_and_up_to_two_experiences(plan):
    challenges = Counter(len(p.challenges) for p in plan.peers)
    experiences = Counter(len(p.experiences) for p in plan.peers)
    assert all(p.challenges or p.experiences for p in plan.peers)
    assert challenges[1] + challenges[2] >= 0.8 * len(plan.peers)
    assert set(experiences) <= {0, 1, 2}
    roles = Counter(
        "both" if p.challenges and p.experiences else "seeker" if p.challenges else "provider"
        for p in plan.peers
    )
    assert min(roles.values()) >= 20


def test_visibility_is_mostly_platform_with_some_of_every_level(plan):
    statements = [s for p in plan.peers for s in (*p.challenges, *p.experiences)]
    levels = Counter(s.visibility for s in statements)
    assert levels[Visibility.PLATFORM] > len(statements) / 2
    assert levels[Visibility.PUBLIC] and levels[Visibility.ALLIANCE] and levels[Visibility.PRIVATE]
    profiles = Counter(p.visibility for p in plan.peers)
    assert profiles[Visibility.PLATFORM] > len(plan.peers) / 2
    assert set(profiles) == set(Visibility.values)


def test_texts_are_varied_and_read_like_two_to_four_sentences(plan):
    statements = [s for p in plan.peers for s in (*p.challenges, *p.experiences)]
    descriptions = [s.description for s in statements]
    assert len(set(descriptions)) == len(descriptions)
    for text in descriptions:
        sentences = re.findall(r"[.!?](?:\s|$)", text)
        assert 2 <= len(sentences) <= 4, text
        assert "{" not in text and "}" not in text, text
    assert len({s.topic for s in statements}) >= 45


def test_complementary_pairs_exist_across_countries(plan):
    """One peer's experience answers another's challenge, across a border, on most topics."""
    demand, supply = defaultdict(set), defaultdict(set)
    for p in plan.peers:
        for s in p.challenges:
            demand[s.topic].add(p.country)
        for s in p.experiences:
            supply[s.topic].add(p.country)
    crossing = [t for t in demand if any(a != b for a in demand[t] for b in supply[t])]
    assert len(crossing) >= 35


def test_alliance_slots_become_members_who_raise_challenges_there(plan):
    for alliance in ALLIANCES:
        members = [p for p in plan.peers if p.alliance == alliance.slug]
        assert len(members) == len(alliance.slots)
        assert {p.country for p in members} == {s.country for s in alliance.slots}
        linked = [s for p in members for s in (*p.challenges, *p.experiences) if s.alliance]
        assert linked and all(s.alliance == alliance.slug for s in linked)
        assert all(s.theme == alliance.theme or s.theme for s in linked)


def test_authorisations_are_given_by_someone_in_the_same_organisation(plan):
    orgs = {a.username: a.organisation for a in plan.authorisers}
    peers = {p.username: p for p in plan.peers}
    assert len(plan.authorisations) >= 30
    assert {d.status for d in plan.authorisations} == {"granted", "requested", "declined"}
    for d in plan.authorisations:
        assert peers[d.peer].organisation == orgs[d.authoriser]
        assert (d.decided_days_ago is None) == (d.status == "requested")


def test_every_organisation_kind_and_theme_has_topics():
    for kind in KINDS.values():
        assert sum(len(topics_for(theme, kind.key)) for theme, _ in kind.themes) >= 4, kind.key
        for theme, _ in kind.themes:
            assert theme in THEME_SLUGS
            assert topics_for(theme, kind.key), (kind.key, theme)
    assert {t.theme for t in TOPICS} == THEME_SLUGS
    assert set(THEME_AREAS) == THEME_SLUGS


def test_every_fragment_fills_its_placeholders():
    import random

    ctx = numbers(random.Random(0))
    ctx.update(
        we="our county",
        We="Our county",
        unit="county",
        units="counties",
        money="KES 65 million",
        our_org="KRA",
        lang_name="Kiswahili",
        area="reform",
    )
    fragments = [
        *CHALLENGE_OPENERS,
        *CHALLENGE_CONSTRAINTS,
        *EXPERIENCE_OPENERS,
        *EXPERIENCE_OFFERS,
        *BIOS,
    ]
    for topic in TOPICS:
        fragments += [*topic.situations, *topic.asks, *topic.actions, *topic.results]
    for fragment in fragments:
        fields = {f for _, f, _, _ in string.Formatter().parse(fragment) if f}
        assert fields <= set(ctx), (fragment, fields - set(ctx))
        assert fragment.format_map(ctx).endswith((".", "?", "!")), fragment


def test_country_data_is_valid():
    codes = [c.code for c in COUNTRIES]
    assert len(set(codes)) == len(codes) >= 35
    for country in COUNTRIES:
        assert pycountry.countries.get(alpha_2=country.code), country.code
        for code, _ in country.languages:
            assert pycountry.languages.get(alpha_2=code), code
            assert code in LANGUAGE_NAMES
        orgs = country_organisations(country)
        assert len({o.name for o, _ in orgs}) == len(orgs), country.code
        assert all(o.kind in KINDS for o, _ in orgs)


def test_organisations_are_named_as_people_say_them():
    def org(name: str, acronym: str = "") -> OrgPlan:
        return OrgPlan(name, acronym, "ministry", "KE", "finance_ministry")

    assert org_phrase(org("Kenya Revenue Authority", "KRA")) == "KRA"
    assert org_phrase(org("Ministry of Finance of Georgia")) == "the Ministry of Finance of Georgia"
    assert org_phrase(org("Mutare City Council")) == "Mutare City Council"


def test_slug_ascii():
    assert slug_ascii("Nguyễn Thị Lan") == "nguyen-thi-lan"
    assert slug_ascii("Đặng") == "dang"
    assert slug_ascii("N'Guessan") == "nguessan"


def test_a_negative_number_of_peers_is_refused():
    with pytest.raises(ValueError, match="negative"):
        build_plan(peers=-1)


def test_a_plan_larger_than_a_countrys_names_tells_namesakes_apart() -> None:
    """Thousands of peers outgrow a country's names (``peerlearn demo --peers 20000``):
    middle initials keep people apart, then namesakes are allowed; user names stay unique."""
    import dataclasses
    import random

    from peerlearn.demo.data.countries import BY_CODE
    from peerlearn.demo.generate import _Names

    tiny = dataclasses.replace(BY_CODE["KE"], women=("Amina",), men=("Otieno",), surnames=("Were",))
    names = _Names([], [])
    rng = random.Random(1)
    drawn = [names.draw(rng, tiny, female=bool(i % 2)) for i in range(60)]
    people = [name for name, _ in drawn]
    usernames = [username for _, username in drawn]
    assert len(set(usernames)) == 60
    assert {"Amina Were", "Otieno Were"} <= set(people)
    assert any(p.startswith("Amina ") and p.endswith(". Were") for p in people)
    assert len(set(people)) > 20  # initials, not the two plain names only
