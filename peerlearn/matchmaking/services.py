"""Writing matchings: running one over a pool, sending its proposals, peers' answers,
confirming a proposal into a learning alliance, excluded pairs and open calls."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from contextlib import nullcontext
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peerlearn.access.alliances import alliances_visible_to, can_manage_alliance
from peerlearn.access.matching import access_open_call_for_manage, open_calls_visible_to
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.alliances.models import MemberRole as AllianceRole
from peerlearn.alliances.services import alliance_create, alliance_member_add
from peerlearn.core.choices import PartnershipType
from peerlearn.core.mail import notify
from peerlearn.core.models import Theme
from peerlearn.core.selectors import theme_get
from peerlearn.core.validators import normalise_country_code, normalise_language_code
from peerlearn.matching import (
    Explanation,
    Group,
    GroupRules,
    MatchResult,
    PairRules,
    ScoreWeights,
    TeamRules,
    match_groups,
    match_pairs,
    match_team,
)
from peerlearn.matching import methods as matching_methods
from peerlearn.matching import rules as matching_rules
from peerlearn.matching.progress import ProgressHook, reporting
from peerlearn.matchmaking.embeddings import matching_encoder
from peerlearn.matchmaking.explanations import NO_STATEMENTS, peer_token, stored, token_peer_id
from peerlearn.matchmaking.models import (
    CallApplication,
    DeclineReason,
    ExcludedPair,
    ExclusionReason,
    MatchingRun,
    MemberResponse,
    OpenCall,
    PoolSource,
    Proposal,
    ProposalMember,
    ProposalRole,
    ProposalStatus,
    RunKind,
    RunStage,
    RunStatus,
    acceptances_needed,
)
from peerlearn.matchmaking.selectors import (
    Pool,
    excluded_pairs_within,
    matching_pool,
    pool_candidates,
)
from peerlearn.peers.models import PeerProfile

logger = logging.getLogger(__name__)

#: Larger pools are refused from the platform (the command line takes any size). Runs happen
#: in the background; the solver's time limit is settings.PEERLEARN_MATCHING_TIME_LIMIT.
MAX_POOL = 100_000

#: How a running matching reports progress: (stage, percent done).
RunReporter = Callable[[str, int], None]

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


def _pinned_in_pool(pinned: list[list[int]], in_pool: set[str]) -> None:
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


def _rule_error(exc: ValueError, names: Iterable[str]) -> ValidationError:
    """A rule the matching library refused, as an error on the field its message names."""
    message = str(exc)
    for name in sorted(names, key=len, reverse=True):
        if name in message:
            return ValidationError({name: [message]})
    return ValidationError({"rules": [message]})


def _library_rules(
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
        raise _rule_error(e, [*rules, "pinned"]) from e


# --- running -----------------------------------------------------------------------------


def _pool_inputs(
    *,
    user: User,
    source: str,
    theme: str,
    alliance: str,
    call: int | None,
    errors: dict[str, list[str]],
) -> tuple[Theme | None, LearningAlliance | None, OpenCall | None]:
    theme_row = alliance_row = call_row = None
    if theme:
        try:
            theme_row = theme_get(slug=theme)
        except ValidationError as e:
            errors.update(e.message_dict)
    if source == PoolSource.THEME and not theme:
        errors["theme"] = [_("Choose the theme whose peers are matched.")]
    if source == PoolSource.ALLIANCE:
        if alliance:
            alliance_row = alliances_visible_to(user).filter(slug=alliance).first()
        if alliance_row is None or not can_manage_alliance(user, alliance_row):
            errors["alliance"] = [
                _("Choose a learning alliance you facilitate: its candidates are matched.")
            ]
            alliance_row = None
        elif theme_row is None:
            theme_row = alliance_row.theme
    if source == PoolSource.CALL:
        if call is None:
            errors["call"] = [_("Choose the open call whose applicants are matched.")]
        else:
            try:
                call_row = access_open_call_for_manage(user, call)
            except (Http404, PermissionDenied):
                errors["call"] = [_("Choose an open call you opened: its applicants are matched.")]
        if call_row is not None and theme_row is None:
            theme_row = call_row.theme
    return theme_row, alliance_row, call_row


def matching_run_problems(
    *,
    user: User,
    kind: str,
    source: str,
    theme: str,
    alliance: str,
    call: int | None,
    rules: Mapping[str, Any],
) -> dict[str, list[str]]:
    """What ``matching_run_create`` would refuse in the pool and the rules, by field, each
    naming the fix, without running anything: the run form shows these beside its fields'
    own errors, so a facilitator fixes everything in one round."""
    errors: dict[str, list[str]] = {}
    _pool_inputs(user=user, source=source, theme=theme, alliance=alliance, call=call, errors=errors)
    try:
        rules_clean(kind=kind, rules=rules)
    except ValidationError as e:
        errors.update(e.message_dict)
    return errors


def _clean_filters(filters: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("country", "language"):
        value = str(filters.get(name) or "")
        if not value:
            continue
        try:
            normalise = normalise_country_code if name == "country" else normalise_language_code
            out[name] = normalise(value)
        except ValidationError as e:
            errors[f"pool_{name}"] = e.messages
    stage = filters.get("stage")
    if stage not in (None, ""):
        try:
            out["stage"] = int(str(stage))
        except (TypeError, ValueError):
            out["stage"] = 0
        if not 1 <= out["stage"] <= 5:
            errors["pool_stage"] = [_("Give a reform stage from 1 to 5.")]
    unknown = sorted(set(filters) - {"country", "language", "stage"})
    if unknown:
        errors["filters"] = [_("Unknown pool filters: %(names)s.") % {"names": ", ".join(unknown)}]
    return out


@transaction.atomic
def matching_run_create(
    *,
    created_by: User,
    kind: str,
    source: str,
    theme: str = "",
    alliance: str = "",
    call: int | None = None,
    filters: Mapping[str, Any] | None = None,
    rules: Mapping[str, Any] | None = None,
    problem: str = "",
    target_alliance: str = "",
    alliance_name: str = "",
    pinned: Any = None,
    time_limit: float | None = None,
    token: str = "",
    method: str = "",
    weights: Mapping[str, Any] | None = None,
) -> MatchingRun:
    """Check a matching request and queue it: the run is stored as queued and a background
    task (``matching_run_execute``) matches the pool of the peers ``created_by`` may see and
    stores the result as a draft. A repeated request — the same ``token``, or an identical
    request still queued or running from moments ago — gets the run already queued.

    Only statements visible to the facilitator reach the matcher. Earlier declines and
    recorded conflicts of interest are always excluded; ``pinned`` peers are kept together
    (see ``pinned_clean``). ``method`` names how peers are matched (blank: the kind's
    default, see ``peerlearn.matching.methods``); it sets the score weights and may add
    rules (same stage); ``weights`` changes single weights on top. An infeasible request is
    stored too: with no proposals, the library's diagnosis and the unmatched peers' reasons."""
    errors: dict[str, list[str]] = {}
    if kind not in RunKind.values:
        raise ValidationError({"kind": [_("Choose groups, pairs or team.")]})
    if source not in PoolSource.values:
        raise ValidationError({"source": [_("Choose theme, alliance, call or peers.")]})
    theme_row, alliance_row, call_row = _pool_inputs(
        user=created_by, source=source, theme=theme, alliance=alliance, call=call, errors=errors
    )
    clean_filters = _clean_filters(filters or {}, errors) if source == PoolSource.PEERS else {}
    try:
        clean_rules = rules_clean(kind=kind, rules=rules or {})
    except ValidationError as e:
        errors.update(e.message_dict)
        clean_rules = {}
    try:
        clean_method = method_clean(kind=kind, method=method)
        clean_rules.update(matching_methods.method_rules(clean_method, kind))
    except ValidationError as e:
        errors.update(e.message_dict)
        clean_method = ""
    try:
        clean_weights = weights_clean(weights=weights) if kind != RunKind.TEAM else {}
    except ValidationError as e:
        errors.update(e.message_dict)
        clean_weights = {}
    else:
        if clean_method:
            errors.update(weights_problems(kind=kind, method=clean_method, weights=clean_weights))
    try:
        clean_pinned = pinned_clean(kind=kind, pinned=pinned)
    except ValidationError as e:
        errors.update(e.message_dict)
        clean_pinned = []
    if kind == RunKind.TEAM and "size" in clean_rules:
        listed = sum(len(line) for line in clean_pinned)
        if listed > clean_rules["size"]:
            errors["pinned"] = [
                _(
                    "%(n)s peers must be in the team but it has %(size)s places: list fewer, "
                    "or choose a larger team."
                )
                % {"n": listed, "size": clean_rules["size"]}
            ]
    problem = problem.strip()
    if kind == RunKind.TEAM and not problem:
        errors["problem"] = [
            _(
                "Describe the reform problem the team is assembled around: the matcher ranks "
                "peers by how their experience bears on it."
            )
        ]
    target = None
    if target_alliance:
        target = alliances_visible_to(created_by).filter(slug=target_alliance).first()
        if target is None or not can_manage_alliance(created_by, target):
            errors["target_alliance"] = [
                _("Choose a learning alliance you facilitate, or leave empty to create one.")
            ]
    else:
        alliance_name = alliance_name.strip()
        if not alliance_name:
            errors["alliance_name"] = [
                _(
                    "Name the learning alliance that confirmed proposals create, or choose one "
                    "to extend."
                )
            ]
        elif len(alliance_name) > 150:
            errors["alliance_name"] = [_("Keep the name under 150 characters.")]
        if theme_row is None and "theme" not in errors:
            errors["theme"] = [_("Choose the theme of the learning alliance this creates.")]
    if errors:
        raise ValidationError(errors)

    candidates = pool_candidates(
        user=created_by,
        source=source,
        theme=theme_row if source == PoolSource.THEME else None,
        alliance=alliance_row,
        call=call_row,
        filters=clean_filters,
    )
    pool_field = _pool_field(source)
    n_candidates = candidates.count()
    if n_candidates > MAX_POOL:
        raise ValidationError(
            {
                pool_field: [
                    _(
                        "The pool holds %(n)s peers; at most %(max)s can be matched from this "
                        "page. Narrow the pool, or use the command line for larger ones."
                    )
                    % {"n": n_candidates, "max": MAX_POOL}
                ]
            }
        )
    _check_pool_size(kind, n_candidates, clean_rules, pool_field)
    if clean_pinned:
        pinned_ids = {i for line in clean_pinned for i in line}
        found = candidates.filter(id__in=pinned_ids).values_list("id", flat=True)
        _pinned_in_pool(clean_pinned, {peer_token(i) for i in found})
    stored_rules = {**clean_rules, "pinned": clean_pinned} if clean_pinned else clean_rules
    filters_and_rules = {
        "kind": kind,
        "source": source,
        "theme": theme_row,
        "pool_alliance": alliance_row,
        "pool_call": call_row,
        "filters": clean_filters,
        "rules": stored_rules,
        "method": clean_method,
        "weights": clean_weights,
        "problem": problem,
        "target_alliance": target,
        "alliance_name": "" if target else alliance_name,
    }
    twin = _twin_run(created_by, token, filters_and_rules)
    if twin is not None:
        return twin
    run = MatchingRun(
        created_by=created_by,
        status=RunStatus.QUEUED,
        stage=RunStage.QUEUED,
        percent=0,
        token=token,
        pool_size=n_candidates,
        time_limit=time_limit,
        **filters_and_rules,
    )
    run.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:
        # The same form, sent twice at once: the other request created the run.
        return MatchingRun.objects.get(created_by=created_by, token=token)
    # The task row is written in this transaction: a worker sees it once the run is committed
    # (with the immediate backend, the matching runs here and now).
    from peerlearn.matchmaking.tasks import run_matching

    run_matching.enqueue(run.id)
    run.refresh_from_db()
    return run


def _pool_field(source: str) -> str:
    """The form field an error about the pool belongs to."""
    return {"theme": "theme", "alliance": "alliance", "call": "call"}.get(source, "source")


def _check_pool_size(kind: str, n: int, rules: Mapping[str, Any], pool_field: str) -> None:
    if n < 2:
        raise ValidationError(
            {
                pool_field: [
                    _(
                        "The pool holds %(n)s peer(s) you can see; a matching needs at least "
                        "two. Choose a wider pool."
                    )
                    % {"n": n}
                ]
            }
        )
    if kind == RunKind.TEAM and n < rules["size"]:
        raise ValidationError(
            {
                "size": [
                    _(
                        "The pool holds %(n)s peers you can see: choose a team of at most "
                        "%(n)s, or a wider pool."
                    )
                    % {"n": n}
                ]
            }
        )


#: A second identical request by the same facilitator within this many seconds, while the
#: first is still queued or running, is the same request sent twice: it gets the first run.
TWIN_SECONDS = 30


def _twin_run(user: User, token: str, fields: Mapping[str, Any]) -> MatchingRun | None:
    """The run this request repeats (a double submit), if any: one with the same submission
    token, or an identical one still queued or running that the user started moments ago."""
    mine = MatchingRun.objects.filter(created_by=user)
    if token:
        found = mine.filter(token=token).first()
        if found is not None:
            return found
    since = timezone.now() - timedelta(seconds=TWIN_SECONDS)
    recent = mine.filter(
        status__in=[RunStatus.QUEUED, RunStatus.RUNNING], created_at__gte=since
    ).order_by("-id")
    for run in recent:
        if all(getattr(run, name) == value for name, value in fields.items()):
            return run
    return None


# --- the matching itself, in the background -----------------------------------------------


class RunStopped(Exception):
    """The run was marked failed (or taken by another worker) while this one matched."""


def matching_run_execute(*, run_id: int, report: RunReporter | None = None) -> MatchingRun | None:
    """Do the matching of a queued run: build its pool, solve, store the proposals and leave
    the run as a draft — or failed, with the reason. Returns None when the run was not
    queued (another worker took it, or it was already done).

    ``report(stage, percent)`` hears the progress; the caller records it on the run."""
    claimed = MatchingRun.objects.filter(id=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        stage=RunStage.POOL,
        percent=0,
        heartbeat_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not claimed:
        return None
    run = MatchingRun.objects.select_related(
        "created_by", "theme", "pool_alliance", "pool_call", "target_alliance"
    ).get(id=run_id)
    say = report or (lambda stage, percent: None)
    language = run.created_by.preferred_language or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            _match_run(run, say)
    except ValidationError as e:
        with translation.override(language):
            _run_fail(run.id, {"code": "invalid", "messages": list(e.messages)})
    except RunStopped:
        logger.warning("matching run %s was stopped while it ran", run.id)
    except Exception:
        logger.exception("matching run %s failed", run.id)
        _run_fail(run.id, {"code": "error"})
    run.refresh_from_db()
    return run


def _run_fail(run_id: int, failure: dict[str, Any]) -> None:
    MatchingRun.objects.filter(id=run_id, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).update(
        status=RunStatus.FAILED, failure=failure, updated_at=timezone.now()
    )


def matching_runs_fail_stale(*, run_id: int | None = None) -> int:
    """Mark running matchings whose worker has given no sign of life for
    PEERLEARN_RUN_STALE_SECONDS as failed: the worker stopped (it was killed, or its machine
    went down). Returns how many were marked. The worker applies this rule regularly, and a
    run's page and API applies it to the run shown."""
    cutoff = timezone.now() - timedelta(seconds=float(settings.PEERLEARN_RUN_STALE_SECONDS))
    stale = MatchingRun.objects.filter(status=RunStatus.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, updated_at__lt=cutoff)
    )
    if run_id is not None:
        stale = stale.filter(id=run_id)
    ids = list(stale.values_list("id", flat=True))
    if not ids:
        return 0
    count = stale.filter(id__in=ids).update(
        status=RunStatus.FAILED, failure={"code": "stopped"}, updated_at=timezone.now()
    )
    logger.warning("%s matching run(s) failed: their worker stopped", count)
    _tasks_fail_stopped(ids)
    return count


