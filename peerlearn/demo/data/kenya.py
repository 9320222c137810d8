"""The demo learning alliance, modelled on case 5 of the paper: the Fiscal Decentralisation
Learning Alliance in Kenya, facilitated by CEG with an EIP SPARKS! grant.

Seven county governments, each with its revenue director and staff of different seniority
(the alliance invited everyone with a role in revenue, whatever their rank); the eight
knowledge gaps of the pre-assessment as challenges raised in the alliance; the four priority
reform areas; and the demo sign-ins. The people are invented; the counties are real.
"""

from __future__ import annotations

from dataclasses import dataclass

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility as V

ALLIANCE_NAME = "Fiscal Decentralisation Learning Alliance in Kenya"
ALLIANCE_SLUG = "fiscal-decentralisation-kenya"
INITIATIVE_SLUG = "fiscal-decentralisation-kenya"
# A live alliance: it started a few months before the demo is loaded and, like the
# original, runs for six months.
STARTED_DAYS_AGO = 100
DURATION_DAYS = 182
PURPOSE = (
    "Seven county governments learn from each other how to raise and administer their own "
    "revenue: the laws behind it, how the revenue department is organised, performance "
    "contracts for revenue staff and the skills of the people who collect. Facilitated by "
    "the Centre for Economic Governance with a SPARKS! grant from the Effective Institutions "
    "Platform."
)
LANGUAGES = ("en", "sw")

COUNTIES = ("Makueni", "Kisumu", "Kilifi", "Nakuru", "Kakamega", "Machakos", "Nyeri")


def county_org(county: str) -> str:
    return f"County Government of {county}"


DEMO_PASSWORD = "peerlearn-demo"  # noqa: S105 - published on purpose, demo only


@dataclass(frozen=True)
class Account:
    """A demo sign-in."""

    username: str
    name: str
    role: str
    #: A county name, an agency acronym from cases.AGENCIES, or "" for none.
    organisation: str
    description: str


ACCOUNTS: tuple[Account, ...] = (
    Account(
        "peer",
        "Faith Mwende Kioko",
        Role.PEER,
        "Makueni",
        "Principal Revenue Officer, County Government of Makueni; member of the Kenya "
        "alliance, authorised by `authoriser`",
    ),
    Account(
        "facilitator",
        "Ruth Wairimu Ndirangu",
        Role.FACILITATOR,
        "CEG",
        "Centre for Economic Governance; facilitates the Kenya alliance",
    ),
    Account(
        "authoriser",
        "Joseph Kilonzo Mutiso",
        Role.AUTHORISER,
        "Makueni",
        "Chief Officer for Finance, County Government of Makueni; authorises `peer`",
    ),
    Account(
        "funder",
        "Sofia Lindberg",
        Role.FUNDER,
        "EIP",
        "Effective Institutions Platform, which funds three of the alliances",
    ),
    Account(
        "admin",
        "Platform Administrator",
        Role.ADMIN,
        "",
        "platform administrator, also signs in to the back office at /admin/",
    ),
)


@dataclass(frozen=True)
class Person:
    username: str
    name: str
    county: str
    position: str
    seniority: int
    gender: str
    reform_stage: int
    reform_areas: tuple[str, ...]
    bio: str = ""
    #: The alliance role: "peer" or "resource".
    role: str = "peer"
    #: Authorisation status from the county's authoriser ("" for none).
    authorisation: str = "granted"


REVENUE = ("revenue-pfm", "decentralisation")

