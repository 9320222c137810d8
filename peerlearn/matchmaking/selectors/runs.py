"""Matching runs as a facilitator reads them: the list, and a run's page with its method,
solver figures and proposals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from babel.lists import format_list
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from peerlearn.access.base import Viewer
from peerlearn.access.matching import (
    matching_runs_visible_to,
)
from peerlearn.access.peers import peers_visible_to
from peerlearn.core.geography import country_name, current_locale, language_name
from peerlearn.matching import methods as matching_methods
from peerlearn.matching import multilingual
from peerlearn.matching.types import SENIOR_LEVEL
from peerlearn.matchmaking.explanations import (
    Renderer,
    rule_label,
)
from peerlearn.matchmaking.models import (
    MatchingRun,
    MemberResponse,
    Proposal,
    ProposalStatus,
    RunStatus,
)
from peerlearn.matchmaking.selectors.proposals import (
    AnswerCounts,
    ProposalView,
    explanation_view,
    members_prefetch,
    proposal_view,
    reason_code,
)
from peerlearn.peers.models import PeerProfile, ReformStage


def run_list(*, user: Viewer) -> QuerySet[MatchingRun]:
    runs: QuerySet[MatchingRun] = (
        matching_runs_visible_to(user)
        .select_related("theme", "created_by", "pool_alliance", "pool_call", "target_alliance")
        .annotate(
            n_proposals=Count("proposals", distinct=True),
            n_confirmed=Count(
                "proposals",
                filter=Q(proposals__status=ProposalStatus.CONFIRMED),
                distinct=True,
            ),
            **{
                f"n_{name}": Count(
                    "proposals__members",
                    filter=Q(proposals__members__response=response)
                    & ~Q(proposals__status=ProposalStatus.WITHDRAWN),
                    distinct=True,
                )
                for name, response in (
                    ("accepted", MemberResponse.ACCEPTED),
                    ("declined", MemberResponse.DECLINED),
                    ("not_now", MemberResponse.NOT_NOW),
                    ("pending", MemberResponse.PENDING),
                )
            },
        )
        .order_by("-created_at", "-id")
    )
    return runs


#: One line of a run's list: a proposal as the viewer may see it, beside its line of the
#: summary.
Row = tuple[ProposalView, dict[str, Any]]


@dataclass
class RunDetail:
    run: MatchingRun
    proposals: list[ProposalView]
    visible_peer_ids: set[int]
    unmatched: list[dict[str, Any]]
    diagnostics: list[dict[str, Any]]
    summary: list[dict[str, Any]] = field(default_factory=list)  # one row per proposal
    solver: dict[str, Any] = field(default_factory=dict)  # the solver's figures in words
    to_send: dict[str, int] = field(default_factory=dict)  # proposals and peers a send e-mails
    method: dict[str, Any] = field(default_factory=dict)  # how peers were matched, in words
    # Whether every proposal's explanation was built; if not, each is empty until
    # ``explained`` builds it, with the names the viewer may see and the page's renderer.
    explained_all: bool = True
    names: dict[int, str] = field(default_factory=dict, repr=False)
    renderer: Renderer = field(default_factory=lambda: Renderer({}), repr=False)

    @property
    def rows(self) -> list[Row]:
        """Each proposal beside its line of the summary, for the run page's list."""
        return list(zip(self.proposals, self.summary, strict=True))

    @property
    def answers(self) -> AnswerCounts:
        """The members' answers over the proposals not withdrawn."""
        total = AnswerCounts()
        for p in self.proposals:
            if p.proposal.status != ProposalStatus.WITHDRAWN:
                total += p.answers
        return total

    def rows_shown(self, show: str) -> list[Row]:
        """The list's rows under the filter ``show`` (every row for "" or an unknown one)."""
        if show not in PROPOSAL_FILTERS:
            return self.rows
        return [(view, line) for view, line in self.rows if proposal_shown(view, show)]

    def explained(self, rows: Iterable[Row]) -> list[Row]:
        """``rows`` with their proposals' explanations, the costly part of a run's page:
        built here, for the rows a page shows, unless ``run_detail`` built them all."""
        if self.explained_all:
            return list(rows)
        return [
            (
                replace(view, explanation=_explanation(view.proposal, self.names, self.renderer)),
                line,
            )
            for view, line in rows
        ]

    def filter_choices(self, show: str) -> list[dict[str, Any]]:
        """The filters the run page offers over its proposals, each with how many it shows:
        every proposal, then those of the filters some proposal falls under (and the one
        chosen, even if none does). Each proposal falls under one filter, so their counts
        add up to the first's; when they all fall under the same one, filtering would
        narrow nothing and only the first is offered (unless another is chosen)."""
        labels = proposal_filter_labels()
        counts = Counter(proposal_state(view) for view in self.proposals)
        out = [{"value": "", "label": labels[""], "count": len(self.proposals), "chosen": not show}]
        if len(counts) < 2 and show not in PROPOSAL_FILTERS:
            return out
        for key in PROPOSAL_FILTERS:
            if counts[key] or key == show:
                out.append(
                    {
                        "value": key,
                        "label": labels[key],
                        "count": counts[key],
                        "chosen": key == show,
                    }
                )
        return out


