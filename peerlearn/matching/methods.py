"""The ways of matching the paper names, as a choice: each method sets the score weights and rules.

The paper (§4, "Focus on the individual") matches peers three ways — *same stage*,
*complementary* and *problem-focused* — and ELLA's Type II groups gather peers around what
they want to learn (*common challenges*). A facilitator picks one :class:`Method`; it fixes
how the parts of the similarity score are mixed (:class:`~peerlearn.matching.types.ScoreWeights`)
and which rules it adds (``same_stage`` for groups at one stage). Advanced users can still
change single weights on top (:func:`method_weights`).

==================  ================  =====================================================
method              kinds             what it does
==================  ================  =====================================================
common_challenges   groups (default)  groups around what people want to learn: similar
                                      challenges, and experiences that answer them
same_stage          groups, pairs     groups: every member at one reform stage (a hard
                                      rule), then similar challenges; pairs: a strong bonus
                                      for a provider at the seeker's stage or later
complementary       groups, pairs     one peer's experience answers another's challenge
                    (default pairs)
problem_focused     team (default)    a team around one named hindrance, ranked by how
                                      each peer's experience bears on it
==================  ================  =====================================================

Reform stage and organisation type add nothing to the score unless the method says so:
measured on hand-written peers in planted topics (``benchmarks/topics.py``), a bonus for
the same stage (0.15) and organisation type (0.05) on top of cosines that differ by a few
hundredths between topics made groups follow stages instead of topics.

    >>> method_weights(Method.COMMON_CHALLENGES).stage
    0.0
    >>> method_weights("complementary").challenge, method_weights("complementary").complementary
    (0.25, 1.0)
    >>> method_weights(Method.SAME_STAGE, {"stage": 0.5}).stage
    0.5
    >>> method_weights("common_challenges").peer_vector, method_weights("complementary").peer_vector
    (True, False)
    >>> method_rules("same_stage", "groups")
    {'same_stage': True}
    >>> [m.value for m in methods_for("pairs")]
    ['complementary', 'same_stage']
    >>> default_method("groups"), default_method("pairs"), default_method("team")
    (<Method.COMMON_CHALLENGES: 'common_challenges'>, <Method.COMPLEMENTARY: 'complementary'>, \
<Method.PROBLEM_FOCUSED: 'problem_focused'>)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from peerlearn.matching.rules import Kind, Value, gettext_noop
from peerlearn.matching.types import ScoreWeights


class Method(StrEnum):
    """A way of matching peers; the value is what forms, the API and files store."""

    COMMON_CHALLENGES = "common_challenges"
    SAME_STAGE = "same_stage"
    COMPLEMENTARY = "complementary"
    PROBLEM_FOCUSED = "problem_focused"


#: The weights a facilitator may adjust, in the order the surfaces show them (the method
#: alone decides ``peer_vector``, how the two texts are combined).
WEIGHT_NAMES: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(ScoreWeights) if f.name != "peer_vector"
)
#: The largest value any single weight may take (the texts' cosines are at most 1).
MAX_WEIGHT = 10.0


@dataclass(frozen=True)
class MethodSpec:
    """One method: its name, the kinds of matching it applies to, a plain-words label and
    description (marked for translation, never translated here), its weights and the rule
    values it sets."""

    method: Method
    kinds: tuple[Kind, ...]
    label: str
    description: str
    weights: ScoreWeights
    rules: Mapping[str, Mapping[str, Value]] = field(default_factory=dict)  # by kind


_ = gettext_noop

#: Every method, in the order the surfaces list them.
METHODS: tuple[MethodSpec, ...] = (
    MethodSpec(
        Method.COMMON_CHALLENGES,
        ("groups",),
        label=_("Common challenges"),
        description=_(
            "Groups around what people want to learn: peers whose challenges are alike, and "
            "whose experience answers one another's. Reform stage and type of organisation "
            "are not taken into account."
        ),
        # complementary 1.0 rather than 0.5: an experience is the second description of a
        # peer's topic; on the labelled sets it lifts grouping by topic (benchmarks/topics.py).
        # Groups use one vector per peer (challenge plus half the experience,
        # peer_vector=True): 0.81 rather than 0.76 on topics72 (matching.similarity).
        weights=ScoreWeights(
            challenge=1.0, complementary=1.0, theme=0.2, stage=0.0, organisation_type=0.0
        ),
    ),
    MethodSpec(
        Method.SAME_STAGE,
        ("groups", "pairs"),
        label=_("Same stage"),
        description=_(
            "Peers at the same stage of the reform cycle. Groups: every member is at one "
            "stage, and within it peers with similar challenges are put together. Pairs: a "
            "provider at the seeker's stage, or one who has gone further, is preferred."
        ),
        weights=ScoreWeights(
            challenge=1.0, complementary=1.0, theme=0.2, stage=0.3, organisation_type=0.0
        ),
        rules={"groups": {"same_stage": True}},
    ),
    MethodSpec(
        Method.COMPLEMENTARY,
        ("pairs", "groups"),
        label=_("Complementary"),
        description=_(
            "One peer's experience answers another's challenge: who has solved what someone "
            "else is facing. Reform stage and type of organisation are not taken into account."
        ),
        # The texts similarity: its directional term is the point of this method.
        weights=ScoreWeights(
            challenge=0.25,
            complementary=1.0,
            theme=0.2,
            stage=0.0,
            organisation_type=0.0,
            peer_vector=False,
        ),
    ),
    MethodSpec(
        Method.PROBLEM_FOCUSED,
        ("team",),
        label=_("Problem-focused"),
        description=_(
            "A team assembled around one named reform hindrance: the peers whose experience "
            "bears most on the problem, then those who face it themselves."
        ),
        weights=ScoreWeights(
            challenge=1.0, complementary=1.0, theme=0.2, stage=0.0, organisation_type=0.0
        ),
    ),
)
del _

_BY_METHOD = {m.method: m for m in METHODS}

#: The method each kind of matching uses when none is chosen.
DEFAULT_METHODS: dict[Kind, Method] = {
    "groups": Method.COMMON_CHALLENGES,
    "pairs": Method.COMPLEMENTARY,
    "team": Method.PROBLEM_FOCUSED,
}


def parse_method(value: Method | str) -> Method:
    """The method named ``value`` (``same-stage`` and ``same_stage`` alike); ValueError
    naming the choices otherwise.

    >>> parse_method("common-challenges")
    <Method.COMMON_CHALLENGES: 'common_challenges'>
    """
    if isinstance(value, Method):
        return value
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Method(text)
    except ValueError:
        choices = ", ".join(m.value for m in Method)
        raise ValueError(f"method must be one of {choices}, not {value!r}") from None


def method_spec(method: Method | str) -> MethodSpec:
    """Everything about one method."""
    return _BY_METHOD[parse_method(method)]


def methods_for(kind: Kind | str) -> tuple[Method, ...]:
    """The methods a matching of ``kind`` can use, its default first."""
    default = DEFAULT_METHODS[kind]  # type: ignore[index]
    rest = tuple(m.method for m in METHODS if kind in m.kinds and m.method != default)
    return (default, *rest)


def default_method(kind: Kind | str) -> Method:
    """The method a matching of ``kind`` uses when none is chosen."""
    return DEFAULT_METHODS[kind]  # type: ignore[index]


def check_method(method: Method | str, kind: Kind | str) -> Method:
    """``method`` parsed, or ValueError when it does not apply to ``kind``.

    >>> check_method("problem_focused", "groups")
    Traceback (most recent call last):
    ...
    ValueError: method problem_focused does not apply to groups: choose common_challenges, \
