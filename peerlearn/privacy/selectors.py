"""Everything the platform holds about one person, as tables, and as the ZIP archive of
JSON and CSV files they download. Only ever the requester's own data: every query starts
from their account."""

from __future__ import annotations

import csv
import io
import json
import textwrap
import zipfile
from collections.abc import Iterable
from operator import attrgetter
from typing import TYPE_CHECKING

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.alliances import alliances_visible_to
from peerlearn.access.matching import open_calls_visible_to, proposals_visible_to
from peerlearn.alliances.models import AllianceMembership
from peerlearn.audit.selectors import audit_events_of
from peerlearn.matchmaking.models import CallApplication, MatchingRun, ProposalMember
from peerlearn.peers.models import Authorisation, Challenge, Experience, PeerProfile
from peerlearn.privacy.labels import table_label
from peerlearn.privacy.tables import Table, account_more_data, alliance_key

if TYPE_CHECKING:
    from peerlearn.accounts.models import User


def _statements(
    model: type[Challenge] | type[Experience], profile: PeerProfile, alliances: set[int]
) -> Table:
    return Table.of(
        model.objects.filter(peer=profile).select_related("theme", "alliance"),
        "id",
        ("theme", attrgetter("theme.slug")),
        "title",
        "description",
        ("alliance", lambda s: alliance_key(s.alliance, alliances)),
        "visibility",
        "created_at",
        "updated_at",
    )


def account_data(*, user: User) -> dict[str, Table]:
    """The person's data, one table per kind of record. Things that are not theirs
    (alliances, open calls) are named only where they may see them."""
    alliances = set(alliances_visible_to(user).values_list("id", flat=True))
    calls = set(open_calls_visible_to(user).values_list("id", flat=True))
    org = user.organisation
    data: dict[str, Table] = {
        "account": Table.of_one(
            {
                "id": user.id,
                "username": user.username,
                "name": user.name,
                "email": user.email,
                "pending_email": user.pending_email,
                "role": user.role,
                "organisation": org.name if org else "",
                "preferred_language": user.preferred_language,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "invited_at": user.invited_at,
                "invited_by": user.invited_by.name if user.invited_by else "",
            }
        ),
    }
    profile = PeerProfile.objects.filter(user=user).first()
    if profile is not None:
        data["profile"] = Table.of_one(
            {
                "id": profile.id,
                "position": profile.position,
                "seniority": profile.seniority,
                "gender": profile.gender,
                "reform_stage": profile.reform_stage,
                "reform_areas": ";".join(t.slug for t in profile.reform_areas.all()),
                "bio": profile.bio,
                "visibility": profile.visibility,
                "created_at": profile.created_at,
                "updated_at": profile.updated_at,
            }
        )
        data["languages"] = Table.of(profile.languages.all(), "code", "name")
        data["challenges"] = _statements(Challenge, profile, alliances)
        data["experiences"] = _statements(Experience, profile, alliances)
        data["call_applications"] = Table.of(
            CallApplication.objects.filter(peer=profile).select_related("call"),
            ("call", lambda a: a.call.title if a.call_id in calls else f"#{a.call_id}"),
            "motivation",
            "created_at",
        )
        data["proposals"] = Table.of(
            # Only proposals sent to them: a draft the facilitator has not sent is not theirs
            # to read yet.
            ProposalMember.objects.filter(
                peer=profile, proposal__in=proposals_visible_to(user)
            ).select_related("proposal", "proposal__run"),
            ("proposal", attrgetter("proposal_id")),
            ("matching_run", attrgetter("proposal.run_id")),
            ("kind", attrgetter("proposal.run.kind")),
            ("proposal_status", attrgetter("proposal.status")),
            ("my_role", attrgetter("role")),
            ("my_response", attrgetter("response")),
            "responded_at",
            ("my_reason", attrgetter("reason")),
        )
    own_profile_id = profile.id if profile is not None else None
    data["authorisations"] = Table.of(
        Authorisation.objects.filter(Q(peer__user=user) | Q(authoriser=user))
        .select_related("authoriser")
        .order_by("requested_at", "id"),
        "id",
        ("as", lambda a: "peer" if a.peer_id == own_profile_id else "authoriser"),
        ("peer_profile", attrgetter("peer_id")),
        ("authoriser", lambda a: a.authoriser.name if a.peer_id == own_profile_id else ""),
        "status",
        "scope",
        "requested_at",
        "decided_on",
        "note",
    )
    data["memberships"] = Table.of(
        AllianceMembership.objects.filter(user=user).select_related("alliance"),
        ("alliance", lambda m: alliance_key(m.alliance, alliances)),
        ("alliance_name", lambda m: m.alliance.name if m.alliance_id in alliances else ""),
        "role",
        "joined_on",
    )
    data["matching_runs_started"] = Table.of(
        MatchingRun.objects.filter(created_by=user), "id", "kind", "status", "created_at"
    )
    data["api_tokens"] = Table.of(
        user.api_tokens.all(), "label", "created_at", "last_used_at", "revoked_at"
    )
    data["audit_events"] = Table.of(
        audit_events_of(user=user),
        "created_at",
        "action",
        "object_type",
        "object_id",
        ("ip_address", lambda e: e.ip_address or ""),
        "user_agent",
        ("detail", lambda e: json.dumps(e.detail, ensure_ascii=False, sort_keys=True)),
    )
    data.update(account_more_data(user=user, profile=profile, alliances=alliances))
    return data


def archive_readme(tables: Iterable[str]) -> str:
    """The archive's README.txt in the reader's language: each file with what it holds
    (the "My data" page's labels), then how to correct or erase.

    >>> print(archive_readme(["account", "posts"]).splitlines()[4])
    account.csv  Your account
    """
    names = {table: f"{table}.csv" for table in tables}
    width = max((len(n) for n in names.values()), default=0) + 2
    intro = _(
        "data.json holds every table below; each table is also a CSV file (UTF-8, one row a line)."
    )
    not_yours = _(
        "Something that is not yours (an alliance, a discussion someone else started, an "
        "activity, an open call) is named where you may still see it, otherwise only by its "
        "number."
    )
    fixes = _(
        "To correct something, edit it on the platform. To erase your account, use “My data”."
    )
    lines = [_("peerlearn: everything the platform holds about you"), "", intro, ""]
    lines += [f"{name.ljust(width)}{table_label(table)}" for table, name in names.items()]
    lines += ["", textwrap.fill(not_yours, 88), "", textwrap.fill(fixes, 88), ""]
    return "\n".join(lines)


def _csv(table: Table) -> str:
    """The table as CSV, its header first even when it has no rows (a spreadsheet or a
    script reading it still finds the columns)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=table.columns, lineterminator="\n")
    writer.writeheader()
    for row in table:
        writer.writerow(
            {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}
        )
    return buffer.getvalue()


def account_data_archive(*, user: User) -> bytes:
    """The person's data as a ZIP archive: ``data.json``, one CSV per table, a README."""
    data = account_data(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", archive_readme(list(data)))
        archive.writestr(
            "data.json",
            json.dumps(
                {"exported_at": timezone.now(), **data},
                cls=DjangoJSONEncoder,
                ensure_ascii=False,
                indent=2,
            ),
        )
        for name, rows in data.items():
            archive.writestr(f"{name}.csv", _csv(rows))
    return buffer.getvalue()


def archive_filename(*, user: User) -> str:
    return f"peerlearn-my-data-{user.username}-{timezone.now():%Y%m%d}.zip"