#: A proposal's fit, from its score relative to the best proposal of its run: at least this
#: share of the best is "strong", then "good"; below, "fair".
FIT_LEVELS: tuple[tuple[float, str], ...] = ((0.85, "strong"), (0.6, "good"))


#: The run page's filters over its proposals, in the order it offers them: what the
#: facilitator has to act on first, what is settled last. Each proposal falls under exactly
#: one (``proposal_state``), so their counts add up to the run's proposals. A proposal sent
#: and still open is, by the first that applies:
#:
#: - "ready": enough members accepted for it to be confirmed, even if others have not
#:   answered yet: confirm it;
#: - "declined": a member declined and too few accepted, whether enough of the others may
#:   still accept or not (out of reach): replace or withdraw it, or wait;
#: - "waiting": the rest, waiting for answers (a "not now" may still become an acceptance).
#:
#: "draft": not sent yet, in a run under review: withdraw it, or send it with the others.
#: Then the proposals' closing statuses, "confirmed" and "withdrawn". A proposal still
#: "proposed" in a run closed (closing a run withdraws its open proposals, so this is data
#: changed by hand) counts as withdrawn: nobody may answer or confirm it any more.
PROPOSAL_FILTERS: tuple[str, ...] = (
    "ready",
    "declined",
    "waiting",
    "draft",
    "confirmed",
    "withdrawn",
)


def proposal_filter_labels() -> dict[str, str]:
    return {
        "": _("All proposals"),
        "ready": _("Enough acceptances to confirm"),
        "declined": _("Declined by a member"),
        "waiting": _("Waiting for answers"),
        "draft": _("Draft — not sent yet"),
        "confirmed": _("Confirmed"),
        "withdrawn": _("Withdrawn"),
    }


def proposal_state(view: ProposalView) -> str:
    """The one filter of ``PROPOSAL_FILTERS`` that lists the proposal, whoever reads it: it
    reads the proposal's statuses and answer counts only."""
    p = view.proposal
    if p.status == ProposalStatus.CONFIRMED:
        return "confirmed"
    if p.status == ProposalStatus.WITHDRAWN:
        return "withdrawn"
    if p.run.status == RunStatus.DRAFT:
        return "draft"
    if p.run.status != RunStatus.PROPOSED:
        return "withdrawn"
    if view.answers.accepted >= view.needed:
        return "ready"
    if view.answers.declined:
        return "declined"
    return "waiting"


def proposal_shown(view: ProposalView, show: str) -> bool:
    """Whether the run page's filter ``show`` lists the proposal: only the one its
    ``proposal_state`` names does, but "" (or a filter unknown) lists every proposal."""
    return show not in PROPOSAL_FILTERS or proposal_state(view) == show


def pool_filter_names(filters: dict[str, Any] | None) -> list[str]:
    """A run's pool filters ("All peers I can see" narrowed) in words, in the reader's
    language: the country's and the working language's names, and the reform stage's."""
    f = filters or {}
    out = []
    if f.get("country"):
        out.append(country_name(str(f["country"])))
    if f.get("language"):
        out.append(language_name(str(f["language"])))
    stage = f.get("stage")
    if stage:
        try:
            label = str(ReformStage(int(stage)).label)
        except (TypeError, ValueError):
            label = str(stage)
        out.append(_("reform stage: %(stage)s") % {"stage": label})
    return out


def fit_labels() -> dict[str, str]:
    return {"strong": _("strong"), "good": _("good"), "fair": _("fair")}


def _comparable_score(kind: str, score: float, size: int) -> float:
    """A group's score sums its members' weights over ordered pairs, so it grows with the
    group's size: groups are compared by their mean weight per pair."""
    if kind == "groups" and size > 1:
        return score / (size * (size - 1))
    return score