def _tasks_fail_stopped(run_ids: list[int]) -> None:
    """The queue's rows of those runs' tasks stay "running" when their worker dies: mark
    them failed too, so that the queue shows nothing running that is not."""
    from django_tasks_db.models import DBTaskResult

    from peerlearn.matchmaking.tasks import run_matching

    rows = DBTaskResult.objects.filter(status="RUNNING", task_path=run_matching.module_path)
    for row in rows.only("id", "args_kwargs"):
        args = row.args_kwargs.get("args") or []
        if args and args[0] in run_ids:
            DBTaskResult.objects.filter(id=row.id, status="RUNNING").update(
                status="FAILED",
                finished_at=timezone.now(),
                exception_class_path="peerlearn.matchmaking.services.RunStopped",
                traceback="The worker stopped while matching (no heartbeat).",
            )


def _match_run(run: MatchingRun, report: RunReporter) -> None:
    kind, source = run.kind, run.source
    user = run.created_by
    candidates = pool_candidates(
        user=user,
        source=source,
        theme=run.theme if source == PoolSource.THEME else None,
        alliance=run.pool_alliance,
        call=run.pool_call,
        filters=run.filters,
    )
    pool_field = _pool_field(source)
    clean_rules = {k: v for k, v in run.rules.items() if k != "pinned"}
    clean_pinned: list[list[int]] = run.rules.get("pinned", [])
    focus_theme = run.theme if source in (PoolSource.THEME, PoolSource.CALL) else None
    pool = matching_pool(user=user, candidates=candidates, theme=focus_theme)
    # Every candidate counts in the pool, as when the run was queued: those who cannot take
    # part are listed as left out, with the reason.
    pool_size = len(pool.peers)
    if kind == RunKind.PAIRS:
        _drop_silent_peers(pool)
    _check_pool_size(kind, len(pool), clean_rules, pool_field)
    if kind == RunKind.GROUPS:
        low, high = group_sizes_for(len(pool))
        if clean_rules["min_size"] is None:
            clean_rules["min_size"] = min(low, clean_rules["max_size"] or low)
        if clean_rules["max_size"] is None:
            clean_rules["max_size"] = max(high, clean_rules["min_size"])
    exclusions = excluded_pairs_within(candidates)
    in_pool = {p.id for p in pool.peers}
    _pinned_in_pool(clean_pinned, in_pool)
    excluded = frozenset(
        frozenset((peer_token(a), peer_token(b)))
        for a, b in exclusions
        if peer_token(a) in in_pool and peer_token(b) in in_pool
    )
    library_rules = _library_rules(kind, clean_rules, excluded, clean_pinned)
    limit = run.time_limit or float(settings.PEERLEARN_MATCHING_TIME_LIMIT)
    report(RunStage.SOLVING if kind == RunKind.TEAM else RunStage.ENCODING, 10)
    result = _solve(
        kind, pool, library_rules, run.problem, limit, report, weights=run_score_weights(run)
    )
    report(RunStage.SAVING, 95)
    with transaction.atomic():
        locked = MatchingRun.objects.select_for_update().get(id=run.id)
        if locked.status != RunStatus.RUNNING:
            raise RunStopped
        run.status = RunStatus.DRAFT
        run.stage = RunStage.DONE
        run.percent = 100
        run.pool_size = pool_size
        run.rules = {**clean_rules, "pinned": clean_pinned} if clean_pinned else clean_rules
        run.excluded_count = len(excluded)
        run.objective = result.objective
        run.bound = result.bound
        run.gap = result.gap
        run.optimal = result.optimal
        run.block_gap = result.block_gap
        run.solver = result.solver
        run.encoder = result.encoder
        run.seconds = result.seconds
        # Messages are stored structured (code, params, English text) and rendered in each
        # reader's language; see explanations.py.
        run.diagnostics = [
            {
                "constraint": d.constraint,
                "message": stored(d.message),
                "relaxation": d.relaxation,
            }
            for d in result.diagnostics
        ]
        run.unmatched = [
            {"peer_id": pid, "reason": stored(reason)} for pid, reason in pool.left_out
        ] + [{"peer_id": token_peer_id(u.id), "reason": stored(u.reason)} for u in result.unmatched]
        run.heartbeat_at = timezone.now()
        run.full_clean()
        run.save()
        _store_proposals(run, pool, result)
    logger.info(
        "matching run %s: %s over %s peers, %s proposals, objective %.3f, gap %s, %.2fs (%s)",
        run.id,
        kind,
        len(pool),
        len(result.groups),
        result.objective,
        result.gap,
        result.seconds,
        result.solver,
    )


