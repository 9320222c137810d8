"""Three smaller alliances beside the Kenya one, so that lists show Type I and Type II
partnerships at different stages and visibilities. Their members are synthetic peers: the
first synthetic peers are generated into the organisations listed in ``slots``."""

from __future__ import annotations

from dataclasses import dataclass

from peerlearn.access.visibility import Visibility as V
from peerlearn.alliances.models import AllianceStage as S
from peerlearn.core.choices import PartnershipType


@dataclass(frozen=True)
class Slot:
    country: str
    #: The name of an organisation listed for ``country`` in countries.py.
    organisation: str
    #: The theme of the member's first challenge (or experience, for resource peers).
    theme: str
    role: str = "peer"


@dataclass(frozen=True)
class AllianceSeed:
    name: str
    slug: str
    theme: str
    type: str
    stage: int
    visibility: str
    languages: tuple[str, ...]
    funders: tuple[str, ...]
    initiative: str
    #: How many days before the demo is loaded the alliance started (None: not yet).
    started_days_ago: int | None
    purpose: str
    #: (username, name, agency acronym): a facilitator without a demo sign-in.
    facilitator: tuple[str, str, str]
    priorities: tuple[str, ...]
    #: Notes for each stage after the first, in order.
    stage_notes: tuple[str, ...]
    slots: tuple[Slot, ...]


ALLIANCES: tuple[AllianceSeed, ...] = (
    AllianceSeed(
        name="Climate Finance Integrity Learning Alliance",
        slug="climate-finance-integrity",
        theme="climate-finance",
        type=PartnershipType.TYPE_II,
        stage=S.FOUNDATIONAL,
        visibility=V.PLATFORM,
        languages=("en", "fr"),
        funders=("EIP", "UNDP"),
        initiative="climate-finance-integrity",
        started_days_ago=150,
        purpose=(
            "Institutions applying for, or already holding, accreditation with the Green "
            "Climate Fund learn from each other how to put integrity, anti-corruption and "
            "stakeholder-engagement policies in place, so that climate money is protected "
            "from abuse."
        ),
        facilitator=("katrin.vogel", "Katrin Vogel", "TI"),
        priorities=(
            "Fiduciary standards for accreditation",
            "Integrity and anti-corruption policies",
            "Stakeholder engagement and grievance redress",
        ),
        stage_notes=(
            "Foundational workshop: country presentations, roundtables on integrity systems "
            "and an action plan for each institution.",
        ),
        slots=(
            Slot("NP", "National Trust for Nature Conservation", "climate-finance"),
            Slot("NP", "Alternative Energy Promotion Centre", "climate-finance"),
            Slot("MA", "Agence pour le Développement Agricole", "climate-finance"),
            Slot("UG", "Ministry of Water and Environment", "climate-finance"),
            Slot("VN", "Vietnam Development Bank", "climate-finance"),
            Slot(
                "IN",
                "National Bank for Agriculture and Rural Development",
                "climate-finance",
                "resource",
            ),
            Slot("SN", "Centre de Suivi Écologique", "climate-finance", "resource"),
        ),
    ),
    AllianceSeed(
        name="Evidence in African Parliaments Learning Alliance",
        slug="evidence-in-african-parliaments",
        theme="parliaments-evidence",
        type=PartnershipType.TYPE_II,
        stage=S.LEARNING_OUTCOMES,
        visibility=V.PUBLIC,
        languages=("en",),
        funders=("EIP",),
        initiative="evidence-in-african-parliaments",
        started_days_ago=420,
        purpose=(
            "Members and staff of five parliaments strengthen the use of evidence in "
            "parliamentary work by learning from each other's research services, caucuses "
            "and events."
        ),
        facilitator=("helen.ashworth", "Helen Ashworth", "INASP"),
        priorities=(
            "Collaboration between members and staff",
            "Research services that meet members' deadlines",
            "Keeping evidence caucuses going across parliamentary terms",
        ),
        stage_notes=(
            "Foundational workshops in Accra and Kampala agreed a learning strategy: who "
            "learns what from whom, and how.",
            "Virtual meetings between members and staff; a small call funded one parliament's "
            "evidence caucus through the change of parliament.",
            "The research week first held in Uganda was replicated in Ghana.",
        ),
        slots=(
            Slot("GH", "Parliament of Ghana", "parliaments-evidence"),
            Slot("UG", "Parliament of Uganda", "parliaments-evidence", "resource"),
            Slot("ZW", "Parliament of Zimbabwe", "parliaments-evidence"),
            Slot("KE", "Parliament of Kenya", "parliaments-evidence"),
            Slot("MW", "Parliament of Malawi", "parliaments-evidence"),
            Slot("GH", "Parliament of Ghana", "parliaments-evidence"),
            Slot("UG", "Parliament of Uganda", "parliaments-evidence"),
            Slot("ZW", "Parliament of Zimbabwe", "parliaments-evidence"),
        ),
    ),
    AllianceSeed(
        name="Kyrgyz–UK Civil Service Skills Partnership",
        slug="kyrgyz-uk-civil-service-skills",
        theme="civil-service-hr",
        type=PartnershipType.TYPE_I,
        stage=S.PRE_ASSESSMENT,
        visibility=V.ALLIANCE,
        languages=("ru", "en"),
        funders=("DFID",),
        initiative="better-government-kyrgyzstan",
        started_days_ago=None,
        purpose=(
            "UK civil servants who have held similar posts work with Kyrgyz counterparts on "
            "competency-based HR practice and a monitoring unit at the centre of government, "
            "after a joint analysis of the political and institutional context."
        ),
        facilitator=("james.whitfield", "James Whitfield", "NSGI"),
        priorities=(
            "Competency-based recruitment pilots",
            "A monitoring unit at the centre of government",
        ),
        stage_notes=(),
        slots=(
            Slot("KG", "Administration of the Cabinet of Ministers", "centre-of-government"),
            Slot("KG", "Administration of the Cabinet of Ministers", "civil-service-hr"),
            Slot(
                "KG",
                "State Agency for Civil Service and Local Self-Government Affairs",
                "civil-service-hr",
            ),
            Slot(
                "KG",
                "State Agency for Civil Service and Local Self-Government Affairs",
                "civil-service-hr",
            ),
            Slot("GB", "Cabinet Office", "civil-service-hr", "resource"),
            Slot("GB", "Cabinet Office", "centre-of-government", "resource"),
        ),
    ),
)