def proposal_summary(kind: str, rows: list[ProposalView]) -> list[dict[str, Any]]:
    """One line per proposal for the run's summary table: size, shared working language,
    countries, senior peers, the main shared concern and a fit in words."""
    scores = [_comparable_score(kind, row.proposal.score, len(row.members)) for row in rows]
    best = max(scores, default=0.0)
    labels = fit_labels()
    out = []
    for row, score in zip(rows, scores, strict=True):
        p = row.proposal
        share = score / best if best > 0 else 1.0
        fit = next((name for least, name in FIT_LEVELS if share >= least), "fair")
        peers = [m.member.peer for m in row.members]
        countries = {
            peer.user.organisation.country_id
            for peer in peers
            if peer.user.organisation is not None and peer.user.organisation.country_id
        }
        # As the explanation shows them, read from the stored one: the line is built for
        # every proposal, the explanation only for those a page shows.
        concepts = [str(c) for c in (p.explanation or {}).get("shared_concepts", [])]
        out.append(
            {
                "proposal_id": p.id,
                "position": p.position,
                "status": p.status,
                "names": member_names(row),
                "size": len(row.members),
                "language": p.language,
                "language_name": p.language_name,
                "countries": len(countries),
                "seniors": sum(1 for peer in peers if peer.seniority >= SENIOR_LEVEL),
                "concern": ", ".join(concepts[:2]),
                "fit": fit,
                "fit_label": labels[fit],
                "score": p.score,
                "fit_share": round(max(0.0, min(share, 1.0)), 3),
            }
        )
    return out


#: A proposal's line names this many members at most; a larger group names the first
#: two and counts the others.
NAMES_SHOWN = 3


def member_names(row: ProposalView) -> str:
    """The proposal's members by name, as a list in the reader's language ("Amina and
    Dora"; "Amina, Baraka and 4 others" for a larger group); those the reader may not see
    as "a peer whose profile is not shared"."""
    hidden = _("a peer whose profile is not shared")
    names = [m.name or hidden for m in row.members]
    if len(names) > NAMES_SHOWN:
        others = len(names) - 2
        names = [
            *names[:2],
            ngettext("%(count)s other", "%(count)s others", others) % {"count": others},
        ]
    return locale_list(names)


def locale_list(items: list[str]) -> str:
    """Words joined as a list in the reader's language ("A, B and C", "A, B et C")."""
    locale = current_locale()
    if locale is None or not items:
        return ", ".join(items)
    return format_list(items, locale=locale)


def _percent(gap: float) -> int:
    """A gap as a whole percentage; a gap above zero never reads as 0 %."""
    return max(1, round(gap * 100)) if gap > 0 else 0


def solver_summary(run: MatchingRun) -> dict[str, Any]:
    """The solver's figures in words: how close to the best possible the arrangement is,
    and how the texts were compared."""
    encoder = run.encoder or ""
    if encoder.startswith("tfidf"):
        compared = _("compared texts by shared words (TF-IDF)")
    elif encoder:
        compared = _("compared texts by meaning (sentence model)")
    else:
        compared = ""
    if run.optimal:
        quality = _("The arrangement is proven the best possible under these rules.")
    elif run.gap is not None and run.block_gap is not None:
        quality = _(
            "The pool was searched in blocks of similar peers. Within those blocks, the "
            "arrangement found is within %(block)s%% of the best possible; over the whole pool "
            "the proven bound is looser (%(percent)s%%), as it also counts what cutting the "
            "pool into blocks may cost."
        ) % {"block": _percent(run.block_gap), "percent": _percent(run.gap)}
    elif run.gap is not None:
        quality = _(
            "The best arrangement found is within %(percent)s%% of the best possible. That "
            "figure is a cautious limit, reached only if every peer could have their best "
            "possible partners at once; the actual distance can be much smaller."
        ) % {"percent": _percent(run.gap)}
    else:
        quality = _("The arrangement was not compared with the best possible.")
    return {"quality": quality, "compared": compared}


