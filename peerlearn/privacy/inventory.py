"""Every link from a record to a person, and what "My data" does with it.

Each foreign key or many-to-many field from a peerlearn model to the user model or to
``peers.PeerProfile`` is listed here once, keyed ``"app_label.Model.field"``: either the
archive table that carries the person's rows (:class:`Exported`), or the reason it does not
(:class:`NotExported`). A test walks the models and fails on a field missing from this
mapping, so a new app cannot forget the person's right to take their data away.

>>> PERSON_LINKS["discussions.Post.author"]
Exported(table='posts')
>>> PERSON_LINKS["discussions.Post.hidden_by"].reason.startswith("A moderator")
True
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Exported:
    """The person's rows through this field go to ``table`` in the archive."""

    table: str


@dataclass(frozen=True)
class NotExported:
    """The field's rows are deliberately left out of the archive, for ``reason``."""

    reason: str


_MODERATION = (
    "A moderator's or reviewer's act on someone else's content: the content is its author's; "
    "the act itself is in the audit trail (audit_events)."
)

PERSON_LINKS: dict[str, Exported | NotExported] = {
    # accounts, peers
    "accounts.ApiToken.user": Exported("api_tokens"),
    "accounts.User.invited_by": Exported("account"),
    "peers.PeerProfile.user": Exported("profile"),
    "peers.Authorisation.peer": Exported("authorisations"),
    "peers.Authorisation.authoriser": Exported("authorisations"),
    "peers.Challenge.peer": Exported("challenges"),
    "peers.Experience.peer": Exported("experiences"),
    "peers.ContactMessage.sender": Exported("contact_messages"),
    "peers.ContactMessage.recipient": Exported("contact_messages"),
    "peers.AuthoriserAsk.peer": Exported("authoriser_asks"),
    # initiatives
    "initiatives.Initiative.proposed_by": Exported("initiatives_proposed"),
    "initiatives.Initiative.reviewed_by": NotExported(_MODERATION),
    # alliances
    "alliances.AllianceMembership.user": Exported("memberships"),
    "alliances.StageChange.changed_by": Exported("records_made"),
    "alliances.AllianceInvitation.invited_by": Exported("records_made"),
    "alliances.AllianceInvitation.accepted_by": NotExported(
        "The invitation is the inviter's record (it holds the address they typed); "
        "accepting it made the membership, exported in memberships."
    ),
    "alliances.ChecklistAnswer.answered_by": Exported("checklist_answers"),
    "alliances.RiskNote.written_by": Exported("risk_notes"),
    # matchmaking
    "matchmaking.OpenCall.created_by": Exported("records_made"),
    "matchmaking.CallApplication.peer": Exported("call_applications"),
    "matchmaking.CallInvitation.peer": Exported("call_invitations"),
    "matchmaking.CallInvitation.invited_by": Exported("records_made"),
    "matchmaking.MatchingRun.created_by": Exported("matching_runs_started"),
    "matchmaking.ProposalMember.peer": Exported("proposals"),
    "matchmaking.ExcludedPair.peer_a": NotExported(
        "A facilitator's note that two peers are not to be matched: knowing who set it, or "
        "who the other peer is, is not the person's to take away."
    ),
    "matchmaking.ExcludedPair.peer_b": NotExported(
        "A facilitator's note that two peers are not to be matched: knowing who set it, or "
        "who the other peer is, is not the person's to take away."
    ),
    "matchmaking.ExcludedPair.created_by": Exported("records_made"),
    # strategy
    "strategy.LearningNeed.author": Exported("learning_needs"),
    "strategy.GroupRank.member": Exported("strategy_ranks"),
    "strategy.StrategyPart.member": Exported("strategy_parts"),
    "strategy.LearningObjective.learn_from": NotExported(
        "Another member's learning objective naming the person as someone to learn from: "
        "it is that member's plan."
    ),
    # activities
    "activities.Activity.created_by": Exported("records_made"),
    "activities.Activity.participants": Exported("activities_attended"),
    "activities.ActivityParticipant.user": Exported("activities_attended"),
    "activities.ActivityFeedback.author": Exported("activity_feedback"),
    "activities.ActionPlanAction.owner": Exported("actions_owned"),
    "activities.CalendarSettings.user": Exported("settings"),
    # evidence
    "evidence.Indicator.created_by": Exported("records_made"),
    "evidence.OutcomeStatement.created_by": Exported("records_made"),
    "evidence.KnowledgeTransfer.created_by": Exported("records_made"),
    "evidence.DiaryEntry.author": Exported("diary_entries"),
    "evidence.Insight.created_by": Exported("records_made"),
    "evidence.Digest.authoriser": Exported("records_made"),
    "evidence.ScorecardRound.created_by": Exported("records_made"),
    "evidence.ScorecardSheet.assessor": Exported("scorecard_sheets"),
    # audit, notifications, reports
    "audit.AuditEvent.actor": Exported("audit_events"),
    "notifications.DigestPreference.user": Exported("settings"),
    "reports.PriorityAssessment.assessed_by": Exported("records_made"),
    # library
    "library.Case.author": Exported("library_cases"),
    "library.Case.reviewed_by": NotExported(_MODERATION),
    "library.Resource.author": Exported("library_resources"),
    "library.Resource.reviewed_by": NotExported(_MODERATION),
    # discussions
    "discussions.Thread.created_by": Exported("threads_started"),
    "discussions.Thread.locked_by": NotExported(_MODERATION),
    "discussions.Thread.summary_by": NotExported(_MODERATION),
    "discussions.Post.author": Exported("posts"),
    "discussions.Post.hidden_by": NotExported(_MODERATION),
    "discussions.ThreadFollow.user": Exported("thread_follows"),
    "discussions.Notice.recipient": Exported("discussion_notices"),
    "discussions.PostReport.reporter": Exported("post_reports"),
    "discussions.PostReport.resolved_by": NotExported(_MODERATION),
}
