"""A member's role, answer and reason for declining read as the model's own
``get_<field>_display()`` reads them, in every language."""

from __future__ import annotations

import pytest
from django.utils import translation

from peerlearn.matchmaking.models import (
    DeclineReason,
    MemberResponse,
    ProposalMember,
    ProposalRole,
)
from peerlearn.matchmaking.selectors.proposals import _label


@pytest.mark.parametrize("language", ["en", "fr"])
def test_labels_are_the_models_own(language: str) -> None:
    with translation.override(language):
        for role in [*ProposalRole.values, "unknown"]:
            assert _label(ProposalRole, role) == ProposalMember(role=role).get_role_display()
        for response in MemberResponse.values:
            member = ProposalMember(response=response)
            assert _label(MemberResponse, response) == member.get_response_display()
        for reason in [*DeclineReason.values, ""]:
            member = ProposalMember(decline_reason=reason)
            assert _label(DeclineReason, reason) == member.get_decline_reason_display()
