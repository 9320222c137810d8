"""Prepares a demo database for benchmarks/load.py (run by it, in the server's environment).

After ``peerlearn demo``: a matching of groups over every peer the demo facilitator can see,
matched here and sent, so that peers have proposals to answer; the members of its proposals
may then sign in with the demo password. Prints, as JSON, the user names of those members
with their proposal's id, and the facilitators' user names.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")


def main() -> int:
    import django

    django.setup()
    from peerlearn.accounts.models import User
    from peerlearn.matchmaking.models import ProposalMember
    from peerlearn.matchmaking.services import matching_run_create, matching_run_propose

    facilitator = User.objects.get(username="facilitator")
    run = matching_run_create(
        created_by=facilitator,
        kind="groups",
        source="peers",
        theme="revenue-pfm",
        alliance_name="Load test groups",
        time_limit=10,
    )
    run.refresh_from_db()
    if run.status != "draft":
        raise SystemExit(f"the set-up matching ended {run.status}: {run.failure_messages}")
    matching_run_propose(run=run)
    password = User.objects.get(username="peer").password
    members = list(ProposalMember.objects.filter(proposal__run=run).select_related("peer__user"))
    User.objects.filter(id__in=[m.peer.user_id for m in members]).update(password=password)
    print(
        json.dumps(
            {
                "peers": [[m.peer.user.username, m.proposal_id] for m in members],
                "facilitators": ["facilitator"],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
