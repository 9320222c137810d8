"""The EIP Peer-to-Peer Learning Guide's questions for each stage of an alliance (§2, §3).

Each question has a stable key (stored with the alliance's answer) and its wording, close to
the guide's, as a translatable string. The order here is the order on the page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Question:
    key: str
    stage: int
    text: Promise


def _q(stage: int, key: str, text: Promise) -> Question:
    return Question(key=key, stage=stage, text=text)


# The stages' numbers (``AllianceStage``, which imports this module for its choices).
_PRE, _P1, _P2, _P3, _P4 = 0, 1, 2, 3, 4

QUESTIONS: tuple[Question, ...] = (
    # Pre-foundational: preparing the engagement.
    _q(_PRE, "pre-reform_type", _("What type of reform is the peer learning meant to support?")),
    _q(_PRE, "pre-network", _("Is there an existing peer network to build on?")),
    _q(
        _PRE,
        "pre-theory_of_change",
        _("What is the theory of change, and what are the knowledge gaps?"),
    ),
    _q(_PRE, "pre-why_peers", _("Why engage peers, and which peers?")),
    _q(_PRE, "pre-who_learns", _("Who will learn what from whom?")),
    _q(_PRE, "pre-success", _("How and when will success be measured?")),
    _q(_PRE, "pre-duration", _("How long will the peers engage?")),
    _q(_PRE, "pre-activities", _("Which activities will the engagement use?")),
    # Phase 1: foundational peer group engagement.
    _q(_P1, "p1-convening", _("What is the convening event or tool?")),
    _q(_P1, "p1-selection", _("How are the right peers selected and matched?")),
    _q(
        _P1,
        "p1-as_people",
        _("How are peers engaged as people, not as representatives of their agencies?"),
    ),
    _q(_P1, "p1-topics", _("How do the peers and their organisations define the topics?")),
    _q(_P1, "p1-buy_in", _("How is buy-in secured?")),
    _q(_P1, "p1-differences", _("How are differences between peers managed?")),
    # Phase 2: sustained contact between individuals.
    _q(_P2, "p2-follow_up", _("What follow-up proposals and resources are there?")),
    _q(_P2, "p2-trust", _("How are trust and motivation kept up?")),
    _q(
        _P2,
        "p2-authority",
        _("How do peers keep the authority of their home organisations?"),
    ),
    _q(_P2, "p2-means", _("Do the peers have the time and the means to engage?")),
    # Phase 3: learning outcomes.
    _q(
        _P3,
        "p3-gains",
        _(
            "What learning gains are expected: technical; flexibility and humility; "
            "political savvy?"
        ),
    ),
    _q(
        _P3,
        "p3-communication",
        _("How is learning communicated, evaluated and reported, and on what timeline?"),
    ),
    _q(_P3, "p3-funders", _("Do the funders accept the assessment plan?")),
    _q(_P3, "p3-tools", _("Which evaluation tools are used?")),
    # Phase 4: learning applied at scale.
    _q(_P4, "p4-impacts", _("What reform impacts are expected, and when?")),
    _q(
        _P4,
        "p4-path",
        _("What is the path from individual learning to organisational results?"),
    ),
    _q(
        _P4,
        "p4-home_open",
        _(
            "Are the home organisations open to learning: do they change their goals, give "
            "time and resources, and not punish returning peers?"
        ),
    ),
    _q(_P4, "p4-shared_forward", _("Has each peer shared forward what they learned?")),
)

QUESTIONS_BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}


def questions_for(stage: int) -> list[Question]:
    """The guide's questions of one stage, in order."""
    return [q for q in QUESTIONS if q.stage == stage]


QUESTION_CHOICES = [(q.key, q.key) for q in QUESTIONS]