def _drop_silent_peers(pool: Pool) -> None:
    """Pairs join a challenge to an experience: peers who state neither cannot take part."""
    kept = []
    for peer in pool.peers:
        if peer.challenge or peer.experience:
            kept.append(peer)
        else:
            pid = token_peer_id(peer.id)
            assert pid is not None
            pool.left_out.append((pid, NO_STATEMENTS))
    pool.peers = kept


def _solve(
    kind: str,
    pool: Pool,
    rules: GroupRules | PairRules | TeamRules,
    problem: str,
    time_limit: float,
    report: RunReporter | None = None,
    weights: ScoreWeights | None = None,
) -> MatchResult:
    texts = [t for p in pool.peers for t in (p.challenge, p.experience)]
    encoder = matching_encoder(kind, texts)
    hook = _library_hook(report) if report is not None else None
    try:
        with reporting(hook) if hook is not None else nullcontext():
            return _solve_now(kind, pool, rules, problem, time_limit, encoder, weights)
    except ValueError as e:
        # The pool and rules were checked above, so this is the library refusing a
        # combination; it names the field it refused.
        raise _rule_error(e, [*RULE_DEFAULTS[kind], "problem", "pinned"]) from e


#: Where each stage of the library's progress falls on the run's 0–100 scale.
_LIBRARY_STAGES: dict[str, tuple[str, int, int]] = {
    "grouping": (RunStage.SOLVING, 20, 80),
    "pairing": (RunStage.SOLVING, 20, 80),
    "explaining": (RunStage.EXPLAINING, 80, 95),
}