PEOPLE: tuple[Person, ...] = (
    # The `peer` demo account: a full profile.
    Person(
        "peer",
        "Faith Mwende Kioko",
        "Makueni",
        "Principal Revenue Officer",
        3,
        "female",
        3,
        ("revenue-pfm", "decentralisation", "digital-government", "civil-service-hr"),
        "I have worked in county revenue since devolution in 2013, first in the markets and "
        "now coordinating collection across our revenue streams. I care about making "
        "paying fees easy for small traders and about giving our officers the skills the "
        "new systems need. Happy to exchange in English or Kiswahili.",
    ),
    Person(
        "peter.kyalo", "Peter Mutua Kyalo", "Makueni", "Director of Revenue", 4, "male", 3, REVENUE
    ),
    Person(
        "agnes.wambua",
        "Agnes Ndinda Wambua",
        "Makueni",
        "Head of Revenue Enforcement",
        3,
        "female",
        3,
        ("revenue-pfm", "anti-corruption"),
    ),
    Person(
        "brian.musyoka",
        "Brian Musyoka",
        "Makueni",
        "ICT Officer, Revenue Systems",
        2,
        "",
        3,
        ("digital-government",),
    ),
    Person(
        "george.ouma", "George Otieno Ouma", "Kisumu", "Director of Revenue", 4, "male", 4, REVENUE
    ),
    Person(
        "lilian.odhiambo",
        "Lilian Achieng Odhiambo",
        "Kisumu",
        "Revenue Officer, Bus Parks and Markets",
        2,
        "female",
        4,
        ("revenue-pfm",),
        "Eight years collecting and supervising parking and market fees in Kisumu.",
    ),
    Person(
        "fredrick.okoth",
        "Fredrick Onyango Okoth",
        "Kisumu",
        "Head of Revenue Enforcement",
        3,
        "male",
        3,
        ("revenue-pfm", "civil-service-hr"),
    ),
    Person(
        "maureen.awino",
        "Maureen Awino",
        "Kisumu",
        "Revenue Clerk",
        1,
        "female",
        3,
        ("revenue-pfm",),
    ),
    Person(
        "kazungu.katana",
        "Kazungu Katana",
        "Kilifi",
        "Director of Revenue",
        4,
        "male",
        2,
        ("decentralisation", "revenue-pfm"),
    ),
    Person(
        "mwanajuma.baya",
        "Mwanajuma Kadzo Baya",
        "Kilifi",
        "Revenue Officer, Taxpayer Education",
        2,
        "female",
        2,
        ("open-government", "revenue-pfm"),
    ),
    Person(
        "emmanuel.kahindi",
        "Emmanuel Nyevu Kahindi",
        "Kilifi",
        "Senior Legal Officer, Revenue",
        3,
        "male",
        2,
        ("decentralisation", "justice-rule-of-law"),
    ),
    Person(
        "grace.karisa",
        "Grace Dama Karisa",
        "Kilifi",
        "Chief Officer for Finance",
        5,
        "female",
        2,
        REVENUE,
    ),
    Person(
        "samuel.langat",
        "Samuel Kiprono Langat",
        "Nakuru",
        "Director of Revenue",
        4,
        "male",
        3,
        REVENUE,
    ),
    Person(
        "janet.koech",
        "Janet Chebet Koech",
        "Nakuru",
        "ICT Officer, Revenue Systems",
        2,
        "female",
        3,
        ("digital-government", "revenue-pfm"),
    ),
    Person(
        "joseph.njoroge",
        "Joseph Kamau Njoroge",
        "Nakuru",
        "Deputy Director of Revenue",
        3,
        "male",
        3,
        ("revenue-pfm",),
    ),
    Person(
        "esther.gitau",
        "Esther Wanjiku Gitau",
        "Nakuru",
        "Revenue Officer",
        2,
        "",
        3,
        ("revenue-pfm",),
    ),
    Person(
        "wycliffe.barasa",
        "Wycliffe Wafula Barasa",
        "Kakamega",
        "Director of Revenue",
        4,
        "male",
        2,
        REVENUE,
        "Appointed director of revenue in late 2017; before that I managed budgets in the "
        "county health department.",
    ),
    Person(
        "rose.wekesa",
        "Rose Nafula Wekesa",
        "Kakamega",
        "Chief Officer for Finance",
        5,
        "female",
        2,
        REVENUE,
    ),
    Person(
        "dennis.khisa",
        "Dennis Makokha Khisa",
        "Kakamega",
        "Revenue Officer, Markets",
        2,
        "male",
        2,
        ("revenue-pfm",),
    ),
    Person(
        "beatrice.simiyu",
        "Beatrice Naliaka Simiyu",
        "Kakamega",
        "Head of Revenue Budget",
        3,
        "female",
        2,
        ("revenue-pfm",),
    ),
    Person(
        "catherine.nzioka",
        "Catherine Mwikali Nzioka",
        "Machakos",
        "Chief Officer for Finance and Revenue",
        5,
        "female",
        3,
        ("civil-service-hr", "revenue-pfm"),
    ),
    Person(
        "stephen.mwangangi",
        "Stephen Kioko Mwangangi",
        "Machakos",
        "Director of Revenue",
        4,
        "male",
        4,
        ("revenue-pfm", "civil-service-hr"),
    ),
    Person(
        "mercy.muthoka",
        "Mercy Ndunge Muthoka",
        "Machakos",
        "Human Resource Officer, Revenue Department",
        2,
        "female",
        3,
        ("civil-service-hr",),
    ),
    Person(
        "collins.kimeu",
        "Collins Mutuku Kimeu",
        "Machakos",
        "Revenue Clerk",
        1,
        "male",
        3,
        ("revenue-pfm",),
        authorisation="requested",
    ),
    Person(
        "john.kariuki", "John Mwangi Kariuki", "Nyeri", "Director of Revenue", 4, "male", 3, REVENUE
    ),
    Person(
        "njeri.maina",
        "Njeri Wangari Maina",
        "Nyeri",
        "Budget Officer, Revenue",
        2,
        "female",
        3,
        ("revenue-pfm",),
    ),
    Person(
        "francis.muriuki",
        "Francis Gachanja Muriuki",
        "Nyeri",
        "Head of Revenue Enforcement",
        3,
        "male",
        4,
        ("anti-corruption", "revenue-pfm"),
    ),
    Person(
        "lucy.ndungu",
        "Lucy Wambui Ndungu",
        "Nyeri",
        "Revenue Clerk",
        1,
        "female",
        3,
        ("revenue-pfm",),
        authorisation="requested",
    ),
)

