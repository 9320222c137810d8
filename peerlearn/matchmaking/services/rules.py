"""A matching's method, weights and rules, checked and turned into the matching library's:
the part of a run the facilitator chooses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from peerlearn.core.validators import normalise_country_code
from peerlearn.matching import (
    GroupRules,
    PairRules,
    ScoreWeights,
    TeamRules,
)
from peerlearn.matching import methods as matching_methods
from peerlearn.matching import rules as matching_rules
from peerlearn.matchmaking.explanations import peer_token
from peerlearn.matchmaking.models import (
    MatchingRun,
    RunKind,
)

# Rules each kind accepts, with their defaults (None: decided from the pool, or no limit).
#: What a run applies for each rule of its kind left out, from the rules table.
RULE_DEFAULTS: dict[str, dict[str, Any]] = {kind: matching_rules.defaults(kind) for kind in RunKind}


def group_sizes_for(pool_size: int) -> tuple[int, int]:
    """Learning groups of 10–12 (case 6 of the paper); for smaller pools, two groups of about
    half the pool each, or one group for five peers or fewer."""
    if pool_size >= 20:
        return 10, 12
    if pool_size >= 6:
        return max(3, pool_size // 2 - 1), (pool_size + 1) // 2 + 1
    return 2, max(2, pool_size)


# --- rules -------------------------------------------------------------------------------


def _int_rule(errors: dict[str, list[str]], rule: matching_rules.Rule, value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[rule.name] = [_("Give a whole number.")]
        return None
    if rule.minimum is not None and number < rule.minimum:
        errors[rule.name] = [_("Give a number of at least %(low)s.") % {"low": rule.minimum}]
        return None
    if rule.maximum is not None and number > rule.maximum:
        errors[rule.name] = [_("Give a number of at most %(high)s.") % {"high": rule.maximum}]
        return None
    return number


def method_clean(*, kind: str, method: str | None) -> str:
    """The method a run of ``kind`` uses: the one named (``same-stage`` or ``same_stage``),
    or the kind's default when none is; a ValidationError on ``method`` when it does not
    apply to the kind."""
    if not method:
        return matching_methods.default_method(kind).value
    try:
        return matching_methods.check_method(method, kind).value
    except ValueError:
        allowed = matching_methods.methods_for(kind)
        names = [str(matching_methods.method_spec(m).label) for m in allowed]
        raise ValidationError(
            {
                "method": [
                    _("Choose a method that applies to %(kind)s: %(methods)s.")
                    % {"kind": kind, "methods": ", ".join(_(n) for n in names)}
                ]
            }
        ) from None


def weights_clean(*, weights: Mapping[str, Any] | None) -> dict[str, float]:
    """The score weights a facilitator changed (name: value, empty values left out), or a
    ValidationError on ``weights`` naming the weight and the bounds."""
    out: dict[str, float] = {}
    errors: list[str] = []
    for name, value in (weights or {}).items():
        if value is None or value == "":
            continue
        if name not in matching_methods.WEIGHT_NAMES:
            errors.append(
                _("Unknown score weight “%(name)s”: use %(names)s.")
                % {"name": name, "names": ", ".join(matching_methods.WEIGHT_NAMES)}
            )
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = -1.0
        if isinstance(value, bool) or not 0 <= number <= matching_methods.MAX_WEIGHT:
            errors.append(
                _("Give the weight “%(name)s” as a number from 0 to %(max)s.")
                % {"name": name, "max": f"{matching_methods.MAX_WEIGHT:g}"}
            )
            continue
        out[name] = number
    if errors:
        raise ValidationError({"weights": errors})
    return out


def weights_problems(
    *, kind: str, method: str, weights: Mapping[str, float] | None
) -> dict[str, list[str]]:
    """A refusal on ``weights`` when the method's weights with ``weights`` on top are all 0:
    every arrangement of peers would then score the same and the proposals would be
    arbitrary. Teams have no weights; an unknown method or weight is left to its own check."""
    if kind == RunKind.TEAM:
        return {}
    try:
        effective = matching_methods.method_weights(
            method or matching_methods.default_method(kind), weights or None
        )
    except ValueError:
        return {}
    if any(float(getattr(effective, name)) > 0 for name in matching_methods.WEIGHT_NAMES):
        return {}
    return {
        "weights": [
            _(
                "Every score weight is 0, so every arrangement of peers would score the same: "
                "give at least one weight a value above 0 (similar challenges, for instance), "
                "or leave the weights empty to use the method's own."
            )
        ]
    }


def run_score_weights(run: MatchingRun) -> ScoreWeights:
    """The weights a run matches with: its method's, with the ones it changed on top."""
    method = run.method or matching_methods.default_method(run.kind).value
    return matching_methods.method_weights(method, run.weights or None)


