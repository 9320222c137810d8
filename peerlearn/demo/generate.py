"""The synthetic part of the demo as a plan: plain values, no database.

``build_plan(seed=…, peers=…)`` is a pure function: the same seed and number always give the
same plan, whatever the machine. Each peer is drawn from its own random stream
(``Random(f"{seed}:peer:{i}")``), so peer *i* does not depend on how many peers follow it:
asking for 400 peers after 300 adds 100 and leaves the first 300 as they were.

The first peers fill the member slots of the small alliances (``data.alliances``); the next
ones visit every country once, so that even a small plan covers them all; the rest are
spread by each country's weight.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from peerlearn.access.visibility import Visibility
from peerlearn.demo.data.alliances import ALLIANCES, Slot
from peerlearn.demo.data.countries import BY_CODE, COUNTRIES, CountrySeed
from peerlearn.demo.data.kinds import KINDS, Kind
from peerlearn.demo.data.topics import (
    BIOS,
    CHALLENGE_CONSTRAINTS,
    CHALLENGE_OPENERS,
    EXPERIENCE_OFFERS,
    EXPERIENCE_OPENERS,
    TOPICS,
    Topic,
)

DEFAULT_SEED = 2018  # the year of the paper
DEFAULT_PEERS = 300
EMAIL_DOMAIN = "demo.example.org"  # reserved for examples (RFC 2606): nothing is ever sent

#: Theme names in lower case, for biographies ("I have worked on civil service reform…").
THEME_AREAS: dict[str, str] = {
    "revenue-pfm": "revenue and public financial management",
    "civil-service-hr": "civil service and HR reform",
    "parliaments-evidence": "evidence for parliaments",
    "service-delivery": "public service delivery",
    "climate-finance": "climate finance integrity",
    "open-government": "open government",
    "decentralisation": "decentralisation and local government finance",
    "procurement": "public procurement",
    "anti-corruption": "integrity and anti-corruption",
    "centre-of-government": "coordination at the centre of government",
    "digital-government": "digital government",
    "statistics-data": "statistics and data",
    "justice-rule-of-law": "justice reform",
    "gender-inclusion": "gender and inclusion",
    "extractives": "extractive industries governance",
}

#: English names of the working languages used in the country data.
LANGUAGE_NAMES: dict[str, str] = {
    "am": "Amharic",
    "ar": "Arabic",
    "ay": "Aymara",
    "az": "Azerbaijani",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "fr": "French",
    "hi": "Hindi",
    "id": "Indonesian",
    "ka": "Georgian",
    "kk": "Kazakh",
    "ky": "Kyrgyz",
    "ne": "Nepali",
    "pt": "Portuguese",
    "ru": "Russian",
    "rw": "Kinyarwanda",
    "sw": "Kiswahili",
    "vi": "Vietnamese",
    "tl": "Tagalog",
    "ha": "Hausa",
    "yo": "Yoruba",
    "ig": "Igbo",
    "wo": "Wolof",
    "tw": "Twi",
    "ny": "Chichewa",
    "sn": "Shona",
    "nd": "Ndebele",
    "zu": "Zulu",
    "af": "Afrikaans",
    "xh": "Xhosa",
    "om": "Oromo",
    "qu": "Quechua",
}


# --- the plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgPlan:
    name: str
    acronym: str
    type: str
    country: str
    kind: str


@dataclass(frozen=True)
class StatementPlan:
    kind: str  # "challenge" (demand) or "experience" (supply)
    theme: str
    topic: str
    title: str
    description: str
    visibility: str
    alliance: str = ""  # slug of the alliance it was raised in


@dataclass(frozen=True)
class PeerPlan:
    index: int
    username: str
    name: str
    email: str
    gender: str
    organisation: OrgPlan
    position: str
    seniority: int
    reform_stage: int
    languages: tuple[str, ...]
    reform_areas: tuple[str, ...]
    bio: str
    visibility: str
    challenges: tuple[StatementPlan, ...]
    experiences: tuple[StatementPlan, ...]
    alliance: str = ""
    alliance_role: str = ""

    @property
    def country(self) -> str:
        return self.organisation.country


@dataclass(frozen=True)
class AuthoriserPlan:
    username: str
    name: str
    email: str
    organisation: OrgPlan
    position: str


@dataclass(frozen=True)
class AuthorisationPlan:
    peer: str  # username
    authoriser: str  # username
    status: str  # "requested", "granted" or "declined"
    scope: str
    requested_days_ago: int
    decided_days_ago: int | None


@dataclass(frozen=True)
class Plan:
    seed: int
    peers: tuple[PeerPlan, ...]
    authorisers: tuple[AuthoriserPlan, ...]
    authorisations: tuple[AuthorisationPlan, ...]
    organisations: tuple[OrgPlan, ...] = field(default=())


# --- small helpers ----------------------------------------------------------------------


def slug_ascii(text: str) -> str:
    """``"Nguyễn Thị"`` → ``"nguyen-thi"``: ASCII letters, digits and hyphens."""
    text = text.replace("Đ", "D").replace("đ", "d").replace("'", "")
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    items = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return rng.choices(items, weights=weights, k=1)[0]


def _feminine(surname: str) -> str:
    return surname + "a" if surname.endswith(("ov", "ev", "in")) else surname


def _money(rng: random.Random, country: CountrySeed) -> str:
    """An amount between roughly USD 200,000 and 8 million, in local currency, rounded to
    two significant figures as people write them: "KES 65 million", "JOD 570,000"."""
    usd = rng.choice([0.2, 0.3, 0.5, 0.8, 1.2, 2.0, 3.5, 5.0, 8.0])
    amount = float(f"{usd * 1_000_000 * country.usd_rate:.2g}")
    if amount >= 1e9:
        return f"{country.currency} {amount / 1e9:g} billion"
    if amount >= 1e6:
        return f"{country.currency} {amount / 1e6:g} million"
    return f"{country.currency} {amount:,.0f}"


def numbers(rng: random.Random) -> dict[str, Any]:
    """The numeric placeholders statement fragments use."""
    year = rng.randint(2014, 2023)
    return {
        "pct": rng.randint(15, 45),
        "pct_small": rng.randint(5, 15),
        "pct_high": rng.randint(80, 95),
        "pct_exec": rng.randint(50, 75),
        "pct_reg": rng.randint(40, 75),
        "pct_women": rng.randint(10, 25),
        "n": rng.randint(3, 12),
        "n_big": f"{rng.randrange(120, 2500, 10):,}",
        "n_mps": rng.randrange(150, 360, 10),
        "n_years": rng.randint(2, 5),
        "n_obs": rng.randint(8, 25),
        "n_reports": rng.randrange(30, 210, 10),
        "months": rng.randint(4, 18),
        "months_late": rng.randint(2, 5),
        "weeks": rng.randint(3, 10),
        "days": rng.choice([14, 21, 30, 45, 60, 90]),
        "days_short": rng.choice([2, 3, 5, 7, 10]),
        "year": year,
        "year_later": min(year + rng.randint(2, 5), 2024),
        "year_old": rng.randint(1985, 2008),
        "year_plan": rng.choice(["2023–2027", "2024–2028", "2025–2029"]),
        "year_next": rng.randint(2026, 2028),
        "years": rng.randint(3, 25),
        "year_joined": rng.randint(2005, 2021),
    }


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- organisations ------------------------------------------------------------------------


def country_organisations(country: CountrySeed) -> list[tuple[OrgPlan, float]]:
    """Every organisation a synthetic peer of ``country`` may work in, with its weight."""
    out: list[tuple[OrgPlan, float]] = []
    for kind_key, name, acronym in country.organisations:
        kind = KINDS[kind_key]
        out.append((OrgPlan(name, acronym, kind.type, country.code, kind_key), kind.weight))
    local = KINDS["local_government"]
    for place in country.localities:
        org = OrgPlan(country.local_template.format(place), "", local.type, country.code, local.key)
        out.append((org, local.weight * 2 / len(country.localities)))
    return out


def _slot_org(slot: Slot) -> OrgPlan:
    for org, _ in country_organisations(BY_CODE[slot.country]):
        if org.name == slot.organisation:
            return org
    raise ValueError(f"alliance slot: no organisation {slot.organisation!r} in {slot.country}")


def _slots() -> list[tuple[str, Slot]]:
    return [(a.slug, s) for a in ALLIANCES for s in a.slots]


# --- texts ----------------------------------------------------------------------------------


def topics_for(theme: str, kind: str) -> list[Topic]:
    """Topics on ``theme`` that fit an organisation of ``kind``."""
    return [t for t in TOPICS if t.theme == theme and (not t.kinds or kind in t.kinds)]


_NEEDS_ARTICLE = frozenset(
    {
        "Administration",
        "Agency",
        "Akimat",
        "Audit",
        "Bureau",
        "Cabinet",
        "Central",
        "Chamber",
        "City",
        "Civil",
        "Commission",
        "County",
        "Department",
        "Directorate",
        "Federal",
        "General",
        "Government",
        "Greater",
        "House",
        "Income",
        "Information",
        "Inland",
        "Inspectorate",
        "Institute",
        "Judiciary",
        "Lok",
        "Mazhilis",
        "Ministry",
        "Mining",
        "National",
        "Office",
        "Public",
        "Revenue",
        "State",
        "Supreme",
    }
)


def org_phrase(org: OrgPlan) -> str:
    """How a member names their organisation mid-sentence: "KRA", "the Ministry of Finance"."""
    if org.acronym:
        return org.acronym
    first = org.name.split()[0]
    return f"the {org.name}" if first in _NEEDS_ARTICLE else org.name


def _context(
    rng: random.Random, org: OrgPlan, kind: Kind, country: CountrySeed, language: str
) -> dict[str, Any]:
    if kind.key == "local_government":
        we, unit, units = f"our {country.local_unit}", country.local_unit, country.local_units
    else:
        we, unit, units = kind.we, kind.unit, kind.units
    ctx = numbers(rng)
    ctx.update(
        we=we,
        We=_cap(we),
        unit=unit,
        units=units,
        money=_money(rng, country),
        our_org=org_phrase(org),
        lang_name=LANGUAGE_NAMES.get(language, language),
    )
    return ctx


def _usable(fragments: Iterable[str], language: str) -> list[str]:
    # "We work mainly in English…" says nothing; keep language remarks for other languages.
    return [f for f in fragments if language != "en" or "{lang_name}" not in f]


def _paired(rng: random.Random, titles: Sequence[str], index: int) -> str:
    # Titles, asks and results are written in the order of the situations or actions.
    return titles[index] if index < len(titles) else rng.choice(titles)


def compose_challenge(
    rng: random.Random, topic: Topic, ctx: dict[str, Any], language: str
) -> tuple[str, str]:
    """(title, description): an optional opener, a situation, an ask, an optional constraint."""
    sentences = []
    if rng.random() < 0.25:
        sentences.append(rng.choice(CHALLENGE_OPENERS))
    i = rng.randrange(len(topic.situations))
    sentences.append(topic.situations[i])
    sentences.append(_paired(rng, topic.asks, i))
    if rng.random() < 0.5:
        sentences.append(rng.choice(_usable(CHALLENGE_CONSTRAINTS, language)))
    text = " ".join(s.format_map(ctx) for s in sentences)
    return _paired(rng, topic.challenge_titles, i), text


def compose_experience(
    rng: random.Random, topic: Topic, ctx: dict[str, Any], language: str
) -> tuple[str, str]:
    """(title, description): an optional opener, what was done, its result, an optional offer."""
    sentences = []
    if rng.random() < 0.25:
        sentences.append(rng.choice(EXPERIENCE_OPENERS))
    i = rng.randrange(len(topic.actions))
    sentences.append(topic.actions[i])
    sentences.append(_paired(rng, topic.results, i))
    if rng.random() < 0.6:
        sentences.append(rng.choice(_usable(EXPERIENCE_OFFERS, language)))
    text = " ".join(s.format_map(ctx) for s in sentences)
    return _paired(rng, topic.experience_titles, i), text


_STATEMENT_VISIBILITY = (
    (Visibility.PLATFORM, 72),
    (Visibility.PUBLIC, 15),
    (Visibility.ALLIANCE, 8),
    (Visibility.PRIVATE, 5),
)
_PROFILE_VISIBILITY = (
    (Visibility.PLATFORM, 78),
    (Visibility.PUBLIC, 15),
    (Visibility.ALLIANCE, 5),
    (Visibility.PRIVATE, 2),
)


# --- people -----------------------------------------------------------------------------------


def _person_name(rng: random.Random, country: CountrySeed, female: bool) -> tuple[str, str, str]:
    """(full name, given name, family name) in the country's name order."""
    given = rng.choice(country.women if female else country.men)
    family = rng.choice(country.surnames)
    if female and country.feminine_surnames:
        family = _feminine(family)
    if country.name_order == "eastern":
        return f"{family} {given}", given, family
    if country.name_order == "two-surnames":
        second = rng.choice([s for s in country.surnames if s != family])
        return f"{given} {family} {second}", given, family
    return f"{given} {family}", given, family


