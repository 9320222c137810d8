"""Plain, frozen value types shared by every part of the matching engine.

Nothing here imports Django: the platform converts its models into these records and the
results back, so the engine can be run, tested and benchmarked on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from peerlearn.matching.messages import NO_MESSAGE, Message

Role = Literal["seeker", "provider", "both"]
ROLES: tuple[Role, ...] = ("seeker", "provider", "both")

#: Seniority at or above this level counts as "senior" (teams with senior staff adopted
#: lessons faster, case 5 of the paper).
SENIOR_LEVEL = 4


@dataclass(frozen=True, slots=True)
class Peer:
    """One individual who may be matched: an organisation, a country, texts and attributes.

    ``languages`` are ISO 639-1 codes, ``country`` an ISO 3166-1 alpha-2 code. ``gender`` is
    optional ("" means not stated) and only used for the gender-share rule.
    """

    id: str
    name: str = ""
    organisation: str = ""
    organisation_type: str = ""
    country: str = ""
    languages: tuple[str, ...] = ()
    gender: str = ""
    seniority: int = 1
    reform_stage: int = 1
    challenge: str = ""
    experience: str = ""
    role: Role = "both"
    theme: str = ""

    @property
    def is_senior(self) -> bool:
        return self.seniority >= SENIOR_LEVEL

    @property
    def seeks(self) -> bool:
        return self.role in ("seeker", "both")

    @property
    def provides(self) -> bool:
        return self.role in ("provider", "both")


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    """How the parts of the similarity score are mixed.

    ``challenge``: two peers face similar challenges (Type II, common challenges);
    ``complementary``: one peer's experience answers the other's challenge (directional);
    ``theme``, ``stage``, ``organisation_type``: bonus when the structured field is equal
    (``stage`` is the paper's "same stage of the reform cycle").

    ``peer_vector`` is not a weight but how groups combine the two texts: True adds each
    peer's challenge and experience (weighted by ``challenge`` and ``complementary``) into
    one unit vector and scores two peers by its cosine; False mixes the texts' cosines as
    above (see :mod:`peerlearn.matching.similarity`). Pairs always use the directional
    score.

    The defaults are those of the *common challenges* method (see
    :mod:`peerlearn.matching.methods`, which sets them per method): the texts decide, and
    reform stage and organisation type count only when a method asks for them.
    """

    challenge: float = 1.0
    complementary: float = 1.0
    theme: float = 0.2
    stage: float = 0.0
    organisation_type: float = 0.0
    peer_vector: bool = True

    def __post_init__(self) -> None:
        for name in ("challenge", "complementary", "theme", "stage", "organisation_type"):
            if getattr(self, name) < 0:
                raise ValueError(f"score weight {name} must be >= 0")


def _pairs(items: Iterable[Iterable[str]]) -> frozenset[frozenset[str]]:
    out: set[frozenset[str]] = set()
    for item in items:
        pair = frozenset(item)
        if len(pair) != 2:
            raise ValueError(f"an excluded pair needs two different ids, got {sorted(pair)}")
        out.add(pair)
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class GroupRules:
    """Hard constraints for Type II learning groups; every field can be relaxed.

    ``max_gender_share`` applies "where the pool allows it": when one gender already makes up
    more than that share of the pool, groups may hold that gender up to its pool share.
    ``pinned`` lists sets of ids that must end up in the same group.
    """

    min_size: int = 10
    max_size: int = 12
    common_language: bool = True
    min_countries: int = 1
    max_per_org: int | None = None
    max_gender_share: float | None = None
    min_senior: int = 0
    same_stage: bool = False
    excluded: frozenset[frozenset[str]] = frozenset()
    pinned: tuple[frozenset[str], ...] = ()

    def __post_init__(self) -> None:
        if self.min_size < 2 or self.max_size < self.min_size:
            raise ValueError("group sizes need 2 <= min_size <= max_size")
        if self.min_countries < 1:
            raise ValueError("min_countries must be >= 1")
        if self.max_per_org is not None and self.max_per_org < 1:
            raise ValueError("max_per_org must be >= 1")
        if self.max_gender_share is not None and not 0 < self.max_gender_share <= 1:
            raise ValueError("max_gender_share must be in (0, 1]")
        if self.min_senior < 0:
            raise ValueError("min_senior must be >= 0")
        object.__setattr__(self, "excluded", _pairs(self.excluded))
        object.__setattr__(self, "pinned", tuple(frozenset(p) for p in self.pinned if p))


@dataclass(frozen=True, slots=True)
class PairRules:
    """Hard constraints for Type I pairs (a seeker learns from a provider).

    A provider serves at most ``provider_capacity`` seekers. Peers with role ``both`` can be
    a seeker in one pair and a provider in others, but never paired with themselves.
    ``pinned`` holds (seeker, provider) pairs that must be kept.
    """

    provider_capacity: int = 1
    common_language: bool = True
    different_organisation: bool = True
    excluded: frozenset[frozenset[str]] = frozenset()
    pinned: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.provider_capacity < 1:
            raise ValueError("provider_capacity must be >= 1")
        object.__setattr__(self, "excluded", _pairs(self.excluded))
        object.__setattr__(self, "pinned", tuple((s, p) for s, p in self.pinned))


@dataclass(frozen=True, slots=True)
class TeamRules:
    """Hard constraints for a problem-focused team of exactly ``size`` peers.

    ``country`` keeps the team inside one country (the paper's "agencies involved in tackling
    a problem in a particular country"); ``pinned`` ids must be in the team.
    """

    size: int = 5
    common_language: bool = True
    max_per_org: int | None = None
    min_countries: int = 1
    country: str | None = None
    max_gender_share: float | None = None
    min_senior: int = 0
    excluded: frozenset[frozenset[str]] = frozenset()
    pinned: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.size < 1:
            raise ValueError("team size must be >= 1")
        if self.max_per_org is not None and self.max_per_org < 1:
            raise ValueError("max_per_org must be >= 1")
        if self.max_gender_share is not None and not 0 < self.max_gender_share <= 1:
            raise ValueError("max_gender_share must be in (0, 1]")
        object.__setattr__(self, "excluded", _pairs(self.excluded))
        object.__setattr__(self, "pinned", frozenset(self.pinned))


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken hard constraint, found by a checker; ``ids`` are the peers involved."""

    constraint: str
    message: str
    ids: tuple[str, ...] = ()
    group: int | None = None


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A peer left out, and why (``reason.text`` is the English sentence)."""

    id: str
    reason: Message

    def to_json(self) -> dict[str, Any]:
        structured = self.reason.to_json()
        return {
            "id": self.id,
            "reason": structured["text"],
            "code": structured["code"],
            "params": structured["params"],
        }


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """Why (part of) a request could not be met, and the smallest relaxation that works.

    ``relaxation`` maps a rule field to the value that makes the request feasible
    (for example ``{"min_senior": 1}``); it is empty when no single relaxation helps. It is
    found for its rule on its own, so other rules may still keep the peers out:
    ``relaxation_places`` says whether that setting alone places at least one of the
    left-out peers the diagnosis is about in the final grouping (see
    :mod:`peerlearn.matching.groups.relaxations`), and is None when that was not checked.
    When it is False, ``relaxation_blocked_by`` names the rule that still keeps them apart,
    as the checker names it (a constraint code such as ``max_per_org``); otherwise None.
    """

    constraint: str
    message: Message
    relaxation: dict[str, Any] = field(default_factory=dict)
    relaxation_places: bool | None = None
    relaxation_blocked_by: str | None = None

    def to_json(self) -> dict[str, Any]:
        structured = self.message.to_json()
        return {
            "constraint": self.constraint,
            "message": structured["text"],
            "relaxation": self.relaxation,
            "relaxation_places": self.relaxation_places,
            "relaxation_blocked_by": self.relaxation_blocked_by,
            "code": structured["code"],
            "params": structured["params"],
        }


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one member brings to, and seeks from, a group, pair or team."""

    id: str
    brings: Message
    seeks: Message


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a group, pair or team was formed. Every sentence is a :class:`Message`;
    ``to_json`` gives their English texts, and the same under ``messages`` structured."""

    summary: Message
    reasons: tuple[Message, ...] = ()
    shared_concepts: tuple[str, ...] = ()
    contributions: tuple[Contribution, ...] = ()

    def to_json(self) -> dict[str, Any]:
        # Each sentence is rendered once, for both its plain text and its structured form:
        # a large pool's result holds hundreds of thousands of them.
        summary = self.summary.to_json() if self.summary else None
        reasons = [r.to_json() for r in self.reasons]
        contributions: list[dict[str, Any]] = [
            {"id": c.id, "brings": c.brings.to_json(), "seeks": c.seeks.to_json()}
            for c in self.contributions
        ]
        return {
            "summary": summary["text"] if summary is not None else self.summary.text,
            "reasons": [r["text"] for r in reasons],
            "shared_concepts": list(self.shared_concepts),
            "contributions": [
                {"id": c["id"], "brings": c["brings"]["text"], "seeks": c["seeks"]["text"]}
                for c in contributions
            ],
            "messages": {"summary": summary, "reasons": reasons, "contributions": contributions},
        }


EMPTY_EXPLANATION = Explanation(summary=NO_MESSAGE)


@dataclass(frozen=True, slots=True)
class Group:
    """A learning group, a team, or a pair (then ``seeker`` and ``provider`` are set).

    ``score`` is the mean similarity over the ordered member pairs (for pairs: the pair's
    own score); ``language`` is a working language every member speaks, when one exists.
    """

    members: tuple[str, ...]
    score: float
    language: str | None = None
    explanation: Explanation = EMPTY_EXPLANATION
    seeker: str | None = None
    provider: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"members": list(self.members)}
        if self.seeker is not None:
            out["seeker"] = self.seeker
            out["provider"] = self.provider
        out["score"] = round(self.score, 6)
        out["language"] = self.language
        out["explanation"] = self.explanation.to_json()
        return out


Kind = Literal["groups", "pairs", "team"]


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The outcome of a matching run.

    ``objective`` is what the solver maximised; ``bound`` is a proven upper bound on it (or
    None when none is known) and ``gap`` = (bound - objective) / max(|bound|, 1e-9).
    ``optimal`` is True only when optimality was proven. On large pools, ``block_bound``
    counts each peer's best partners inside its own block only, and ``block_gap`` the
    distance to it: how close the search came within the blocks it was given (the gap to
    ``bound`` also counts what cutting the pool into blocks may cost, and is looser).
    """

    kind: Kind
    groups: tuple[Group, ...]
    unmatched: tuple[Unmatched, ...]
    objective: float
    bound: float | None
    gap: float | None
    optimal: bool = False
    diagnostics: tuple[Diagnosis, ...] = ()
    solver: str = ""
    seconds: float = 0.0
    encoder: str = ""
    block_bound: float | None = None
    block_gap: float | None = None

    def member_lists(self) -> list[list[str]]:
        return [list(g.members) for g in self.groups]

    def pair_list(self) -> list[tuple[str, str]]:
        return [(g.seeker, g.provider) for g in self.groups if g.seeker and g.provider]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "groups": [g.to_json() for g in self.groups],
            "unmatched": [u.to_json() for u in self.unmatched],
            "objective": round(self.objective, 6),
            "bound": None if self.bound is None else round(self.bound, 6),
            "gap": None if self.gap is None else round(self.gap, 6),
            **(
                {
                    "block_bound": round(self.block_bound, 6),
                    "block_gap": None if self.block_gap is None else round(self.block_gap, 6),
                }
                if self.block_bound is not None
                else {}
            ),
            "optimal": self.optimal,
            "diagnostics": [d.to_json() for d in self.diagnostics],
            "solver": self.solver,
            "encoder": self.encoder,
            "seconds": round(self.seconds, 3),
        }


def gap_of(objective: float, bound: float | None) -> float | None:
    """Relative gap between an objective and an upper bound (0 means proven optimal)."""
    if bound is None:
        return None
    return max(0.0, (bound - objective) / max(abs(bound), 1e-9))


def index_peers(peers: Sequence[Peer]) -> dict[str, int]:
    """Map ids to positions, refusing duplicates (a duplicate id makes results ambiguous)."""
    index: dict[str, int] = {}
    for i, peer in enumerate(peers):
        if peer.id in index:
            raise ValueError(f"duplicate peer id {peer.id!r}")
        index[peer.id] = i
    return index