#: A resource peer from the national revenue authority, for expert input (case 5).
RESOURCE_PEER = Person(
    "hassan.omar",
    "Hassan Abdi Omar",
    "KRA",
    "Manager, County Revenue Support",
    3,
    "male",
    4,
    ("digital-government", "revenue-pfm"),
    role="resource",
    authorisation="",
)
RESOURCE_ORG = ("Kenya Revenue Authority", "KRA")

#: Each county's authoriser (Makueni's is the `authoriser` demo account).
AUTHORISERS: dict[str, tuple[str, str, str]] = {
    "Kisumu": ("caroline.owino", "Caroline Adhiambo Owino", "Chief Officer for Finance"),
    "Kilifi": ("salim.ngala", "Salim Mwamburi Ngala", "County Executive Member for Finance"),
    "Nakuru": ("paul.rotich", "Paul Kibet Rotich", "Chief Officer for Finance"),
    "Kakamega": ("alfred.wasike", "Alfred Wanyama Wasike", "County Executive Member for Finance"),
    "Machakos": ("david.mbithi", "David Musau Mbithi", "County Executive Member for Finance"),
    "Nyeri": ("margaret.kimani", "Margaret Wanjiru Kimani", "Chief Officer for Finance"),
}
AUTHORISATION_SCOPE = (
    "Taking part in the Fiscal Decentralisation Learning Alliance — meetings, county visits "
    "and the alliance's space on peerlearn — including sharing the county's revenue figures "
    "with other members."
)
AUTHORISED_DAYS_BEFORE_START = 7


@dataclass(frozen=True)
class Statement:
    author: str
    kind: str  # "challenge" or "experience"
    theme: str
    title: str
    description: str
    visibility: str = V.PLATFORM
    in_alliance: bool = True


