"""Prepares a demo database for benchmarks/load.py (run by it, in the server's environment).

After ``peerlearn demo``: a matching of groups over every peer the demo facilitator can see,
matched here and sent, so that peers have proposals to answer; the members of its proposals
may then sign in with the demo password. Signed-in sessions are made for them and for the
demo facilitator, so that most simulated users start signed in (a sign-in checks a password,
about a second of CPU by design). Prints, as JSON, each member's user name, proposal id and
session key, and the facilitator's session keys.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")


#: Signed-in sessions made for the demo facilitator (one per simulated facilitator).
FACILITATOR_SESSIONS = 100


def session_for(user: Any) -> str:
    """The key of a new signed-in session of ``user``, as a sign-in would store it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return str(session.session_key)


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
    # A session is bound to the password it was made with: read the users anew.
    users = User.objects.in_bulk([m.peer.user_id for m in members])
    print(
        json.dumps(
            {
                "peers": [
                    [m.peer.user.username, m.proposal_id, session_for(users[m.peer.user_id])]
                    for m in members
                ],
                "facilitators": [session_for(facilitator) for _ in range(FACILITATOR_SESSIONS)],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
