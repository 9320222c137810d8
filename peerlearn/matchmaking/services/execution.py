"""A queued matching run done in the background: its pool built, solved, explained and
stored as proposals; a run whose worker stopped is failed with the reason."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import nullcontext
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

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
from peerlearn.matching.progress import ProgressHook, reporting
from peerlearn.matchmaking.embeddings import matching_encoder
from peerlearn.matchmaking.explanations import NO_STATEMENTS, peer_token, stored, token_peer_id
from peerlearn.matchmaking.models import (
    MatchingRun,
    PoolSource,
    Proposal,
    ProposalMember,
    ProposalRole,
    RunKind,
    RunStage,
    RunStatus,
)
from peerlearn.matchmaking.selectors import (
    Pool,
    excluded_pairs_within,
    matching_pool,
    pool_candidates,
)
from peerlearn.matchmaking.services.rules import (
    RULE_DEFAULTS,
    check_pinned_in_pool,
    group_sizes_for,
    rule_error,
    rules_for_library,
    run_score_weights,
)
from peerlearn.matchmaking.services.runs import (
    check_pool_size,
    pool_field_of,
)

logger = logging.getLogger(__name__)

#: How a running matching reports progress: (stage, percent done).
RunReporter = Callable[[str, int], None]


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
    pool_field = pool_field_of(source)
    clean_rules = {k: v for k, v in run.rules.items() if k != "pinned"}
    clean_pinned: list[list[int]] = run.rules.get("pinned", [])
    focus_theme = run.theme if source in (PoolSource.THEME, PoolSource.CALL) else None
    pool = matching_pool(user=user, candidates=candidates, theme=focus_theme)
    # Every candidate counts in the pool, as when the run was queued: those who cannot take
    # part are listed as left out, with the reason.
    pool_size = len(pool.peers)
    if kind == RunKind.PAIRS:
        _drop_silent_peers(pool)
    check_pool_size(kind, len(pool), clean_rules, pool_field)
    if kind == RunKind.GROUPS:
        low, high = group_sizes_for(len(pool))
        if clean_rules["min_size"] is None:
            clean_rules["min_size"] = min(low, clean_rules["max_size"] or low)
        if clean_rules["max_size"] is None:
            clean_rules["max_size"] = max(high, clean_rules["min_size"])
    exclusions = excluded_pairs_within(candidates)
    in_pool = {p.id for p in pool.peers}
    check_pinned_in_pool(clean_pinned, in_pool)
    excluded = frozenset(
        frozenset((peer_token(a), peer_token(b)))
        for a, b in exclusions
        if peer_token(a) in in_pool and peer_token(b) in in_pool
    )
    library_rules = rules_for_library(kind, clean_rules, excluded, clean_pinned)
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
                "relaxation_places": d.relaxation_places,
                "relaxation_blocked_by": d.relaxation_blocked_by,
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
        raise rule_error(e, [*RULE_DEFAULTS[kind], "problem", "pinned"]) from e


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