#: The eight knowledge gaps of the pre-assessment, in the paper's order, each raised by a
#: county peer; then experiences shared in the alliance; then the `peer` account's own.
STATEMENTS: tuple[Statement, ...] = (
    Statement(
        "kazungu.katana",
        "challenge",
        "decentralisation",
        "Inadequate revenue policies and laws",
        "Several of our fees are still charged under by-laws inherited from the former "
        "councils, and our annual finance act says nothing about enforcement powers or "
        "appeals. Traders took two of our charges to court this year. We want to see how "
        "other counties drafted a revenue administration act and took it through the "
        "county assembly.",
    ),
    Statement(
        "janet.koech",
        "challenge",
        "digital-government",
        "Stand-alone revenue systems that do not integrate",
        "Business permits, parking, land rates and health fees each run on a separate "
        "system from three vendors, and none feeds the county's financial system, so the "
        "weekly revenue report is compiled by hand. We want to learn how other counties "
        "integrated collection, recording, accounting and reporting, and whether a "
        "national approach to county revenue automation could work.",
    ),
    Statement(
        "wycliffe.barasa",
        "challenge",
        "revenue-pfm",
        "Political interference in revenue collection",
        "Waivers and suspensions of fees are sometimes announced at public rallies "
        "without any legal process, and enforcement officers are told to stand down in "
        "some wards. Shared in confidence within the alliance: we need practical ways to "
        "protect revenue decisions from interference while keeping the county executive "
        "on board.",
        V.ALLIANCE,
    ),
    Statement(
        "fredrick.okoth",
        "challenge",
        "civil-service-hr",
        "Incentives and sanctions that do not work",
        "Collectors who beat their targets get nothing extra and those who fall short "
        "face no consequence, so effort varies widely between streams, and the few "
        "disciplinary cases we opened have stalled. We want to learn which incentives "
        "and sanctions other counties use and how they made them stick with the unions.",
        V.ALLIANCE,
    ),
    Statement(
        "catherine.nzioka",
        "challenge",
        "civil-service-hr",
        "No performance contracts in the revenue department",
        "Only the chief officer signs a performance contract; the director of revenue and "
        "the officers below have no measurable targets. We want to cascade performance "
        "contracts through the revenue department and need examples of targets that are "
        "fair to officers who collect very different streams.",
    ),
    Statement(
        "john.kariuki",
        "challenge",
        "revenue-pfm",
        "A revenue department starved of budget",
        "The revenue department receives barely enough for salaries, with almost nothing "
        "for vehicles, receipt books, systems or taxpayer education, so we cannot reach "
        "many businesses that should be paying. We want to learn how other directors "
        "convinced the county treasury and the assembly that spending on collection pays "
        "for itself.",
    ),
    Statement(
        "peer",
        "challenge",
        "civil-service-hr",
        "Building the skills of revenue staff",
        "Many of our revenue officers came from the former local authorities and have "
        "had no training since; some struggle with the new systems and with explaining "
        "charges to taxpayers. We are looking for practical, low-cost ways to build "
        "skills, such as mentoring, job rotation or short courses run by peers.",
        V.ALLIANCE,
    ),
    Statement(
        "mwanajuma.baya",
        "challenge",
        "open-government",
        "Taxpayers who do not see why they should pay",
        "Many traders and residents see county fees as a punishment rather than a "
        "contribution, because they cannot see what the money pays for. We want to learn "
        "how other counties explained their revenue and spending to the public, for "
        "example through local radio, ward meetings or receipts that show where the "
        "money goes.",
        V.PUBLIC,
    ),
    # Experiences shared in the alliance (the results the paper reports, case 5).
    Statement(
        "lilian.odhiambo",
        "experience",
        "revenue-pfm",
        "A seasonal ticket for bus parks",
        "We replaced daily bus-park tickets for matatus with a seasonal ticket that each "
        "operator buys for all its vehicles. Parking revenue rose straight away, and "
        "because operators now pay for their members they police compliance among "
        "themselves. The change also showed how much the daily tickets had been "
        "leaking.",
    ),
    Statement(
        "francis.muriuki",
        "experience",
        "anti-corruption",
        "Rotating revenue collectors",
        "After an alliance meeting we started rotating collectors between markets and "
        "revenue streams every few weeks. Daily and weekly collection reports improved "
        "within the first month, which told us how much had been lost where the same "
        "people had stayed for years. Shared within the alliance because the figures "
        "name collection points.",
        V.ALLIANCE,
    ),
    Statement(
        "stephen.mwangangi",
        "experience",
        "civil-service-hr",
        "Performance contracts for the director of revenue and every officer",
        "We signed a performance contract with the director of revenue for the first "
        "time and cascaded it to every revenue officer, with targets per stream and a "
        "quarterly review, and amended the staff appraisal procedure to match. Officers "
        "say they now know what is expected of them.",
    ),
    Statement(
        "wycliffe.barasa",
        "experience",
        "civil-service-hr",
        "Learning a new job through peers",
        "I was appointed director of revenue just as the alliance started, and its peer "
        "sessions became my induction: within a few months I understood our main "
        "streams, the usual pitfalls and whom to call in other counties. I would pair "
        "every new director with a peer in another county.",
    ),
    Statement(
        "hassan.omar",
        "experience",
        "digital-government",
        "Common standards for county revenue systems",
        "At the national revenue authority I support counties that automate collection. "
        "Agreeing a small set of data standards and a common interface with the "
        "financial management system matters more than which vendor a county chooses; "
        "I can share the checklist we use.",
    ),
    # The `peer` account's own challenges and experiences, inside and outside the alliance.
    Statement(
        "peer",
        "challenge",
        "revenue-pfm",
        "Moving market fees to mobile payments",
        "Our county still collects most market fees in cash, and we estimate that about "
        "a third is lost between the trader and the bank. We want to learn how other "
        "counties moved to mobile payments without losing traders' goodwill, and how "
        "they coped with network outages on market days.",
        in_alliance=False,
    ),
    Statement(
        "peer",
        "challenge",
        "civil-service-hr",
        "Succession in the revenue team (draft)",
        "My own notes before raising this with the director: three of our most "
        "experienced officers retire within two years and nobody is being prepared to "
        "take over their streams.",
        V.PRIVATE,
        in_alliance=False,
    ),
    Statement(
        "peer",
        "experience",
        "digital-government",
        "A weekly revenue dashboard by stream and ward",
        "Every Monday we share a one-page dashboard with collections by stream and by "
        "ward against the same week last year, produced from the payment system with a "
        "simple spreadsheet and discussed in a thirty-minute meeting with the director. "
        "Shared within the alliance because it shows shortfalls ward by ward.",
        V.ALLIANCE,
    ),
    Statement(
        "peer",
        "experience",
        "open-government",
        "Monthly revenue clinics for market traders",
        "Once a month our officers hold an open clinic in a market where traders can "
        "check their payments, query charges and hear what last quarter's fees paid for. "
        "Complaints at the gate have fallen and more traders now pay before the "
        "deadline.",
        V.PUBLIC,
        in_alliance=False,
    ),
)

