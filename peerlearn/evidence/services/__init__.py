"""Writes of the evidence app, one module per stage (results, transfers, diaries,
scorecards): keyword-only, validated (``ValidationError`` keyed by the field, with a
message that names the fix), atomic."""

from __future__ import annotations

from peerlearn.evidence.services.diaries import (
    diary_entry_create,
    diary_entry_delete,
    diary_entry_update,
    digest_period,
    digests_send,
    insight_create,
    insight_delete,
    insight_update,
)
from peerlearn.evidence.services.results import (
    INDICATOR_FIELDS,
    OUTCOME_FIELDS,
    indicator_create,
    indicator_delete,
    indicator_period_save,
    indicator_update,
    outcome_create,
    outcome_delete,
    outcome_problems,
    outcome_update,
    period_dates_problems,
)
from peerlearn.evidence.services.scorecards import (
    round_dates_problems,
    scorecard_round_create,
    scorecard_round_delete,
    scorecard_round_update,
    scorecard_sheet_submit,
)
from peerlearn.evidence.services.transfers import (
    transfer_create,
    transfer_delete,
    transfer_problems,
    transfer_update,
)

__all__ = [
    "INDICATOR_FIELDS",
    "OUTCOME_FIELDS",
    "diary_entry_create",
    "diary_entry_delete",
    "diary_entry_update",
    "digest_period",
    "digests_send",
    "indicator_create",
    "indicator_delete",
    "indicator_period_save",
    "indicator_update",
    "insight_create",
    "insight_delete",
    "insight_update",
    "outcome_create",
    "outcome_delete",
    "outcome_problems",
    "outcome_update",
    "period_dates_problems",
    "round_dates_problems",
    "scorecard_round_create",
    "scorecard_round_delete",
    "scorecard_round_update",
    "scorecard_sheet_submit",
    "transfer_create",
    "transfer_delete",
    "transfer_problems",
    "transfer_update",
]