def _library_hook(report: RunReporter) -> ProgressHook:
    def hook(stage: str, done: int, total: int) -> None:
        run_stage, low, high = _LIBRARY_STAGES.get(stage, (RunStage.SOLVING, 20, 80))
        share = done / total if total else 1.0
        report(run_stage, low + round((high - low) * share))

    return hook


def _solve_now(
    kind: str,
    pool: Pool,
    rules: GroupRules | PairRules | TeamRules,
    problem: str,
    time_limit: float,
    encoder: Any,
    weights: ScoreWeights | None = None,
) -> MatchResult:
    if kind == RunKind.GROUPS:
        assert isinstance(rules, GroupRules)
        return match_groups(
            pool.peers,
            rules,
            encoder=encoder,
            weights=weights,
            time_limit=time_limit,
            processes=settings.PEERLEARN_MATCHING_PROCESSES,
        )
    if kind == RunKind.PAIRS:
        assert isinstance(rules, PairRules)
        return match_pairs(pool.peers, rules, encoder=encoder, weights=weights)
    assert isinstance(rules, TeamRules)
    return match_team(pool.peers, problem, rules, encoder=encoder, time_limit=time_limit)


def _explanation_json(group: Group) -> dict[str, Any]:
    """The explanation as a proposal stores it: each sentence a structured message."""
    expl: Explanation = group.explanation
    return {
        "summary": stored(expl.summary) if expl.summary else None,
        "reasons": [stored(r) for r in expl.reasons],
        "shared_concepts": list(expl.shared_concepts),
        "contributions": [
            {
                "peer_id": token_peer_id(c.id),
                "brings": stored(c.brings),
                "seeks": stored(c.seeks),
            }
            for c in expl.contributions
        ],
    }