#: The four priority reform areas the counties chose (title, description).
PRIORITIES: tuple[tuple[str, str], ...] = (
    (
        "Policy and legislative framework",
        "Laws and policies that give counties a clear and enabling basis to raise and enforce "
        "their own revenue.",
    ),
    (
        "Structure and autonomy of the revenue department",
        "How the revenue function is organised, whom it reports to and how much control it has "
        "over its staff and budget.",
    ),
    (
        "Performance-based contracting of revenue staff",
        "Measurable targets for the director of revenue and every officer below, tied to "
        "appraisal.",
    ),
    (
        "Capacity-building of revenue staff",
        "Practical skills for officers in collection, systems, enforcement and taxpayer service.",
    ),
)

#: The pre-assessment began this many days before the alliance started.
PRE_ASSESSMENT_DAYS_BEFORE_START = 30

#: The stages the alliance moved through after its pre-assessment: (stage, days after the
#: start, the facilitator's note).
STAGE_HISTORY: tuple[tuple[int, int, str], ...] = (
    (
        1,
        0,
        "The seven counties met for the first time, agreed on the eight knowledge gaps from "
        "the pre-assessment and chose four priority reform areas.",
    ),
    (
        2,
        45,
        "Smaller meetings on each priority, county-to-county visits with coaching and "
        "mentoring, and a change work plan for each county.",
    ),
)
