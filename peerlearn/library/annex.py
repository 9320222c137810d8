"""The first entries of the case library: the lessons of the eight illustrative cases in
the paper's Annex 1, written for peerlearn in our own words. They are public content,
loaded on ``migrate`` (``migrations/0002_annex_cases.py``) and again by the demo, which
also links each to its registry entry (``key`` is the initiative's slug)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SOURCE = (
    "EIP and NSGI (2018), The Future of Peer-to-Peer Learning and Partnerships in the New "
    "Development Agenda, Annex 1"
)


@dataclass(frozen=True)
class CaseSeed:
    key: str
    title: str
    summary: str
    body: str
    countries: tuple[str, ...]
    themes: tuple[str, ...]
    tags: tuple[str, ...]
    link: str
    lessons: tuple[str, ...]


CASES: tuple[CaseSeed, ...] = (
    CaseSeed(
        key="better-government-kyrgyzstan",
        title="Better Government Kyrgyzstan: starting small with civil-service peers",
        summary=(
            "Kyrgyz civil servants worked beside serving and former UK civil servants on "
            "problem analysis and skills; new skills met old structures, so the second "
            "phase turned to the structures themselves."
        ),
        body=(
            "A cohort of Kyrgyz officials learned problem analysis and problem solving from "
            "British counterparts who had held similar posts. They did so on top of their "
            "day jobs, which made the time asked of them the main cost.\n\n"
            "People came out thinking differently, but could rarely use the new skills in "
            "unchanged organisations. The programme therefore moved on to the structures "
            "and working practices in which those skills are used."
        ),
        countries=("KG", "GB"),
        themes=("civil-service-hr", "centre-of-government"),
        tags=("skills", "political commitment", "translation"),
        link="https://www.gov.uk/government/organisations/stabilisation-unit/about",
        lessons=(
            "Begin with a small peer project so that everyone gets used to the way of "
            "working before a larger reform is attempted.",
            "Skills learned from peers need structures that let people use them; plan "
            "the organisational change alongside the training.",
            "A local political adviser can bridge the government and the partner and help "
            "past practical and cultural obstacles.",
            "Translate the concepts, not only the words: the same term can mean different "
            "things in another administration.",
            "Budget the learners' time honestly: reform work falls on people who keep "
            "doing their normal jobs.",
        ),
    ),
    CaseSeed(
        key="zambia-hrm-reform",
        title="Zambia's human resource management reform: a partnership across political cycles",
        summary=(
            "Former UK civil servants and a resident adviser supported Zambia's move to "
            "decentralised human resource management, from policy to pilot institutions; "
            "trust let the partner name the resistance to change."
        ),
        body=(
            "Since 2013 the partnership has gone from remote advice on policy to a resident "
            "adviser supporting a Zambian implementation team, adjusting its pace to what "
            "the government could absorb.\n\n"
            "Resistance grew once implementation began. A benefits-led approach mapped "
            "gains and losses to strategic objectives and to stakeholders, and shaped the "
            "reform's communication."
        ),
        countries=("ZM", "GB"),
        themes=("civil-service-hr", "decentralisation"),
        tags=("resistance to change", "long-term partnership", "pilots"),
        link="https://www.gov.uk/government/organisations/stabilisation-unit/about",
        lessons=(
            "Long reforms outlive governments: keep support across the political spectrum "
            "and keep the same people delivering where possible.",
            "Expect resistance to grow when implementation starts, and answer it with a "
            "plan of who gains and who loses.",
            "Trust lets an external peer say what insiders cannot, and lets the host accept "
            "frank advice.",
            "Match the partner's input to the host's capacity to deliver, and be ready to "
            "change pace quickly.",
            "Solutions must be made in the host country, for its own politics and culture.",
        ),
    ),
    CaseSeed(
        key="climate-finance-integrity",
        title="Climate Finance Integrity Learning Alliance: peers at different stages",
        summary=(
            "Agencies from Nepal, Morocco, Uganda, Viet Nam and India, at different stages "
            "of Green Climate Fund accreditation, learned integrity and anti-corruption "
            "safeguards from one another."
        ),
        body=(
            "Participants were chosen for where they stood in accreditation: some "
            "preparing, some finishing, some already running projects. A foundational "
            "workshop with an external facilitator built trust before any action planning.\n\n"
            "Two Nepali agencies carried the work home within weeks, with support from the "
            "country's UNDP office."
        ),
        countries=("NP", "MA", "UG", "VN", "IN", "GB"),
        themes=("climate-finance", "anti-corruption"),
        tags=("accreditation", "facilitation", "mixed stages"),
        link="https://www.transparency.org/",
        lessons=(
            "Mix peers at different stages of the same process: those ahead answer the "
            "questions of those behind.",
            "Spend the first meeting on trust; the agenda can follow the peers' own needs.",
            "A professional facilitator who applies adult-learning principles makes scarce "
            "face-to-face time count.",
            "Learning on a national priority keeps peers motivated.",
            "Action plans need money and technical support after the workshop to change "
            "anything at scale.",
        ),
    ),
    CaseSeed(
        key="evidence-in-african-parliaments",
        title="Evidence in African Parliaments: demand-driven learning and a resource portal",
        summary=(
            "Members and staff of five African parliaments learned from peers in other "
            "parliaments how to use evidence in their work; the alliance grew beyond its "
            "first members and kept its material in a shared portal."
        ),
        body=(
            "The alliance brought members of parliament and parliamentary staff together, "
            "within and across parliaments. Ideas for action came from the parliamentarians "
            "themselves, and staff champions carried them between peers.\n\n"
            "Material was gathered in an online portal so that what one parliament learned "
            "was there for the next."
        ),
        countries=("GH", "UG", "ZW", "KE", "MW"),
        themes=("parliaments-evidence",),
        tags=("resource portal", "champions", "demand-driven"),
        link="https://www.inasp.info/",
        lessons=(
            "Let the learners set the demand: the best ideas for action came from the "
            "parliamentarians themselves.",
            "A few committed champions among the staff keep information moving between peers.",
            "Working relations between members and staff are a result in their own right.",
            "Keep the alliance's material in one shared place so that later members can "
            "build on it.",
        ),
    ),
    CaseSeed(
        key="fiscal-decentralisation-kenya",
        title="Fiscal decentralisation in Kenya: county peers on own-source revenue",
        summary=(
            "Kenyan county staff working on revenue met as peers, whatever their rank, to "
            "plan changes in their own counties; the timing after the 2017 elections helped, "
            "and six months proved too short."
        ),
        body=(
            "Instead of pairing counties as planned, the alliance held peer sessions on the "
            "issues that came up and had each county draft its own plan for change.\n\n"
            "Everyone with a part in revenue mobilisation and administration was invited, "
            "from several departments and levels of seniority."
        ),
        countries=("KE",),
        themes=("decentralisation", "revenue-pfm"),
        tags=("own-source revenue", "timing", "seniority"),
        link="https://www.ceg.or.ke/",
        lessons=(
            "When the issues are many and linked, group sessions can serve better than "
            "fixed pairs.",
            "Inside the safe space everyone is a peer, whatever their seniority; say so and "
            "hold to it.",
            "Facilitators need to know the subject but should not act as the expert.",
            "Start when people want change — a new term of office is such a moment.",
            "Staff from different departments and levels break silos and deepen the discussion.",
            "Allow more than six months for changes to show.",
        ),
    ),
    CaseSeed(
        key="ella",
        title="ELLA: Latin American and African peers learning online and on study tours",
        summary=(
            "Evidence and Lessons from Latin America linked policymakers, researchers and "
            "practitioners across two continents through online courses, learning groups, "
            "study tours and small awards to apply what they learned."
        ),
        body=(
            "Hundreds of professionals followed structured online courses on a private "
            "platform; groups of ten to twelve met around them, some travelled to see "
            "their peers' work, and small bursaries helped them apply it at home.\n\n"
            "The programme recorded hundreds of instances of knowledge used in policy and "
            "practice debates."
        ),
        countries=(),
        themes=("extractives", "open-government", "gender-inclusion", "justice-rule-of-law"),
        tags=("online course", "study tour", "translation", "co-production"),
        link="http://ella.practicalaction.org/",
        lessons=(
            "Matching supply with demand takes close knowledge of both contexts.",
            "Decide early how broad the group of learners is: it shapes the whole programme.",
            "Working across languages needs time and money, or knowledge is lost in translation.",
            "Involve both sides in examining context; ideally they produce the knowledge together.",
            "Small grants help people put what they learned into practice.",
        ),
    ),
    CaseSeed(
        key="astana-hub-public-service-delivery",
        title="Astana Hub: one-stop shops compared by their own peers",
        summary=(
            "Azerbaijan, Georgia and Kazakhstan compared their public service centres, "
            "wrote case studies of their good practice and planned a shared handbook for "
            "the region."
        ),
        body=(
            "At the first workshop each country presented its one-stop-shop approach and "
            "the problems met on the way, including how to prevent corruption and keep "
            "staff professional.\n\n"
            "The peers then wrote case studies of their own practice and discussed them "
            "together, as groundwork for a handbook others in the region could use."
        ),
        countries=("AZ", "GE", "KZ"),
        themes=("service-delivery", "anti-corruption"),
        tags=("one-stop shop", "handbook", "case studies"),
        link="http://www.regionalhub.org/",
        lessons=(
            "Ask at the start whether peers want an alliance at all; their agreement gives "
            "it weight.",
            "Peers who write up their own practice learn from doing it, and leave material "
            "for others.",
            "A shared product, such as a handbook, keeps the group working between meetings.",
            "An outside example can inspire, but peers with similar systems are the ones "
            "who adapt it.",
        ),
    ),
    CaseSeed(
        key="open-government-partnership",
        title="Open Government Partnership: independent reports that keep peers honest",
        summary=(
            "Governments and civil society write open-government action plans together; an "
            "Independent Reporting Mechanism assesses each country's progress every year "
            "and publishes its data openly."
        ),
        body=(
            "From eight founding countries the partnership grew to more than seventy, and "
            "to sub-national governments.\n\n"
            "Independent reports judge how action plans are made and carried out, and "
            "recommend improvements; they are meant to start a conversation between "
            "government and citizens."
        ),
        countries=(),
        themes=("open-government",),
        tags=("independent reporting", "open data", "action plans"),
        link="https://www.opengovpartnership.org",
        lessons=(
            "Independent, regular reporting gives peers a common measure of progress.",
            "Publishing the assessments as open data lets anyone check them and reuse them.",
            "Reform plans written by government and civil society together are more likely "
            "to be carried out.",
            "Reports should end with practical recommendations, so that they lead to action.",
        ),
    ),
)


def load_annex_cases(*, Case: Any, CaseLesson: Any, Tag: Any, Theme: Any, Country: Any) -> int:
    """Create the Annex cases that are missing (by ``key``); never overwrite an edited one.
    Takes model classes so that a migration can pass its historical models. Returns how
    many were created."""
    created = 0
    for seed in CASES:
        if Case.objects.filter(key=seed.key).exists():
            continue
        case = Case.objects.create(
            key=seed.key,
            title=seed.title,
            summary=seed.summary,
            body=seed.body,
            source=SOURCE,
            link=seed.link,
            visibility="public",
            status="published",
        )
        case.themes.set(Theme.objects.filter(slug__in=seed.themes))
        case.countries.set(Country.objects.filter(code__in=seed.countries))
        case.tags.set([Tag.objects.get_or_create(name=t)[0] for t in seed.tags])
        CaseLesson.objects.bulk_create(
            [CaseLesson(case=case, position=n, text=t) for n, t in enumerate(seed.lessons, 1)]
        )
        created += 1
    return created


def ensure_annex_cases() -> int:
    """Load the Annex cases if missing, e.g. after a test database flush."""
    from peerlearn.core.models import Country, Theme
    from peerlearn.library.models import Case, CaseLesson, Tag

    return load_annex_cases(Case=Case, CaseLesson=CaseLesson, Tag=Tag, Theme=Theme, Country=Country)


def annex_cases_link() -> int:
    """Link each Annex case to its initiative in the registry, where both are there and the
    case has none yet; return how many were linked."""
    from peerlearn.initiatives.models import Initiative
    from peerlearn.library.models import Case

    initiatives = {i.slug: i for i in Initiative.objects.filter(slug__in=[c.key for c in CASES])}
    linked = 0
    for case in Case.objects.filter(key__in=list(initiatives), initiative__isnull=True):
        case.initiative = initiatives[case.key]
        case.save(update_fields=["initiative", "updated_at"])
        linked += 1
    return linked
