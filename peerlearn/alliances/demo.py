"""The alliances' part of the demo story: the Kenyan alliance has answered the Learning
Guide's pre-foundational and Phase 1 questions, its facilitator keeps a note on electoral
timing, and one invitation by e-mail is still open."""

from __future__ import annotations

import datetime

from peerlearn.accounts.models import User
from peerlearn.alliances.models import (
    AllianceInvitation,
    ChecklistAnswer,
    InvitationSource,
    LearningAlliance,
    MemberRole,
    RiskKind,
    RiskNote,
)
from peerlearn.demo.data import kenya

#: The Kenyan alliance's answers (question key → answer), in the counties' own context.
ANSWERS: dict[str, str] = {
    "pre-reform_type": (
        "Fiscal decentralisation: raising and administering the counties' own-source revenue "
        "(single business permits, property rates, parking and market fees) under the 2010 "
        "Constitution's devolved system."
    ),
    "pre-network": (
        "No network of county revenue directors existed. The Council of Governors' finance "
        "committee and CEG's budget work gave us contacts in the seven counties."
    ),
    "pre-theory_of_change": (
        "If revenue staff in comparable counties share what worked (automation, staff "
        "rotation, performance contracts), each county adopts what fits and own-source "
        "revenue rises. Gaps from the pre-assessment: weak policies and laws, no integrated "
        "automation, political interference, weak incentives and sanctions, no performance "
        "contracts, low budgets, staff capacity, and little public understanding of taxes."
    ),
    "pre-why_peers": (
        "Counties trust other counties more than consultants: they face the same laws, "
        "politics and systems. Peers are the revenue directors and their core staff from "
        "Makueni, Kisumu, Kilifi, Nakuru, Kakamega, Machakos and Nyeri, with a resource peer "
        "from the Kenya Revenue Authority."
    ),
    "pre-who_learns": (
        "Counties with weaker collection learn automation from Makueni and Nakuru, staff "
        "rotation from Kisumu and performance contracts from Kilifi; all learn from KRA's "
        "expert input on enforcement."
    ),
    "pre-success": (
        "Each county's monthly own-source revenue against the same month last year, and "
        "whether a change work plan item was adopted (a law, a contract, a system), reviewed "
        "at each meeting and at six months."
    ),
    "pre-duration": (
        "Six months funded by SPARKS!, which will be too short: we plan for a second year "
        "with county budget support."
    ),
    "pre-activities": (
        "An opening workshop, smaller meetings on each priority, county-to-county visits with "
        "coaching and mentoring, and a change work plan per county."
    ),
    "p1-convening": (
        "A two-day workshop in Naivasha with all seven county teams, to agree on the "
        "knowledge gaps and choose the priority reform areas."
    ),
    "p1-selection": (
        "Counties applied; seven were chosen (two more than planned) for comparable revenue "
        "bases. Peers were matched on shared challenges rather than paired in advance."
    ),
    "p1-as_people": (
        "All core revenue staff came regardless of grade; in the safe space everyone spoke "
        "as a practitioner, not for their county's position."
    ),
    "p1-topics": (
        "The counties' own pre-assessment produced the eight gaps; the peers ranked them and "
        "chose four priority reform areas."
    ),
    "p1-buy_in": (
        "The facilitator met national government officials and each county's Chief Officer "
        "for Finance before the workshop; they became champions of the process."
    ),
    "p1-differences": (
        "Mixed seniority was managed by the facilitator's ground rules for the safe space, "
        "and by small groups per priority where junior staff lead the discussion."
    ),
}

RISK_TITLE = "County elections and the change of county executives"
RISK_BODY = (
    "The alliance began just after the 2017 general election, when new and re-elected county "
    "governments were keen to show results: a good moment. The next general election will "
    "bring campaign pressure on revenue (waivers on market and parking fees) and may change "
    "the Chief Officers who authorised the peers. Agree the change work plans with the county "
    "assemblies' finance committees well before the campaign, and brief incoming executives."
)
INVITED_EMAIL = "revenue.director.kitui@demo.example.org"


def seed_demo(today: datetime.date) -> None:
    alliance = LearningAlliance.objects.filter(slug=kenya.ALLIANCE_SLUG).first()
    if alliance is None:
        return
    facilitator = (
        User.objects.filter(
            alliance_memberships__alliance=alliance,
            alliance_memberships__role=MemberRole.FACILITATOR,
        )
        .order_by("id")
        .first()
    )
    for key, answer in ANSWERS.items():
        ChecklistAnswer.objects.get_or_create(
            alliance=alliance,
            question=key,
            defaults={"answer": answer, "answered_by": facilitator},
        )
    RiskNote.objects.get_or_create(
        alliance=alliance,
        title=RISK_TITLE,
        defaults={"kind": RiskKind.ELECTORAL, "body": RISK_BODY, "written_by": facilitator},
    )
    if not AllianceInvitation.objects.filter(alliance=alliance, email=INVITED_EMAIL).exists():
        AllianceInvitation.objects.create(
            alliance=alliance,
            email=INVITED_EMAIL,
            name="Director of Revenue, Kitui County",
            role=MemberRole.PEER,
            source=InvitationSource.EMAIL,
            invited_by=facilitator,
        )