def _store_proposals(run: MatchingRun, pool: Pool, result: MatchResult) -> None:
    members: list[ProposalMember] = []
    for position, group in enumerate(result.groups, start=1):
        proposal = Proposal(
            run=run,
            position=position,
            score=float(group.score),
            language=group.language or "",
            explanation=_explanation_json(group),
        )
        proposal.full_clean(exclude=["run"])
        proposal.save()
        for token in group.members:
            pid = token_peer_id(token)
            assert pid is not None
            if group.seeker is not None:
                role = ProposalRole.SEEKER if token == group.seeker else ProposalRole.PROVIDER
            else:
                role = ProposalRole.MEMBER
            challenge_ids, experience_ids = pool.statements.get(pid, ([], []))
            members.append(
                ProposalMember(
                    proposal=proposal,
                    peer_id=pid,
                    role=role,
                    challenge_ids=challenge_ids,
                    experience_ids=experience_ids,
                )
            )
    ProposalMember.objects.bulk_create(members)


# --- the review, answers and confirmation ------------------------------------------------


def _close_if_done(run: MatchingRun) -> None:
    if not run.proposals.filter(status=ProposalStatus.PROPOSED).exists():
        run.status = RunStatus.CLOSED
        run.save(update_fields=["status", "updated_at"])


def _notify(users: Iterable[User], template: str, context: dict[str, Any]) -> None:
    notify(users, f"matchmaking/email/{template}", context)


#: Days peers have to answer when the facilitator sets no reply-by date.
REPLY_DAYS = 14

#: The longest a proposal waits for its answers: a match proposed for longer waits on peers
#: whose needs, posts or availability may have changed, and holds them meanwhile.
REPLY_DAYS_MAX = 90