class _Names:
    """Names, user names and texts already used, so every person and text is distinct."""

    def __init__(self, names: Iterable[str], usernames: Iterable[str]) -> None:
        self.names = set(names)
        self.usernames = set(usernames)
        self.texts: set[str] = set()

    def draw(self, rng: random.Random, country: CountrySeed, female: bool) -> tuple[str, str]:
        for attempt in range(400):
            name, given, family = _person_name(rng, country, female)
            if attempt >= 200:
                # A large plan (thousands of peers) outgrows a country's first and family
                # names: a middle initial tells namesakes apart, as directories do.
                initial = rng.choice("ABCDEFGHIJKLMNOPRSTW")
                name = name.replace(given, f"{given} {initial}.", 1)
            if name not in self.names:
                break
        # Beyond that, two people share a name (their user names still differ).
        self.names.add(name)
        base = f"{slug_ascii(given)}.{slug_ascii(family)}"
        username, n = base, 2
        while username in self.usernames:
            username, n = f"{base}{n}", n + 1
        self.usernames.add(username)
        return name, username


def _languages(rng: random.Random, country: CountrySeed) -> tuple[str, ...]:
    first, *others = country.languages
    chosen = [first[0]] + [code for code, p in others if rng.random() < p]
    return tuple(chosen[:3])


