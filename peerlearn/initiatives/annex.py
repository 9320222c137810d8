"""The eight illustrative cases of the paper's Annex 1, as the registry's first entries.

Countries, implementers and funders follow Box 1 (§3) and the annex; types follow §3 (cases
1–2 Type I, 3–8 Type II); summaries and lessons are written for peerlearn in our own words.
The SDG targets are read from the annex's descriptions: effective, accountable institutions
(16.6) throughout; participation (16.7), corruption (16.5), developing countries' voice
(16.8), access to information (16.10) and domestic revenue (17.1) where the case is about
them. ``annex_initiatives_load`` puts them in a new platform's registry (command
``load_annex_initiatives``; the demo loads them too).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from peerlearn.access.visibility import Visibility
from peerlearn.core.choices import PartnershipType
from peerlearn.core.models import Country
from peerlearn.initiatives.models import Initiative
from peerlearn.initiatives.services import initiative_create
from peerlearn.organisations.models import Organisation
from peerlearn.organisations.models import OrganisationType as T
from peerlearn.organisations.services import organisation_create


@dataclass(frozen=True)
class OrganisationSeed:
    name: str
    acronym: str
    type: str
    country: str | None


#: The agencies Box 1 names, keyed by acronym.
AGENCIES: dict[str, OrganisationSeed] = {
    "NSGI": OrganisationSeed("National School of Government International", "NSGI", T.AGENCY, "GB"),
    "DFID": OrganisationSeed(
        "Department for International Development", "DFID", T.DEVELOPMENT_PARTNER, "GB"
    ),
    "TI": OrganisationSeed("Transparency International", "TI", T.CIVIL_SOCIETY, None),
    "EIP": OrganisationSeed("Effective Institutions Platform", "EIP", T.DEVELOPMENT_PARTNER, None),
    "UNDP": OrganisationSeed(
        "United Nations Development Programme", "UNDP", T.DEVELOPMENT_PARTNER, None
    ),
    "GIZ": OrganisationSeed(
        "Deutsche Gesellschaft für Internationale Zusammenarbeit",
        "GIZ",
        T.DEVELOPMENT_PARTNER,
        "DE",
    ),
    "INASP": OrganisationSeed(
        "International Network for the Availability of Scientific Publications",
        "INASP",
        T.CIVIL_SOCIETY,
        "GB",
    ),
    "CEG": OrganisationSeed("Centre for Economic Governance", "CEG", T.THINK_TANK, "KE"),
    "PALA": OrganisationSeed("Practical Action Latin America", "", T.CIVIL_SOCIETY, "PE"),
    "ACSH": OrganisationSeed(
        "Regional Hub of Civil Service in Astana", "ACSH", T.DEVELOPMENT_PARTNER, "KZ"
    ),
    "OGP": OrganisationSeed("Open Government Partnership", "OGP", T.OTHER, None),
}

NSGI_LINK = (
    "National School of Government International",
    "https://www.gov.uk/government/organisations/stabilisation-unit/about"
    "#the-national-school-of-government-international",
)


@dataclass(frozen=True)
class InitiativeSeed:
    name: str
    slug: str
    type: str
    countries: tuple[str, ...]
    coverage: str
    implementers: tuple[str, ...]
    funders: tuple[str, ...]
    themes: tuple[str, ...]
    started: int | None
    ended: int | None
    summary: str
    lessons: str
    links: tuple[tuple[str, str], ...] = ()
    sdg_targets: tuple[str, ...] = ("16.6",)


def _p(text: str) -> str:
    """Join a triple-quoted paragraph into one line per blank-line-separated paragraph."""
    paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
    return "\n\n".join(paragraphs)


INITIATIVES: tuple[InitiativeSeed, ...] = (
    InitiativeSeed(
        name="Better Government Kyrgyzstan",
        slug="better-government-kyrgyzstan",
        type=PartnershipType.TYPE_I,
        countries=("KG", "GB"),
        coverage="",
        implementers=("NSGI",),
        funders=("DFID",),
        themes=("civil-service-hr", "centre-of-government"),
        started=None,
        ended=None,
        summary=_p("""
            A civil service reform programme in which serving and former UK civil servants
            work alongside Kyrgyz officials who hold comparable posts, with two NSGI advisers
            and an interpreter based inside the government apparatus. It began by building a
            cohort's skills in analysing and solving problems, then widened to the
            government's organisational culture through three streams: a prime minister's
            monitoring unit, pilots of competency-based HR practice and better coordination
            across government.
        """),
        lessons=_p("""
            Start with a small peer project so both sides get used to working this way
            before taking on a large reform. A local political adviser can bridge the
            government and the partner and smooth practical and cultural obstacles.

            Translation has to be cultural as well as linguistic: working methods differ,
            and what works in one administration needs adapting in another. New skills
            change little when people go back to unchanged structures, and reformers who
            keep their day jobs need time set aside for the work.
        """),
        links=(NSGI_LINK,),
    ),
    InitiativeSeed(
        name="Government of the Republic of Zambia Human Resource Management Reform",
        slug="zambia-hrm-reform",
        type=PartnershipType.TYPE_I,
        countries=("ZM", "GB"),
        coverage="",
        implementers=("NSGI",),
        funders=("DFID",),
        themes=("civil-service-hr", "decentralisation"),
        started=2013,
        ended=2019,
        summary=_p("""
            NSGI supports Zambia in moving from highly centralised human resource management
            to decisions taken close to where employees work, as part of a wider shift of
            services to local government. Former British civil servants partner with Zambian
            officials on the policy and legal framework and on a government implementation
            team that tests the new model in pilot institutions, while a resident adviser
            provides continuity and local understanding.
        """),
        lessons=_p("""
            A transformational reform that outlasts several political cycles is risky:
            support must be kept across the political spectrum and delivery kept
            continuous. Resistance grows once implementation starts; mapping what each
            stakeholder gains and loses, and tailoring messages to them, helped the
            implementation team win people over.

            Solutions have to be made locally, and an outside partner adds most value once
            trust allows difficult conversations. The pace of outside support should follow
            what the government can absorb, with milestones reviewed often.
        """),
        links=(NSGI_LINK,),
    ),
    InitiativeSeed(
        name="Climate Finance Integrity Learning Alliance",
        slug="climate-finance-integrity",
        type=PartnershipType.TYPE_II,
        countries=("GB", "NP", "MA", "UG", "VN", "IN"),
        coverage="EU",
        implementers=("TI",),
        funders=("EIP", "UNDP", "GIZ"),
        themes=("climate-finance", "anti-corruption"),
        started=2017,
        ended=None,
        summary=_p("""
            An alliance of institutions that are seeking, or already hold, accreditation with
            the Green Climate Fund, learning from each other how to put integrity,
            anti-corruption and stakeholder-engagement policies in place. Peers were chosen
            by how far they had got in accreditation, so that those who had implemented
            projects could help those still preparing. A foundational workshop in Frankfurt
            in December 2017 moved from country presentations to roundtables and action
            plans; UNDP and GIZ helped find peers and gave facilitation time, and the Nepali
            members followed up at home with UNDP support.
        """),
        lessons=_p("""
            Demand has to be built rather than assumed: interest was not evident at first.
            Choosing peers by their stage in a shared process gives everyone something to
            teach and something to learn.

            Professional facilitation grounded in adult-learning principles made the short
            time together count, and partners' unpaid time stretched a small grant a long
            way. Carrying out the action plans and keeping the network alive needs further
            financial and technical support.
        """),
    ),
    InitiativeSeed(
        name="Evidence in African Parliaments Learning Alliance",
        slug="evidence-in-african-parliaments",
        type=PartnershipType.TYPE_II,
        countries=("GH", "UG", "ZW", "KE", "MW"),
        coverage="",
        implementers=("INASP",),
        funders=("EIP",),
        themes=("parliaments-evidence",),
        started=None,
        ended=None,
        summary=_p("""
            INASP used a SPARKS! grant to extend its work with the parliaments of Ghana,
            Uganda and Zimbabwe to Kenya and Malawi, strengthening the use of evidence
            through collaboration between members and parliamentary staff. The alliance
            combined virtual and face-to-face exchanges, a small competitive call that
            helped the Kenyan parliament's evidence caucus survive the change of parliament,
            and outreach through blogs, a public webinar and a resource portal.
        """),
        lessons=_p("""
            A demand-driven approach surfaced champions among staff and produced ideas from
            members themselves. Innovations travel between peers: a research week first run
            in Uganda was taken up in Ghana.

            Parliaments readily contribute staff time and logistics but find money harder,
            so support from several partners matters. A learning strategy stating who
            learns what from whom, even an imperfect one, gives the group a shared starting
            point, and both capacity and trust take long-term engagement.
        """),
    ),
    InitiativeSeed(
        name="Fiscal Decentralisation Learning Alliance in Kenya",
        slug="fiscal-decentralisation-kenya",
        type=PartnershipType.TYPE_II,
        countries=("KE",),
        coverage="",
        implementers=("CEG",),
        funders=("EIP",),
        themes=("decentralisation", "revenue-pfm"),
        started=2017,
        ended=2018,
        summary=_p("""
            CEG brought seven Kenyan county governments together to improve how they raise
            and administer their own revenue. A pre-assessment found eight knowledge gaps,
            from weak laws and automation to political interference and low public
            understanding of taxes, which the counties narrowed to four priority reform
            areas. An opening meeting was followed by smaller sessions on each issue,
            county-to-county visits with coaching and mentoring, and a change work plan for
            each county.
        """),
        lessons=_p("""
            Learning was not linear: open peer sessions on each issue worked better than the
            fixed pairs first planned. Inviting everyone involved in revenue, whatever their
            rank, made for rich discussion, and counties whose senior leaders took part
            adopted lessons fastest.

            Facilitators need credibility in the subject without posing as the experts.
            Starting just after an election caught counties when they were open to change,
            though six months proved too short and funding limited the alliance to seven
            counties.
        """),
    ),
    InitiativeSeed(
        name="ELLA – Evidence and Lessons from Latin America",
        slug="ella",
        type=PartnershipType.TYPE_II,
        countries=(),
        coverage="Global (Latin America and Africa)",
        implementers=("PALA",),
        funders=("DFID",),
        themes=("extractives", "open-government", "gender-inclusion", "justice-rule-of-law"),
        started=2010,
        ended=2017,
        summary=_p("""
            A programme that shared evidence and lessons from Latin America with
            policymakers, researchers and practitioners in Africa, on themes chosen with
            them: from extractive industries and climate adaptation to government
            accountability and citizen security. Peers took structured three-month online
            courses in a moderated community of practice, met in learning groups of 10 to
            12, went on study tours and received small bursaries to apply what they had
            learned. Hundreds of cases were recorded in which its knowledge informed policy
            and practice.
        """),
        lessons=_p("""
            Matching supply and demand requires close knowledge of the context on both
            sides, and an early decision on how wide the demand group should be shapes the
            whole programme.

            Moving ideas between languages and cultures must be planned and paid for, or
            knowledge is lost in translation. Context is best examined by involving both
            parties in the dialogue, ideally producing the knowledge together rather than
            handing it over.
        """),
        links=(
            ("ELLA programme", "http://ella.practicalaction.org/"),
            (
                "ELLA videos",
                "http://ella.practicalaction.org/ella-pubs/?kw=&etp%5B%5D=knowledge-multimedia",
            ),
            ("ELLA publications", "http://ella.practicalaction.org/ella-pubs/"),
        ),
    ),
    InitiativeSeed(
        name="Astana Hub: Peer Learning Alliance on Public Service Delivery",
        slug="astana-hub-public-service-delivery",
        type=PartnershipType.TYPE_II,
        countries=("AZ", "GE", "KZ"),
        coverage="",
        implementers=("ACSH",),
        funders=("UNDP",),
        themes=("service-delivery", "anti-corruption"),
        started=2016,
        ended=None,
        summary=_p("""
            Since 2016 the Astana civil service hub has convened the one-stop-shop agencies
            of three countries (Azerbaijan's ASAN Service, Georgia's Public Service Halls
            and Kazakhstan's Government for Citizens corporation) to raise the integrity and
            quality of services delivered in one place. Peer workshops, one of them with
            Canadian practitioners of citizen-centred service, led to
            country case studies and a plan for a regional handbook of good practice.
        """),
        lessons=_p("""
            Practitioners who run comparable services learn readily from each other's tools
            for preventing corruption and raising professional standards. Agreeing early to
            share experience freely and to produce something together, such as case
            studies and a handbook, builds a habit of exchange.

            The later stages of the Learning Guide, from a joint action plan to scaling up,
            need their own planning and resources.
        """),
        links=(
            (
                "Regional Hub of Civil Service in Astana",
                "http://www.regionalhub.org/peer-learning-alliance-on-public-service-delivery-2",
            ),
        ),
    ),
    InitiativeSeed(
        name="Open Government Partnership",
        slug="open-government-partnership",
        type=PartnershipType.TYPE_II,
        countries=(),
        coverage="Global",
        implementers=("OGP",),
        funders=("OGP",),
        themes=("open-government",),
        started=2011,
        ended=None,
        summary=_p("""
            Launched in 2011 as an international platform for reformers inside and outside
            government, the Open Government Partnership grew from 8 countries to more than
            70, plus a number of sub-national governments. In each, government and civil
            society develop and carry out action plans together, and the Independent
            Reporting Mechanism publishes a yearly progress report per member with technical
            recommendations.
        """),
        lessons=_p("""
            Independent, regular reporting gives reformers a shared reference and a gentle
            peer pressure to deliver their commitments. Releasing all assessment data
            openly lets anyone check, compare and reuse it.

            Co-creation between government and civil society works as a safe space for open
            discussion of reforms.
        """),
        links=(("Open Government Partnership", "https://www.opengovpartnership.org"),),
    ),
)


#: The SDG targets each initiative serves (see the module's docstring).
SDG_TARGETS = {
    "better-government-kyrgyzstan": ("16.6", "16.7"),
    "zambia-hrm-reform": ("16.6",),
    "climate-finance-integrity": ("16.5", "16.6"),
    "evidence-in-african-parliaments": ("16.6", "16.7"),
    "fiscal-decentralisation-kenya": ("16.6", "17.1"),
    "ella": ("16.6", "16.8"),
    "astana-hub-public-service-delivery": ("16.6", "16.7"),
    "open-government-partnership": ("16.6", "16.7", "16.10"),
}


def agency_get_or_create(acronym: str) -> Organisation:
    """The organisation of an agency Box 1 names: the one already listed under its name
    (and country), or a new one."""
    seed = AGENCIES[acronym]
    found = Organisation.objects.filter(name__iexact=seed.name, country_id=seed.country).first()
    if found is not None:
        return found
    return organisation_create(
        name=seed.name,
        type=seed.type,
        acronym=seed.acronym,
        country=Country.objects.get(code=seed.country) if seed.country else None,
    )


@transaction.atomic
def annex_initiatives_load() -> list[Initiative]:
    """Add the annex's initiatives the registry lacks (by slug or name), public and
    published, with their agencies; return those added. Run again, it adds nothing."""
    slugs = set(Initiative.objects.values_list("slug", flat=True))
    names = {n.lower() for n in Initiative.objects.values_list("name", flat=True)}
    added = []
    for seed in INITIATIVES:
        if seed.slug in slugs or seed.name.lower() in names:
            continue
        added.append(
            initiative_create(
                name=seed.name,
                slug=seed.slug,
                type=seed.type,
                summary=seed.summary,
                lessons=seed.lessons,
                themes=seed.themes,
                countries=seed.countries,
                coverage=seed.coverage,
                implementers=[agency_get_or_create(a) for a in seed.implementers],
                funders=[agency_get_or_create(a) for a in seed.funders],
                started=seed.started,
                ended=seed.ended,
                links=seed.links,
                sdg_targets=SDG_TARGETS.get(seed.slug, seed.sdg_targets),
                visibility=Visibility.PUBLIC,
            )
        )
    return added