@transaction.atomic
def matching_run_propose(
    *,
    run: MatchingRun,
    site_url: str = "",
    reply_by: date | None = None,
    min_accepted: int | None = None,
) -> MatchingRun:
    """Send the reviewed proposals to their peers: they can now see, accept or decline them
    until ``reply_by`` (default: in REPLY_DAYS days). ``min_accepted``: the acceptances a
    proposal needs to be confirmed (default: see ``acceptances_needed``)."""
    run = MatchingRun.objects.select_for_update().get(id=run.id)
    if run.status != RunStatus.DRAFT:
        raise ValidationError({"status": [_("These proposals were already sent to the peers.")]})
    today = timezone.localdate()
    if reply_by is None:
        reply_by = today + timedelta(days=REPLY_DAYS)
    # Every error in one round: the date and the acceptances are checked together.
    errors: dict[str, list[str]] = {}
    last = today + timedelta(days=REPLY_DAYS_MAX)
    if reply_by <= today:
        errors["reply_by"] = [_("Choose a reply-by date after today, so that peers have time.")]
    elif reply_by > last:
        errors["reply_by"] = [
            _(
                "Choose a reply-by date within %(days)d days, by %(last)s at the latest: "
                "peers answer a proposal while it is still news."
            )
            % {"days": REPLY_DAYS_MAX, "last": date_format(last)}
        ]
    if min_accepted is not None and min_accepted < 2:
        errors["min_accepted"] = [
            _("An alliance needs at least two members: ask for two or more acceptances.")
        ]
    proposals = list(
        run.proposals.filter(status=ProposalStatus.PROPOSED).prefetch_related("members__peer__user")
    )
    if not proposals:
        raise ValidationError(
            {"status": [_("There is no proposal left to send: run a new matching.")]}
        )
    largest = max(len(p.members.all()) for p in proposals)
    if min_accepted is not None and min_accepted > largest:
        errors["min_accepted"] = [
            _(
                "The largest proposal has %(largest)s members: ask for %(largest)s "
                "acceptances or fewer (a smaller proposal then needs all its members)."
            )
            % {"largest": largest}
        ]
    if errors:
        raise ValidationError(errors)
    run.status = RunStatus.PROPOSED
    run.min_accepted = min_accepted
    run.save(update_fields=["status", "min_accepted", "updated_at"])
    run.proposals.filter(status=ProposalStatus.PROPOSED).update(reply_by=reply_by)
    for proposal in proposals:
        url = site_url + reverse("matchmaking:proposal", args=[proposal.id])
        _notify(
            [m.peer.user for m in proposal.members.all()],
            "proposed",
            {
                "run": run,
                "proposal": proposal,
                "url": url,
                "facilitator": run.created_by.name,
                "kind": run.get_kind_display(),
                "reply_by": reply_by,
            },
        )
    return run


def reminders_send(*, site_url: str = "", days_before: int | None = None) -> int:
    """E-mail every member who has not answered an open proposal whose reply-by date is at
    most ``days_before`` days away (default settings.PEERLEARN_REMINDER_DAYS). Each member is
    reminded once: the reminder is claimed by setting ``reminded_at`` where it is still
    empty, so two workers, or a sweep run twice, never send it twice. Returns how many were
    sent."""
    if days_before is None:
        days_before = int(getattr(settings, "PEERLEARN_REMINDER_DAYS", 3))
    today = timezone.localdate()
    due = (
        ProposalMember.objects.filter(
            response=MemberResponse.PENDING,
            reminded_at__isnull=True,
            proposal__status=ProposalStatus.PROPOSED,
            proposal__run__status=RunStatus.PROPOSED,
            proposal__reply_by__isnull=False,
            proposal__reply_by__gte=today,
            proposal__reply_by__lte=today + timedelta(days=days_before),
        )
        .select_related("peer__user", "proposal__run__created_by")
        .order_by("id")
    )
    sent = 0
    for member in due:
        with transaction.atomic():
            claimed = ProposalMember.objects.filter(
                id=member.id, reminded_at__isnull=True, response=MemberResponse.PENDING
            ).update(reminded_at=timezone.now())
            if not claimed:
                continue
            proposal = member.proposal
            _notify(
                [member.peer.user],
                "reminder",
                {
                    "url": site_url + reverse("matchmaking:proposal", args=[proposal.id]),
                    "reply_by": proposal.reply_by,
                    "facilitator": proposal.run.created_by.name,
                    "kind": proposal.run.get_kind_display(),
                },
            )
            sent += 1
    return sent


@transaction.atomic
def matching_run_close(*, run: MatchingRun) -> MatchingRun:
    """End a run: proposals not yet confirmed are withdrawn, and nobody answers any more."""
    run = MatchingRun.objects.select_for_update().get(id=run.id)
    if run.status == RunStatus.CLOSED:
        raise ValidationError({"status": [_("This matching is already closed.")]})
    run.proposals.filter(status=ProposalStatus.PROPOSED).update(status=ProposalStatus.WITHDRAWN)
    run.status = RunStatus.CLOSED
    run.save(update_fields=["status", "updated_at"])
    return run


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("run").get(id=proposal.id)
    )
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError({"status": [_("Only an open proposal can be withdrawn.")]})
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status"])
    if proposal.run.status == RunStatus.PROPOSED:
        _close_if_done(proposal.run)
    return proposal


ANSWERS = ("accept", "decline", "not_now")