same_stage or complementary
    """
    chosen = parse_method(method)
    allowed = methods_for(kind)
    if chosen not in allowed:
        names = [m.value for m in allowed]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        raise ValueError(f"method {chosen.value} does not apply to {kind}: choose {listed}")
    return chosen


def method_weights(
    method: Method | str, overrides: Mapping[str, float] | None = None
) -> ScoreWeights:
    """The method's weights with ``overrides`` (weight name to value) on top; ValueError
    for an unknown name or a value outside 0..``MAX_WEIGHT``."""
    weights = method_spec(method).weights
    if not overrides:
        return weights
    for name, value in overrides.items():
        if name not in WEIGHT_NAMES:
            raise ValueError(f"unknown weight {name!r}: choose from {', '.join(WEIGHT_NAMES)}")
        if not 0 <= float(value) <= MAX_WEIGHT:
            raise ValueError(f"weight {name} must be between 0 and {MAX_WEIGHT:g}, not {value}")
    changed: dict[str, Any] = {k: float(v) for k, v in overrides.items()}
    return dataclasses.replace(weights, **changed)


def method_rules(method: Method | str, kind: Kind | str) -> dict[str, Value]:
    """The rule values the method sets for a matching of ``kind`` (they win over the
    rules given with it)."""
    return dict(method_spec(method).rules.get(kind, {}))


def weights_json(weights: ScoreWeights) -> dict[str, float]:
    """The weights by name, as files and the platform store them.

    >>> weights_json(method_weights("complementary"))["challenge"]
    0.25
    """
    return {name: float(getattr(weights, name)) for name in WEIGHT_NAMES}
