"""Writing matchings: running one over a pool, sending its proposals, peers' answers,
confirming a proposal into a learning alliance, excluded pairs and open calls."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
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
    TeamRules,
    match_groups,
    match_pairs,
    match_team,
)
from peerlearn.matching import rules as matching_rules
from peerlearn.matchmaking.embeddings import matching_encoder
from peerlearn.matchmaking.explanations import NO_STATEMENTS, peer_token, stored, token_peer_id
from peerlearn.matchmaking.models import (
    CallApplication,
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
    RunStatus,
)
from peerlearn.matchmaking.selectors import (
    Pool,
    excluded_pairs_within,
    matching_pool,
    pool_candidates,
)
from peerlearn.peers.models import PeerProfile

logger = logging.getLogger(__name__)

#: Larger pools are refused: the run happens while the facilitator waits for the page.
#: The solver's time limit is settings.PEERLEARN_MATCHING_TIME_LIMIT.
MAX_POOL = 5000

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
    if not errors and sizes[0] and sizes[1] and sizes[1] < sizes[0]:
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
) -> MatchingRun:
    """Match a pool of the peers ``created_by`` may see, and store the result as a draft.

    Only statements visible to the facilitator reach the matcher. Earlier declines and
    recorded conflicts of interest are always excluded; ``pinned`` peers are kept together
    (see ``pinned_clean``). An infeasible request is stored too: with no proposals, the
    library's diagnosis and the unmatched peers' reasons."""
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
    n_candidates = candidates.count()
    pool_field = {"theme": "theme", "alliance": "alliance", "call": "call"}.get(source, "source")
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
    focus_theme = theme_row if source in (PoolSource.THEME, PoolSource.CALL) else None
    pool = matching_pool(user=created_by, candidates=candidates, theme=focus_theme)
    if kind == RunKind.PAIRS:
        _drop_silent_peers(pool)
    if len(pool) < 2:
        raise ValidationError(
            {
                pool_field: [
                    _(
                        "The pool holds %(n)s peer(s) you can see; a matching needs at least "
                        "two. Choose a wider pool."
                    )
                    % {"n": len(pool)}
                ]
            }
        )
    if kind == RunKind.TEAM and len(pool) < clean_rules["size"]:
        raise ValidationError(
            {
                "size": [
                    _(
                        "The pool holds %(n)s peers you can see: choose a team of at most "
                        "%(n)s, or a wider pool."
                    )
                    % {"n": len(pool)}
                ]
            }
        )
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
    limit = time_limit or float(settings.PEERLEARN_MATCHING_TIME_LIMIT)
    result = _solve(kind, pool, library_rules, problem, limit)

    run = MatchingRun(
        created_by=created_by,
        kind=kind,
        status=RunStatus.DRAFT,
        source=source,
        theme=theme_row,
        pool_alliance=alliance_row,
        pool_call=call_row,
        filters=clean_filters,
        pool_size=len(pool),
        rules={**clean_rules, "pinned": clean_pinned} if clean_pinned else clean_rules,
        excluded_count=len(excluded),
        problem=problem,
        target_alliance=target,
        alliance_name="" if target else alliance_name,
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        optimal=result.optimal,
        solver=result.solver,
        encoder=result.encoder,
        seconds=result.seconds,
        # Messages are stored structured (code, params, English text) and rendered in each
        # reader's language; see explanations.py.
        diagnostics=[
            {
                "constraint": d.constraint,
                "message": stored(d.message),
                "relaxation": d.relaxation,
            }
            for d in result.diagnostics
        ],
        unmatched=[{"peer_id": pid, "reason": stored(reason)} for pid, reason in pool.left_out]
        + [
            {"peer_id": token_peer_id(u.id), "reason": stored(u.reason)}
            for u in result.unmatched
        ],
    )
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
    return run


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
) -> MatchResult:
    encoder = matching_encoder()
    try:
        if kind == RunKind.GROUPS:
            assert isinstance(rules, GroupRules)
            return match_groups(pool.peers, rules, encoder=encoder, time_limit=time_limit)
        if kind == RunKind.PAIRS:
            assert isinstance(rules, PairRules)
            return match_pairs(pool.peers, rules, encoder=encoder)
        assert isinstance(rules, TeamRules)
        return match_team(pool.peers, problem, rules, encoder=encoder, time_limit=time_limit)
    except ValueError as e:
        # The pool and rules were checked above, so this is the library refusing a
        # combination; it names the field it refused.
        raise _rule_error(e, [*RULE_DEFAULTS[kind], "problem", "pinned"]) from e


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


@transaction.atomic
def matching_run_propose(*, run: MatchingRun, site_url: str = "") -> MatchingRun:
    """Send the reviewed proposals to their peers: they can now see, accept or decline them."""
    run = MatchingRun.objects.select_for_update().get(id=run.id)
    if run.status != RunStatus.DRAFT:
        raise ValidationError({"status": [_("These proposals were already sent to the peers.")]})
    proposals = list(
        run.proposals.filter(status=ProposalStatus.PROPOSED).prefetch_related("members__peer__user")
    )
    if not proposals:
        raise ValidationError(
            {"status": [_("There is no proposal left to send: run a new matching.")]}
        )
    run.status = RunStatus.PROPOSED
    run.save(update_fields=["status", "updated_at"])
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
            },
        )
    return run


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


@transaction.atomic
def proposal_respond(
    *, proposal: Proposal, peer: PeerProfile, accept: bool, reason: str = ""
) -> ProposalMember:
    """A peer accepts or declines. A decline is final, and the decliner is never proposed
    with any of the other members again."""
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
    reason = reason.strip()
    if len(reason) > 1000:
        raise ValidationError({"reason": [_("Keep the reason under 1,000 characters.")]})
    member.response = MemberResponse.ACCEPTED if accept else MemberResponse.DECLINED
    member.responded_at = timezone.now()
    member.reason = reason
    member.full_clean()
    member.save(update_fields=["response", "responded_at", "reason"])
    if not accept:
        others = proposal.members.exclude(peer=peer).values_list("peer_id", flat=True)
        for other in others:
            _exclusion_keep(
                peer.id,
                other,
                reason=ExclusionReason.DECLINED,
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
    for a group or team), or add them to the run's alliance. Needs two who accepted."""
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
    if len(accepted) < 2:
        raise ValidationError(
            {
                "members": [
                    _(
                        "%(n)s member(s) accepted; a learning alliance needs at least two. Wait "
                        "for more answers, or withdraw the proposal."
                    )
                    % {"n": len(accepted)}
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
        # Not the explanation: it may quote members who did not accept.
        purpose = run.problem or _(
            "Peers matched on %(theme)s who chose to learn from each other."
        ) % {"theme": run.theme.display_name}
        try:
            alliance = alliance_create(
                name=name,
                theme=run.theme.slug,
                purpose=purpose,
                working_languages=_working_languages(proposal, accepted),
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