def _pick_topics(
    rng: random.Random, kind: Kind, count: int, first_theme: str, avoid: set[str]
) -> list[Topic]:
    chosen: list[Topic] = []
    for i in range(count):
        theme = first_theme if (i == 0 and first_theme) else _weighted(rng, kind.themes)
        options = [t for t in topics_for(theme, kind.key) if t.key not in avoid]
        if not options:
            options = [
                t for th, _ in kind.themes for t in topics_for(th, kind.key) if t.key not in avoid
            ]
        if not options:  # pragma: no cover - every kind has at least four topics (tested)
            options = topics_for(theme, kind.key)
        topic = rng.choice(options)
        avoid.add(topic.key)
        chosen.append(topic)
    return chosen


def plan_peer(
    seed: int, index: int, names: _Names, *, country: str = "", slot: tuple[str, Slot] | None = None
) -> PeerPlan:
    """Synthetic peer number ``index``, from its own random stream."""
    rng = random.Random(f"{seed}:peer:{index}")
    alliance, role = "", ""
    if slot is not None:
        alliance, s = slot
        role = s.role
        org = _slot_org(s)
        seed_country = BY_CODE[s.country]
    else:
        seed_country = (
            BY_CODE[country] if country else _weighted(rng, [(c, c.weight) for c in COUNTRIES])
        )
        org = _weighted(rng, country_organisations(seed_country))
    kind = KINDS[org.kind]
    female = rng.random() < 0.5
    name, username = names.draw(rng, seed_country, female)
    gender = "" if rng.random() < 0.12 else ("female" if female else "male")
    seniority = _weighted(rng, [(1, 10), (2, 28), (3, 30), (4, 22), (5, 10)])
    position = rng.choice(kind.positions[seniority - 1])
    languages = _languages(rng, seed_country)

    # Demand and supply: most peers have 1–2 challenges and 0–2 experiences.
    n_chal = _weighted(rng, [(0, 10), (1, 55), (2, 35)])
    n_exp = (
        _weighted(rng, [(1, 60), (2, 40)])
        if n_chal == 0
        else _weighted(rng, [(0, 35), (1, 45), (2, 20)])
    )
    slot_theme = slot[1].theme if slot else ""
    if slot and role == "resource":
        n_exp = max(n_exp, 1)
    elif slot:
        n_chal = max(n_chal, 1)
    stage_weights = (
        [(1, 5), (2, 15), (3, 30), (4, 35), (5, 15)]
        if n_exp
        else [(1, 25), (2, 30), (3, 25), (4, 15), (5, 5)]
    )
    reform_stage = _weighted(rng, stage_weights)
    used: set[str] = set()
    chal_topics = _pick_topics(rng, kind, n_chal, "" if role == "resource" else slot_theme, used)
    exp_topics = _pick_topics(rng, kind, n_exp, slot_theme if role == "resource" else "", used)

    def statements(topics: list[Topic], kind_name: str) -> tuple[StatementPlan, ...]:
        out = []
        for i, topic in enumerate(topics):
            ctx = _context(rng, org, kind, seed_country, languages[0])
            compose = compose_challenge if kind_name == "challenge" else compose_experience
            for _ in range(6):  # a few tries at a text nobody else wrote
                title, text = compose(rng, topic, ctx, languages[0])
                if text not in names.texts:
                    break
            names.texts.add(text)
            visibility = _weighted(rng, _STATEMENT_VISIBILITY)
            in_alliance = ""
            if slot and i == 0 and topic.theme == slot_theme:
                # Raised in the alliance; often kept inside its safe space.
                in_alliance = alliance
                visibility = Visibility.ALLIANCE if rng.random() < 0.5 else Visibility.PLATFORM
            out.append(
                StatementPlan(
                    kind_name, topic.theme, topic.key, title, text, visibility, in_alliance
                )
            )
        return tuple(out)

    challenges = statements(chal_topics, "challenge")
    experiences = statements(exp_topics, "experience")
    areas = list(dict.fromkeys(t.theme for t in chal_topics + exp_topics))
    if len(areas) < 3 and rng.random() < 0.5:
        extra = _weighted(rng, kind.themes)
        if extra not in areas:
            areas.append(extra)
    bio = ""
    if rng.random() < 0.7:
        ctx = _context(rng, org, kind, seed_country, languages[0])
        ctx["area"] = THEME_AREAS[areas[0]] if areas else "public sector reform"
        bio = rng.choice(BIOS).format_map(ctx)
    return PeerPlan(
        index=index,
        username=username,
        name=name,
        email=f"{username}@{EMAIL_DOMAIN}",
        gender=gender,
        organisation=org,
        position=position,
        seniority=seniority,
        reform_stage=reform_stage,
        languages=languages,
        reform_areas=tuple(areas[:3]),
        bio=bio,
        visibility=_weighted(rng, _PROFILE_VISIBILITY),
        challenges=challenges,
        experiences=experiences,
        alliance=alliance,
        alliance_role=role,
    )