@transaction.atomic
def proposal_respond(
    *,
    proposal: Proposal,
    peer: PeerProfile,
    answer: str,
    decline_reason: str = "",
    conflict_with: Iterable[int] = (),
    reason: str = "",
) -> ProposalMember:
    """A peer answers: ``accept``, ``decline`` or ``not_now``. A decline says why
    (``DeclineReason``) and is final; only a conflict keeps the decliner apart from the
    members named in ``conflict_with`` (peer ids) in later matchings. "Not now" excludes
    nobody, and the peer may still accept while the proposal is open."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("run").get(id=proposal.id)
    )
    if proposal.run.status != RunStatus.PROPOSED or proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError({"response": [_("This proposal is no longer open for answers.")]})
    member = proposal.members.filter(peer=peer).first()
    if member is None:
        raise ValidationError({"response": [_("You are not in this proposal.")]})
    if member.response == MemberResponse.DECLINED:
        raise ValidationError(
            {
                "response": [
                    _(
                        "You declined this proposal; ask the facilitator if you have "
                        "changed your mind."
                    )
                ]
            }
        )
    if answer not in ANSWERS:
        raise ValidationError({"response": [_("Answer accept, decline or not now.")]})
    reason = reason.strip()
    if len(reason) > 1000:
        raise ValidationError({"reason": [_("Keep the reason under 1,000 characters.")]})
    conflicts: set[int] = set()
    if answer == "decline":
        if decline_reason not in DeclineReason.values:
            raise ValidationError(
                {
                    "decline_reason": [
                        _(
                            "Say why you decline: not interested in this group, a conflict "
                            "with a member, or no time."
                        )
                    ]
                }
            )
        others = set(proposal.members.exclude(peer=peer).values_list("peer_id", flat=True))
        conflicts = {int(c) for c in conflict_with}
        if decline_reason == DeclineReason.CONFLICT:
            if not conflicts:
                raise ValidationError(
                    {"conflict_with": [_("Choose the member or members you have a conflict with.")]}
                )
            if not conflicts <= others:
                raise ValidationError(
                    {"conflict_with": [_("Choose only other members of this proposal.")]}
                )
        elif conflicts:
            raise ValidationError(
                {
                    "conflict_with": [
                        _("Name members only when you decline because of a conflict with them.")
                    ]
                }
            )
    else:
        decline_reason = ""
    member.response = {
        "accept": MemberResponse.ACCEPTED,
        "decline": MemberResponse.DECLINED,
        "not_now": MemberResponse.NOT_NOW,
    }[answer]
    member.decline_reason = decline_reason
    member.responded_at = timezone.now()
    member.reason = reason
    member.full_clean()
    member.save(update_fields=["response", "decline_reason", "responded_at", "reason"])
    for other in sorted(conflicts):
        _exclusion_keep(
            peer.id,
            other,
            reason=ExclusionReason.CONFLICT,
            source_proposal=proposal,
            created_by=peer.user,
        )
    return member


def _exclusion_keep(a: int, b: int, **fields: Any) -> ExcludedPair:
    low, high = sorted((a, b))
    pair, _ = ExcludedPair.objects.get_or_create(peer_a_id=low, peer_b_id=high, defaults=fields)
    return pair


def proposal_default_alliance_name(*, run: MatchingRun, proposal: Proposal) -> str:
    """The run's alliance name, numbered when the run proposed several groups."""
    if run.proposals.count() == 1:
        return run.alliance_name
    return f"{run.alliance_name} {proposal.position}"


def _working_languages(proposal: Proposal, accepted: list[ProposalMember]) -> list[str]:
    spoken = [{lang.code for lang in m.peer.languages.all()} for m in accepted]
    common = set.intersection(*spoken) if spoken else set()
    if proposal.language and proposal.language in common:
        return [proposal.language, *sorted(common - {proposal.language})]
    if common:
        return sorted(common)
    return [proposal.language] if proposal.language else sorted(set().union(*spoken))


