# ruff: noqa: E501 - prose and names read best one per line
"""Kinds of organisation synthetic peers work in: their type, the themes they work on and
the positions people hold there, by seniority (1 entry level … 5 executive)."""

from __future__ import annotations

from dataclasses import dataclass

from peerlearn.organisations.models import OrganisationType as T


@dataclass(frozen=True)
class Kind:
    key: str
    type: str
    #: How a member refers to their organisation in a sentence ("our ministry"); for local
    #: governments the country's own word is used instead ("our county", "our commune").
    we: str
    unit: str
    units: str
    #: (theme slug, weight): what people in this kind of organisation work on.
    themes: tuple[tuple[str, int], ...]
    #: Positions by seniority level 1..5.
    positions: tuple[tuple[str, ...], ...]
    #: How often this kind is drawn for a synthetic peer, relative to the others.
    weight: float = 1.0


def _k(
    key: str,
    type_: str,
    we: str,
    unit: str,
    units: str,
    themes: str,
    positions: str,
    weight: float = 1.0,
) -> Kind:
    theme_pairs = tuple(
        (slug.strip(), int(w)) for slug, w in (t.split(":") for t in themes.split())
    )
    ladder = tuple(
        tuple(p.strip() for p in level.split(";")) for level in positions.strip().split("\n")
    )
    assert len(ladder) == 5, key
    return Kind(key, type_, we, unit, units, theme_pairs, ladder, weight)


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        _k(
            "finance_ministry",
            T.MINISTRY,
            "our ministry",
            "ministry",
            "ministries",
            "revenue-pfm:5 procurement:2 open-government:2 decentralisation:2 "
            "climate-finance:1 gender-inclusion:1 centre-of-government:1 digital-government:1",
            """Assistant Economist; Budget Assistant
            Budget Officer; Economist, Macro-Fiscal Unit; Tax Policy Analyst
            Head of Tax Policy Unit; Principal Budget Officer; Head of Cash Management
            Director of Budget; Director of Fiscal Policy; Director of Intergovernmental Fiscal Relations
            Permanent Secretary; Deputy Minister; Director-General of the Budget""",
            2.0,
        ),
        _k(
            "revenue_authority",
            T.AGENCY,
            "our authority",
            "revenue authority",
            "revenue authorities",
            "revenue-pfm:5 digital-government:3 anti-corruption:2 civil-service-hr:1 "
            "service-delivery:1",
            """Tax Officer; Customer Service Assistant
            Tax Auditor; Domestic Taxes Officer; Data Analyst, Risk Unit
            Manager, Taxpayer Services; Head of Risk Management; Audit Team Leader
            Deputy Commissioner, Domestic Taxes; Director of Strategy and Modernisation
            Commissioner General; Deputy Commissioner General""",
            2.0,
        ),
        _k(
            "parliament",
            T.PARLIAMENT,
            "our parliament",
            "parliament",
            "parliaments",
            "parliaments-evidence:5 open-government:2 revenue-pfm:1 gender-inclusion:1",
            """Research Assistant; Assistant Committee Clerk
            Research Officer; Committee Clerk; Budget Analyst, Parliamentary Budget Office
            Head of Research Services; Principal Clerk, Public Accounts Committee; Chief Librarian
            Director of Research and Information; Director, Parliamentary Budget Office
            Member of Parliament; Clerk of Parliament; Chair, Budget Committee""",
            1.5,
        ),
        _k(
            "civil_service",
            T.AGENCY,
            "our commission",
            "commission",
            "commissions",
            "civil-service-hr:5 gender-inclusion:2 digital-government:1 centre-of-government:1",
            """HR Assistant; Records Assistant
            Human Resource Officer; Training Officer; Recruitment Specialist
            Head of Performance Management; Principal HR Officer; Head of Learning and Development
            Director of HR Policy; Director of Recruitment and Selection
            Commissioner; Permanent Secretary, Public Service""",
        ),
        _k(
            "cabinet",
            T.MINISTRY,
            "our office",
            "office",
            "offices",
            "centre-of-government:5 civil-service-hr:2 open-government:2 statistics-data:1",
            """Policy Assistant; Programme Assistant
            Policy Analyst; Monitoring and Evaluation Officer
            Senior Policy Adviser; Team Leader, Delivery Unit
            Director of Policy Coordination; Head of the Delivery Unit
            Secretary to the Cabinet; Chief of Staff""",
        ),
        _k(
            "procurement",
            T.AGENCY,
            "our authority",
            "procurement authority",
            "procurement authorities",
            "procurement:5 anti-corruption:2 digital-government:2",
            """Procurement Assistant
            Procurement Officer; Compliance Analyst
            Head of e-Procurement; Manager, Monitoring and Compliance
            Director of Policy and Standards; Director of Capacity Building
            Director-General; Chief Executive Officer""",
        ),
        _k(
            "audit",
            T.AGENCY,
            "our office",
            "audit office",
            "audit offices",
            "anti-corruption:4 procurement:2 revenue-pfm:1",
            """Audit Assistant
            Auditor; Performance Auditor
            Audit Manager; Head of IT Audit
            Director of Performance Audit; Assistant Auditor-General
            Deputy Auditor-General; Auditor-General""",
        ),
        _k(
            "anti_corruption",
            T.AGENCY,
            "our commission",
            "commission",
            "commissions",
            "anti-corruption:5 justice-rule-of-law:1 open-government:1",
            """Investigations Assistant
            Investigator; Prevention Officer; Asset Declaration Analyst
            Head of Corruption Prevention; Senior Investigator
            Director of Prevention; Director of Investigations
            Commissioner; Secretary and Chief Executive""",
        ),
        _k(
            "statistics",
            T.AGENCY,
            "our office",
            "statistics office",
            "statistics offices",
            "statistics-data:5 open-government:2 digital-government:1 gender-inclusion:1",
            """Statistical Assistant
            Statistician; Data Scientist
            Head of Governance Statistics; Principal Statistician
            Director of Methodology; Director of Social Statistics
            Statistician-General; Deputy Director-General""",
        ),
        _k(
            "service_agency",
            T.AGENCY,
            "our agency",
            "agency",
            "agencies",
            "service-delivery:5 digital-government:3 anti-corruption:1",
            """Front Office Agent; Customer Care Assistant
            Service Centre Supervisor; Business Analyst
            Centre Manager; Head of Service Standards
            Director of Service Delivery; Director of Digital Services
            Chief Executive Officer; Deputy Chairperson""",
        ),
        _k(
            "think_tank",
            T.THINK_TANK,
            "our institute",
            "institute",
            "institutes",
            "parliaments-evidence:2 revenue-pfm:2 decentralisation:2 extractives:1 "
            "climate-finance:1 open-government:1 statistics-data:1",
            """Research Assistant
            Research Fellow; Policy Analyst
            Senior Research Fellow; Programme Manager
            Director of Research; Programme Director
            Executive Director""",
        ),
        _k(
            "ngo",
            T.CIVIL_SOCIETY,
            "our organisation",
            "organisation",
            "organisations",
            "open-government:3 anti-corruption:3 gender-inclusion:2 extractives:1 "
            "decentralisation:1 procurement:1 justice-rule-of-law:1",
            """Programme Assistant
            Programme Officer; Advocacy Officer
            Programme Manager; Head of Research and Advocacy
            Deputy Executive Director
            Executive Director; Board Chair""",
        ),
        _k(
            "environment",
            T.AGENCY,
            "our agency",
            "agency",
            "agencies",
            "climate-finance:5 anti-corruption:1",
            """Environment Officer
            Climate Finance Officer; Project Officer, Green Climate Fund Readiness
            Head of Climate Finance Unit; Safeguards Specialist
            Director of Climate Change; Director of Finance and Administration
            Executive Director; Permanent Secretary""",
        ),
        _k(
            "development_bank",
            T.AGENCY,
            "our bank",
            "bank",
            "banks",
            "climate-finance:5 anti-corruption:1",
            """Credit Analyst
            Climate Finance Analyst; Compliance Officer
            Head of Environmental and Social Safeguards; Manager, Green Finance
            Chief Risk Officer; General Manager, Climate Finance
            Deputy Managing Director""",
        ),
        _k(
            "mining",
            T.AGENCY,
            "our agency",
            "agency",
            "agencies",
            "extractives:5 revenue-pfm:1",
            """Mining Cadastre Assistant
            Mining Engineer; Revenue Analyst
            Head of Mining Cadastre; Manager, Fiscal Regime
            Director of Mines; Director of Licensing
            Chief Executive; Permanent Secretary""",
        ),
        _k(
            "intergovernmental",
            T.AGENCY,
            "our commission",
            "commission",
            "commissions",
            "decentralisation:5 revenue-pfm:2",
            """Research Assistant
            Fiscal Analyst
            Principal Fiscal Analyst; Head of Revenue Sharing
            Director of Intergovernmental Relations
            Commissioner; Chairperson""",
        ),
        _k(
            "justice",
            T.AGENCY,
            "our judiciary",
            "court system",
            "court systems",
            "justice-rule-of-law:5 digital-government:1",
            """Court Clerk
            Registry Officer; Legal Officer
            Deputy Registrar; Head of Case Management
            Registrar; Director of Planning and Performance
            Chief Registrar; Permanent Secretary, Justice""",
        ),
        _k(
            "local_government",
            T.LOCAL_GOVERNMENT,
            "",
            "",
            "",
            "revenue-pfm:4 decentralisation:4 service-delivery:2 digital-government:2 "
            "open-government:1 procurement:1 anti-corruption:1 civil-service-hr:1",
            """Revenue Clerk; Assistant Market Superintendent
            Revenue Officer; Budget Officer; ICT Officer, Revenue Systems; Planning Officer
            Head of Revenue Enforcement; Principal Revenue Officer; Head of Budget; Head of Citizen Services
            Director of Revenue; Director of Finance; Director of Planning
            City Manager; Deputy Mayor; Head of Finance and Administration""",
            3.0,
        ),
    )
}
