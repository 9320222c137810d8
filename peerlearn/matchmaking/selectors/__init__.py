"""Reading matchings, always through the access layer, one module per part of a match's life:

- ``pools``: the pool a facilitator may match;
- ``runs``: runs, and a run's page;
- ``proposals``: proposals as each viewer may see them, with their explanations;
- ``calls``: open calls, their applications, and the pairs kept apart.

Callers import from here.
"""

from peerlearn.matchmaking.selectors.calls import (
    OpenCallDetail,
    call_applications,
    excluded_pair_list,
    open_call_detail,
    open_call_list,
)
from peerlearn.matchmaking.selectors.pools import (
    Pool,
    excluded_pairs_within,
    matching_pool,
    pool_candidates,
)
from peerlearn.matchmaking.selectors.proposals import (
    AnswerCounts,
    MemberView,
    ProposalView,
    explanation_view,
    open_proposals_for_member,
    proposal_detail,
    proposal_list_for_member,
    proposal_view,
    proposals_that_cannot_go_ahead,
    statement_open_proposals,
)
from peerlearn.matchmaking.selectors.runs import (
    FIT_LEVELS,
    MULTILINGUAL_MODELS,
    PROPOSAL_FILTERS,
    WEIGHT_LABELS,
    RunDetail,
    fit_labels,
    method_summary,
    pool_filter_names,
    proposal_filter_labels,
    proposal_shown,
    proposal_state,
    proposal_summary,
    relaxation_text,
    run_detail,
    run_list,
    solver_summary,
)

__all__ = [
    "FIT_LEVELS",
    "MULTILINGUAL_MODELS",
    "PROPOSAL_FILTERS",
    "WEIGHT_LABELS",
    "AnswerCounts",
    "MemberView",
    "OpenCallDetail",
    "Pool",
    "ProposalView",
    "RunDetail",
    "call_applications",
    "excluded_pair_list",
    "excluded_pairs_within",
    "explanation_view",
    "fit_labels",
    "matching_pool",
    "method_summary",
    "open_call_detail",
    "open_call_list",
    "open_proposals_for_member",
    "pool_candidates",
    "pool_filter_names",
    "proposal_detail",
    "proposal_filter_labels",
    "proposal_list_for_member",
    "proposal_shown",
    "proposal_state",
    "proposal_summary",
    "proposal_view",
    "proposals_that_cannot_go_ahead",
    "relaxation_text",
    "run_detail",
    "run_list",
    "solver_summary",
    "statement_open_proposals",
]
