"""Starting a matching run: its pool checked and its settings kept, queued for the worker."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.alliances import alliances_visible_to, can_manage_alliance
from peerlearn.access.matching import access_open_call_for_manage
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.models import Theme
from peerlearn.core.selectors import theme_get
from peerlearn.core.validators import normalise_country_code, normalise_language_code
from peerlearn.matching import methods as matching_methods
from peerlearn.matchmaking.explanations import peer_token
from peerlearn.matchmaking.models import (
    MatchingRun,
    OpenCall,
    PoolSource,
    RunKind,
    RunStage,
    RunStatus,
)
from peerlearn.matchmaking.selectors import (
    pool_candidates,
)
from peerlearn.matchmaking.services.rules import (
    check_pinned_in_pool,
    method_clean,
    pinned_clean,
    rules_clean,
    weights_clean,
    weights_problems,
)

#: Larger pools are refused from the platform (the command line takes any size). Runs happen
#: in the background; the solver's time limit is settings.PEERLEARN_MATCHING_TIME_LIMIT.
MAX_POOL = 100_000


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
    pool_field = pool_field_of(source)
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
    check_pool_size(kind, n_candidates, clean_rules, pool_field)
    if clean_pinned:
        pinned_ids = {i for line in clean_pinned for i in line}
        found = candidates.filter(id__in=pinned_ids).values_list("id", flat=True)
        check_pinned_in_pool(clean_pinned, {peer_token(i) for i in found})
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


def pool_field_of(source: str) -> str:
    """The form field an error about the pool belongs to."""
    return {"theme": "theme", "alliance": "alliance", "call": "call"}.get(source, "source")


def check_pool_size(kind: str, n: int, rules: Mapping[str, Any], pool_field: str) -> None:
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