def rules_clean(*, kind: str, rules: Mapping[str, Any]) -> dict[str, Any]:
    """The rules for ``kind`` with defaults filled in, or a ValidationError naming each bad
    field and the fix. Types, defaults and bounds come from the rules table."""
    defaults = RULE_DEFAULTS[kind]
    errors: dict[str, list[str]] = {}
    for name in sorted(set(rules) - set(defaults)):
        errors[name] = [_("This rule does not apply to %(kind)s: leave it out.") % {"kind": kind}]
    out: dict[str, Any] = {}
    for rule in matching_rules.rules_for(kind):
        name, default = rule.name, rule.default
        value = rules.get(name, default)
        if value is None or value == "":
            out[name] = default
        elif rule.type is bool:
            out[name] = bool(value)
        elif rule.type is float:
            try:
                share = float(value)
            except (TypeError, ValueError):
                share = -1.0
            if not rule.accepts(share):
                errors[name] = [
                    _(
                        "Give the largest share of one gender as a fraction above 0 and at most 1, "
                        "e.g. 0.6 for 60%."
                    )
                ]
            out[name] = share
        elif rule.country:
            try:
                out[name] = normalise_country_code(str(value))
            except ValidationError as e:
                errors[name] = e.messages
        else:
            out[name] = _int_rule(errors, rule, value)
    sizes = out.get("min_size"), out.get("max_size")
    sizes_read = "min_size" not in errors and "max_size" not in errors
    if sizes_read and sizes[0] and sizes[1] and sizes[1] < sizes[0]:
        errors["max_size"] = [
            _("The largest group size must be at least the smallest (%(min)s).") % {"min": sizes[0]}
        ]
    if errors:
        raise ValidationError(errors)
    return out


def pinned_clean(*, kind: str, pinned: Any) -> list[list[int]]:
    """Peers the matching must keep together, as lists of peer profile numbers: for groups
    each list is kept in one group; for pairs each is a (seeker, provider) pair; for a team
    every peer listed is in it. A ValidationError on ``pinned`` names the line and the fix."""
    if pinned in (None, "", []):
        return []
    if not isinstance(pinned, list | tuple) or not all(
        isinstance(line, list | tuple) for line in pinned
    ):
        raise ValidationError(
            {"pinned": [_("Give the peers to keep together as lists of profile numbers.")]}
        )
    errors: list[str] = []
    out: list[list[int]] = []
    seen: dict[int, int] = {}
    for number, line in enumerate(pinned, start=1):
        ids: list[int] = []
        for item in line:
            if isinstance(item, bool) or not isinstance(item, int) or item < 1:
                errors.append(
                    _("Line %(line)s: %(item)s is not a peer's profile number.")
                    % {"line": number, "item": repr(item)}
                )
                continue
            if item in ids:
                continue
            if kind != RunKind.PAIRS and item in seen:
                errors.append(
                    _(
                        "Line %(line)s: peer %(peer)s is already on line %(first)s; name each "
                        "peer once (merge the two lines to keep all of them together)."
                    )
                    % {"line": number, "peer": item, "first": seen[item]}
                )
                continue
            seen.setdefault(item, number)
            ids.append(item)
        if kind == RunKind.PAIRS and len(ids) != 2:
            errors.append(
                _("Line %(line)s: name one seeker and then one provider.") % {"line": number}
            )
        elif kind == RunKind.GROUPS and len(ids) < 2:
            errors.append(
                _("Line %(line)s: name at least two peers to keep together.") % {"line": number}
            )
        out.append(ids)
    if errors:
        raise ValidationError({"pinned": errors})
    return out


def check_pinned_in_pool(pinned: list[list[int]], in_pool: set[str]) -> None:
    """Every pinned peer must be in the pool: otherwise say who is missing, and why."""
    missing = sorted({i for line in pinned for i in line if peer_token(i) not in in_pool})
    if missing:
        raise ValidationError(
            {
                "pinned": [
                    _(
                        "Not in this pool: %(peers)s. Keep only peers of the pool you chose "
                        "(a peer is in it when you can see them and they have a statement or "
                        "reform area that fits it), or choose a wider pool."
                    )
                    % {"peers": ", ".join(str(i) for i in missing)}
                ]
            }
        )


def _library_pinned(kind: str, pinned: list[list[int]]) -> Any:
    tokens = [[peer_token(i) for i in line] for line in pinned]
    if kind == RunKind.GROUPS:
        return tuple(frozenset(line) for line in tokens)
    if kind == RunKind.PAIRS:
        return tuple((line[0], line[1]) for line in tokens)
    return frozenset(t for line in tokens for t in line)


def rule_error(exc: ValueError, names: Iterable[str]) -> ValidationError:
    """A rule the matching library refused, as an error on the field its message names."""
    message = str(exc)
    for name in sorted(names, key=len, reverse=True):
        if name in message:
            return ValidationError({name: [message]})
    return ValidationError({"rules": [message]})


def rules_for_library(
    kind: str,
    rules: dict[str, Any],
    excluded: frozenset[frozenset[str]],
    pinned: list[list[int]],
) -> GroupRules | PairRules | TeamRules:
    rules = {k: v for k, v in rules.items() if k != "pinned"}
    keep = _library_pinned(kind, pinned)
    try:
        if kind == RunKind.GROUPS:
            return GroupRules(excluded=excluded, pinned=keep, **rules)
        if kind == RunKind.PAIRS:
            return PairRules(excluded=excluded, pinned=keep, **rules)
        return TeamRules(
            excluded=excluded,
            pinned=keep,
            **{**rules, "country": rules.get("country") or None},
        )
    except ValueError as e:
        raise rule_error(e, [*rules, "pinned"]) from e