_SCOPES = (
    "Peer exchanges on {area} with counterparts in other countries for the coming year; no "
    "sharing of personal or taxpayer-level data.",
    "Taking part in peerlearn: a public profile, challenges and experiences on {area}, and "
    "learning alliances the director approves.",
    "Sharing our experience of {area} with peers, including one study visit hosted by us.",
    "Joining a learning alliance on {area} and reporting what was learned to the management "
    "team every quarter.",
)


def _authorisations(
    seed: int, peers: Sequence[PeerPlan], names: _Names
) -> tuple[list[AuthoriserPlan], list[AuthorisationPlan]]:
    """Authorisers in some home organisations, and their decisions on their peers."""
    rng = random.Random(f"{seed}:authorisations")
    by_org: dict[OrgPlan, list[PeerPlan]] = {}
    for p in peers:
        by_org.setdefault(p.organisation, []).append(p)
    authorisers: list[AuthoriserPlan] = []
    decisions: list[AuthorisationPlan] = []
    for org, members in by_org.items():
        in_alliance = any(m.alliance for m in members)
        if not in_alliance and (len(members) < 2 or rng.random() > 0.4 or len(authorisers) >= 24):
            continue
        kind = KINDS[org.kind]
        country = BY_CODE[org.country]
        name, username = names.draw(rng, country, rng.random() < 0.5)
        authoriser = AuthoriserPlan(
            username, name, f"{username}@{EMAIL_DOMAIN}", org, rng.choice(kind.positions[4])
        )
        authorisers.append(authoriser)
        for member in members[:4]:
            if member.alliance:
                status = "granted"
            else:
                status = _weighted(rng, [("granted", 55), ("requested", 35), ("declined", 10)])
            area = THEME_AREAS[member.reform_areas[0]] if member.reform_areas else "reform"
            requested = rng.randint(20, 400)
            decided = None if status == "requested" else rng.randint(1, min(requested - 1, 30))
            decisions.append(
                AuthorisationPlan(
                    member.username,
                    authoriser.username,
                    status,
                    rng.choice(_SCOPES).format(area=area),
                    requested,
                    None if decided is None else requested - decided,
                )
            )
    return authorisers, decisions


def build_plan(
    *,
    seed: int = DEFAULT_SEED,
    peers: int = DEFAULT_PEERS,
    reserved_names: Iterable[str] = (),
    reserved_usernames: Iterable[str] = (),
) -> Plan:
    """The synthetic peers, authorisers and authorisations for ``seed``.

    >>> build_plan(seed=1, peers=3) == build_plan(seed=1, peers=3)
    True
    """
    if peers < 0:
        raise ValueError("the number of peers cannot be negative")
    names = _Names(reserved_names, reserved_usernames)
    slots = _slots()
    slot_countries = {s.country for _, s in slots}
    coverage = [c.code for c in COUNTRIES if c.code not in slot_countries]
    out: list[PeerPlan] = []
    for i in range(peers):
        if i < len(slots):
            out.append(plan_peer(seed, i, names, slot=slots[i]))
        elif i < len(slots) + len(coverage):
            out.append(plan_peer(seed, i, names, country=coverage[i - len(slots)]))
        else:
            out.append(plan_peer(seed, i, names))
    authorisers, decisions = _authorisations(seed, out, names)
    organisations = tuple(dict.fromkeys(p.organisation for p in out))
    return Plan(seed, tuple(out), tuple(authorisers), tuple(decisions), organisations)