def run_detail(*, user: Viewer, run: MatchingRun, explain: bool = True) -> RunDetail:
    """A run with its proposals, members, unmatched peers and diagnoses, names replaced
    where the viewer may see the peer. With ``explain`` False, the proposals' explanations
    are left empty for ``RunDetail.explained`` to build, for a page that shows a few
    proposals, or none, of a long run."""
    run = (
        MatchingRun.objects.select_related(
            "theme", "created_by", "pool_alliance", "pool_call", "target_alliance"
        )
        .prefetch_related(
            Prefetch(
                "proposals",
                queryset=Proposal.objects.select_related("alliance")
                .prefetch_related(members_prefetch())
                .order_by("position"),
            )
        )
        .get(id=run.id)
    )
    proposals = list(run.proposals.all())
    member_ids = {m.peer_id for p in proposals for m in p.members.all()}
    unmatched_ids = {int(u["peer_id"]) for u in run.unmatched if u.get("peer_id") is not None}
    all_ids = member_ids | unmatched_ids
    visible = set(peers_visible_to(user).filter(id__in=all_ids).values_list("id", flat=True))
    names = dict(PeerProfile.objects.filter(id__in=visible).values_list("id", "user__name"))
    render = Renderer(names)
    unmatched = [
        {
            "peer_id": u.get("peer_id") if u.get("peer_id") in visible else None,
            "name": names.get(u.get("peer_id")) or _("A peer (profile not shared)"),
            "reason": render(u.get("reason", "")),
            "code": reason_code(u.get("reason")),
        }
        for u in run.unmatched
    ]
    diagnostics = [
        {
            "constraint": d.get("constraint", ""),
            "rule": rule_label(d.get("constraint", "")),
            "message": render(d.get("message", "")),
            "code": reason_code(d.get("message")),
            "relaxation": d.get("relaxation") or {},
            "relaxation_text": relaxation_text(d.get("relaxation") or {}),
            "relaxation_places": d.get("relaxation_places"),
            "relaxation_blocked_by": d.get("relaxation_blocked_by"),
            "relaxation_blocked_by_text": blocking_text(
                d.get("relaxation_blocked_by"), run.rules or {}
            ),
            "relaxation_sentence": relaxation_sentence(
                d.get("relaxation") or {},
                places=d.get("relaxation_places"),
                blocked_by=blocking_text(d.get("relaxation_blocked_by"), run.rules or {}),
                blocked_code=d.get("relaxation_blocked_by"),
            ),
        }
        for d in run.diagnostics
    ]
    views = [
        proposal_view(
            user=user,
            proposal=p,
            visible=visible,
            explanation=_explanation(p, names, render) if explain else {},
        )
        for p in proposals
    ]
    return RunDetail(
        run=run,
        proposals=views,
        visible_peer_ids=visible,
        unmatched=unmatched,
        diagnostics=diagnostics,
        summary=proposal_summary(run.kind, views),
        solver=solver_summary(run),
        to_send=_to_send(views),
        method=method_summary(run),
        explained_all=explain,
        names=names,
        renderer=render,
    )


def _explanation(proposal: Proposal, names: dict[int, str], render: Renderer) -> dict[str, Any]:
    """A proposal's explanation on its run's page, in full: only the run's facilitator and
    administrators read that page."""
    return explanation_view(proposal=proposal, names=names, full=True, render=render)


#: The score weights in words, in the order of ``WEIGHT_NAMES`` (run form and run page).
WEIGHT_LABELS: dict[str, Any] = {
    "challenge": gettext_lazy("Similar challenges"),
    "complementary": gettext_lazy("One's experience answers another's challenge"),
    "theme": gettext_lazy("Same theme"),
    "stage": gettext_lazy("Same reform stage"),
    "organisation_type": gettext_lazy("Same type of organisation"),
}


#: The multilingual models' names, as runs record them.
MULTILINGUAL_MODELS = frozenset({multilingual.E5_NAME, multilingual.USE_NAME})


def _encoder_label(encoder: str) -> str:
    """How a run's texts were compared, from the encoder's name, in the reader's language."""
    if encoder.startswith("tfidf"):
        return _("shared words (TF-IDF), the fallback when the sentence model is not installed")
    if encoder in MULTILINGUAL_MODELS:
        return _(
            "meaning, in and across languages, with the multilingual sentence model %(name)s"
        ) % {"name": encoder}
    if encoder:
        return _("meaning, with the sentence model %(name)s") % {"name": encoder}
    return ""