def _text_language(working_languages: list[str]) -> str:
    """The language to write an alliance's text in: the reader's own where the alliance
    works in it, else its first working language the platform speaks, else the reader's."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    spoken = {code for code, _name in settings.LANGUAGES}
    if current in working_languages:
        return current
    return next((code for code in working_languages if code in spoken), current)


@transaction.atomic
def proposal_confirm(
    *,
    proposal: Proposal,
    confirmed_by: User,
    alliance_name: str = "",
    visibility: str = Visibility.ALLIANCE,
    site_url: str = "",
) -> Proposal:
    """Create a learning alliance from the members who accepted (Type I for a pair, Type II
    for a group or team), or add them to the run's alliance. Needs as many acceptances as
    ``acceptances_needed``."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("run", "run__theme", "run__target_alliance")
        .get(id=proposal.id)
    )
    run = proposal.run
    if run.status != RunStatus.PROPOSED or proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(
            {"status": [_("Only a proposal sent to peers and still open can be confirmed.")]}
        )
    accepted = list(
        proposal.members.filter(response=MemberResponse.ACCEPTED)
        .select_related("peer__user")
        .prefetch_related("peer__languages")
        .order_by("id")
    )
    needed = acceptances_needed(run, proposal.members.count())
    if len(accepted) < needed:
        raise ValidationError(
            {
                "members": [
                    _(
                        "%(n)s of %(size)s members accepted; this matching needs at least "
                        "%(needed)s to confirm a proposal. Wait for more answers, or withdraw "
                        "the proposal."
                    )
                    % {"n": len(accepted), "size": proposal.members.count(), "needed": needed}
                ]
            }
        )
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": [_("Choose private, alliance, platform or public.")]})
    alliance = run.target_alliance
    if alliance is not None:
        if not can_manage_alliance(confirmed_by, alliance):
            raise ValidationError(
                {"alliance": [_("Only the alliance's facilitators may add members to it.")]}
            )
    else:
        if run.theme is None:
            raise ValidationError({"theme": [_("This run has no theme for a new alliance.")]})
        name = alliance_name.strip() or proposal_default_alliance_name(run=run, proposal=proposal)
        working_languages = _working_languages(proposal, accepted)
        # Not the explanation: it may quote members who did not accept. Written in the
        # alliance's working language where the platform speaks it: its members read it.
        with translation.override(_text_language(working_languages)):
            purpose = run.problem or _(
                "Peers matched on %(theme)s who chose to learn from each other."
            ) % {"theme": run.theme.display_name}
        try:
            alliance = alliance_create(
                name=name,
                theme=run.theme.slug,
                purpose=purpose,
                working_languages=working_languages,
                created_by=confirmed_by,
                type=(
                    PartnershipType.TYPE_I if run.kind == RunKind.PAIRS else PartnershipType.TYPE_II
                ),
                visibility=visibility,
            )
        except ValidationError as e:
            if hasattr(e, "error_dict") and "name" in e.error_dict:
                raise ValidationError({"alliance_name": e.error_dict["name"]}) from e
            raise
    present = set(alliance.memberships.values_list("user_id", flat=True))
    for member in accepted:
        if member.peer.user_id in present:
            continue
        role = AllianceRole.RESOURCE if member.role == ProposalRole.PROVIDER else AllianceRole.PEER
        alliance_member_add(
            alliance=alliance, user=member.peer.user, role=role, joined_on=timezone.localdate()
        )
    proposal.alliance = alliance
    proposal.status = ProposalStatus.CONFIRMED
    proposal.confirmed_at = timezone.now()
    proposal.save(update_fields=["alliance", "status", "confirmed_at"])
    _close_if_done(run)
    url = site_url + reverse("alliances:detail", args=[alliance.slug])
    _notify(
        [m.peer.user for m in accepted],
        "confirmed",
        {"alliance": alliance.name, "url": url, "facilitator": confirmed_by.name},
    )
    return proposal


# --- excluded pairs ----------------------------------------------------------------------


@transaction.atomic
def excluded_pair_add(
    *,
    peer_a: PeerProfile,
    peer_b: PeerProfile,
    reason: str = ExclusionReason.CONFLICT,
    note: str = "",
    created_by: User | None = None,
) -> ExcludedPair:
    """Record that two peers must never be proposed together (a conflict of interest)."""
    if peer_a.id == peer_b.id:
        raise ValidationError({"peer_b": [_("Choose two different peers.")]})
    if reason not in ExclusionReason.values:
        raise ValidationError({"reason": [_("Choose declined, conflict or other.")]})
    low, high = sorted((peer_a.id, peer_b.id))
    if ExcludedPair.objects.filter(peer_a_id=low, peer_b_id=high).exists():
        raise ValidationError({"peer_b": [_("These two peers are already kept apart.")]})
    pair = ExcludedPair(
        peer_a_id=low, peer_b_id=high, reason=reason, note=note.strip(), created_by=created_by
    )
    pair.full_clean()
    pair.save()
    return pair


def excluded_pair_delete(*, pair: ExcludedPair) -> None:
    pair.delete()


# --- open calls --------------------------------------------------------------------------

_CALL_VISIBILITIES = (Visibility.PRIVATE, Visibility.PLATFORM, Visibility.PUBLIC)


@transaction.atomic
def open_call_create(
    *,
    created_by: User,
    title: str,
    theme: str,
    description: str,
    closes_on: date | None = None,
    visibility: str = Visibility.PLATFORM,
) -> OpenCall:
    if visibility not in _CALL_VISIBILITIES:
        raise ValidationError(
            {"visibility": [_("A call is private (a draft), open to the platform, or public.")]}
        )
    if closes_on is not None and closes_on < timezone.localdate():
        raise ValidationError({"closes_on": [_("Choose a closing date from today on.")]})
    call = OpenCall(
        created_by=created_by,
        title=title.strip(),
        theme=theme_get(slug=theme),
        description=description.strip(),
        closes_on=closes_on,
        visibility=visibility,
    )
    call.full_clean()
    call.save()
    return call


@transaction.atomic
def call_application_create(
    *, call: OpenCall, peer: PeerProfile, motivation: str = ""
) -> CallApplication:
    if not call.is_open:
        raise ValidationError(
            {"call": [_("This call closed on %(date)s.") % {"date": call.closes_on}]}
        )
    if not open_calls_visible_to(peer.user).filter(id=call.id).exists():
        raise ValidationError({"call": [_("No such open call.")]})
    if CallApplication.objects.filter(call=call, peer=peer).exists():
        raise ValidationError({"motivation": [_("You have already applied to this call.")]})
    application = CallApplication(call=call, peer=peer, motivation=motivation.strip())
    application.full_clean()
    application.save()
    return application
