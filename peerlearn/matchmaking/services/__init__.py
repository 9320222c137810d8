"""Writing matchings, one module per stage of a match's life:

- ``rules``: the method, weights and rules a facilitator chooses, checked;
- ``runs``: a run started over a pool and queued;
- ``execution``: the queued run matched in the background, stored as proposals;
- ``proposals``: proposals sent, answered, reminded, withdrawn and confirmed into alliances;
- ``exclusions``: pairs of peers never proposed together;
- ``calls``: open calls and applications to them.

Callers import from here.
"""

from peerlearn.matchmaking.services.calls import call_application_create, open_call_create
from peerlearn.matchmaking.services.exclusions import excluded_pair_add, excluded_pair_delete
from peerlearn.matchmaking.services.execution import (
    matching_run_execute,
    matching_runs_fail_stale,
)
from peerlearn.matchmaking.services.proposals import (
    REPLY_DAYS,
    REPLY_DAYS_MAX,
    default_alliance_name,
    matching_run_close,
    matching_run_propose,
    proposal_confirm,
    proposal_default_alliance_name,
    proposal_respond,
    proposal_withdraw,
    reminders_send,
    run_alliance_name,
)
from peerlearn.matchmaking.services.rules import (
    RULE_DEFAULTS,
    group_sizes_for,
    method_clean,
    pinned_clean,
    rules_clean,
    run_score_weights,
    weights_clean,
    weights_problems,
)
from peerlearn.matchmaking.services.runs import (
    MAX_POOL,
    matching_run_create,
    matching_run_problems,
)

__all__ = [
    "MAX_POOL",
    "REPLY_DAYS",
    "REPLY_DAYS_MAX",
    "RULE_DEFAULTS",
    "call_application_create",
    "default_alliance_name",
    "excluded_pair_add",
    "excluded_pair_delete",
    "group_sizes_for",
    "matching_run_close",
    "matching_run_create",
    "matching_run_execute",
    "matching_run_problems",
    "matching_run_propose",
    "matching_runs_fail_stale",
    "method_clean",
    "open_call_create",
    "pinned_clean",
    "proposal_confirm",
    "proposal_default_alliance_name",
    "proposal_respond",
    "proposal_withdraw",
    "reminders_send",
    "rules_clean",
    "run_alliance_name",
    "run_score_weights",
    "weights_clean",
    "weights_problems",
]