def method_summary(run: MatchingRun) -> dict[str, Any]:
    """How a run matched peers, in the reader's language: the method's value, name and
    meaning, the score weights used (those the facilitator changed flagged), and the text
    encoder. Runs stored before methods were named have an empty ``method``."""
    if not run.method:
        return {
            "method": "",
            "label": "",
            "description": "",
            "weights": [],
            "encoder": run.encoder,
            "encoder_label": _encoder_label(run.encoder),
        }
    spec = matching_methods.method_spec(run.method)
    used = matching_methods.method_weights(run.method, run.weights or None)
    changed = set(run.weights or {})
    weights = [
        {
            "name": name,
            "label": str(WEIGHT_LABELS[name]),
            "value": getattr(used, name),
            "changed": name in changed,
        }
        for name in matching_methods.WEIGHT_NAMES
    ]
    return {
        "method": spec.method.value,
        "label": _(spec.label),
        "description": _(spec.description),
        "weights": weights if run.kind != "team" else [],
        "encoder": run.encoder,
        "encoder_label": _encoder_label(run.encoder),
    }


def _to_send(views: list[ProposalView]) -> dict[str, int]:
    """What sending a draft run's proposals does: each member of a proposal not withdrawn
    gets one e-mail per proposal."""
    sent = [v for v in views if v.proposal.status == ProposalStatus.PROPOSED]
    peers = {m.member.peer_id for v in sent for m in v.members}
    emails = sum(len(v.members) for v in sent)
    return {"proposals": len(sent), "peers": len(peers), "emails": emails}


def relaxation_text(relaxation: dict[str, Any]) -> str:
    """A diagnosis's smallest relaxation in words: each rule by its label, with its value
    (yes/no for a rule that is on or off)."""
    parts = []
    for name, value in relaxation.items():
        if isinstance(value, bool):
            shown = _("yes") if value else _("no")
        elif value is None:
            shown = _("no limit")
        else:
            shown = str(value)
        parts.append(_("%(rule)s: %(value)s") % {"rule": rule_label(name), "value": shown})
    return "; ".join(parts)


def relaxation_change(name: str, value: Any) -> str:
    """One rule changed, as a phrase to start a sentence with: "turning off “…”", "setting
    “…” to 5", "lifting the limit on “…”"."""
    rule = rule_label(name)
    if value is True:
        return _("turning on “%(rule)s”") % {"rule": rule}
    if value is False:
        return _("turning off “%(rule)s”") % {"rule": rule}
    if value is None:
        return _("lifting the limit on “%(rule)s”") % {"rule": rule}
    return _("setting “%(rule)s” to %(value)s") % {"rule": rule, "value": value}


def relaxation_sentence(
    relaxation: dict[str, Any],
    *,
    places: bool | None = None,
    blocked_by: str = "",
    blocked_code: str | None = None,
) -> str:
    """A diagnosis's smallest relaxation as a sentence: "Turning off “a working language
    everyone shares” would remove this obstacle."; when the check found that it alone
    places none of the peers left out (``places`` False), that another rule, named when
    known (``blocked_by``), still keeps them apart. Empty without a relaxation."""
    if not relaxation:
        return ""
    changes = locale_list([relaxation_change(n, v) for n, v in relaxation.items()])
    relaxed_codes = set(relaxation) | (
        {"size"} if {"min_size", "max_size"} & set(relaxation) else set()
    )
    if places is False and blocked_code in relaxed_codes:
        # The rule relaxed is the one that still blocks: relaxing it this far is not enough.
        sentence = _(
            "%(changes)s would not be enough on its own: even then, “%(rule)s” still keeps "
            "these peers apart."
        ) % {"changes": changes, "rule": rule_label(blocked_code)}
    elif places is False and blocked_by:
        sentence = _(
            "%(changes)s would not be enough on its own: another rule still keeps these "
            "peers apart (%(rule)s)."
        ) % {"changes": changes, "rule": blocked_by}
    elif places is False:
        sentence = _(
            "%(changes)s would not be enough on its own: another rule still keeps these "
            "peers apart."
        ) % {"changes": changes}
    else:
        sentence = _("%(changes)s would remove this obstacle.") % {"changes": changes}
    return capfirst(sentence)


def blocking_text(code: str | None, rules: dict[str, Any]) -> str:
    """The rule that still keeps left-out peers apart, in words: its label with the run's
    setting (a group size as both sizes; a rule that is on by its label alone); empty when
    none is named (runs stored before the rule was recorded, or nothing blocks)."""
    if not code:
        return ""
    if code == "size" and "min_size" in rules and "max_size" in rules:
        return relaxation_text({"min_size": rules["min_size"], "max_size": rules["max_size"]})
    value = rules.get(code)
    if value is None or isinstance(value, (bool, list, dict)):
        return rule_label(code)
    return relaxation_text({code: value})
