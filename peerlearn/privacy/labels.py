"""What each table of the archive holds, in words, for the "My data" page.

The archive keeps its file names (``call_applications.csv``); the page names each table
in the reader's language beside its file name. A test fails on a table without a label.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TABLE_LABELS: dict[str, Promise] = {
    "account": _("Your account"),
    "profile": _("Your peer profile"),
    "languages": _("Your working languages"),
    "challenges": _("What you asked peers for help with (challenges)"),
    "experiences": _("What you offered to share (experiences)"),
    "authorisations": _("Your home organisation's authorisations, asked for or given"),
    "memberships": _("The learning alliances you belong to, and your role"),
    "proposals": _("Matching proposals you were part of, and your answers"),
    "call_applications": _("Your applications to open calls"),
    "matching_runs_started": _("Matchings you ran"),
    "api_tokens": _("Your API tokens' labels and dates (never the secret key)"),
    "audit_events": _("What the audit trail recorded about your actions"),
    "contact_messages": _("Messages you sent to peers through their profile, and received"),
    "call_invitations": _("Open calls you were invited to apply to"),
    "authoriser_asks": _("The people you asked the administrators to invite as your authoriser"),
    "threads_started": _("Discussions you started"),
    "posts": _("What you wrote in discussions"),
    "thread_follows": _("The discussions you follow"),
    "discussion_notices": _("Notices of new posts and mentions sent to you"),
    "post_reports": _("Posts you reported to a discussion's moderators, and why"),
    "library_cases": _("Case studies you wrote or submitted to the library"),
    "library_resources": _("Resources you added or submitted to the library"),
    "initiatives_proposed": _("Initiatives you proposed"),
    "learning_needs": _("Learning needs you raised in alliances"),
    "strategy_ranks": _("How you ranked your alliances' groups of needs"),
    "strategy_parts": _("Your part in your alliances' learning strategies"),
    "checklist_answers": _("Your answers to alliances' checklists"),
    "risk_notes": _("Risk notes you wrote"),
    "activities_attended": _("Activities you were invited to, and whether you attended"),
    "activity_feedback": _("Your feedback after activities"),
    "actions_owned": _("Action plan actions you own"),
    "diary_entries": _("Your learning diary"),
    "scorecard_sheets": _("Scorecards you filled in"),
    "records_made": _("Records you made in your role (calls, invitations, activities, …)"),
    "settings": _("Your e-mail and calendar settings"),
}


def table_label(name: str) -> str:
    """The table's label, or its name where it has none."""
    label = TABLE_LABELS.get(name)
    return str(label) if label is not None else name
