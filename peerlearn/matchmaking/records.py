"""A platform peer as the matching library's record — the one conversion that the
platform's pools, ``export_peers`` and the embedding warm-up (``peerlearn embed``) share,
so the web and the command line match the same input."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import QuerySet

from peerlearn.matching import Peer
from peerlearn.matching.types import Role
from peerlearn.matchmaking.explanations import peer_token
from peerlearn.peers.models import PeerProfile

StatementRow = tuple[int, str, str, str]  # id, title, description, theme slug


def statement_text(rows: list[StatementRow]) -> str:
    """A peer's challenges (or experiences) as the one text the matcher reads: each title,
    ended as a sentence, then its description; statements separated by a blank line."""
    parts = []
    for _, title, description, _ in rows:
        title = title.strip()
        if title and title[-1] not in ".!?:":
            title += "."
        parts.append(f"{title} {description.strip()}".strip())
    return "\n\n".join(parts)


def statements_by_peer(qs: QuerySet[Any]) -> dict[int, list[StatementRow]]:
    """The challenges (or experiences) of ``qs`` as rows per peer, in the order they were
    written."""
    by_peer: dict[int, list[StatementRow]] = {}
    rows = qs.order_by("peer_id", "id").values_list(
        "peer_id", "id", "title", "description", "theme__slug"
    )
    for peer_id, sid, title, description, theme_slug in rows:
        by_peer.setdefault(peer_id, []).append((sid, title, description, theme_slug))
    return by_peer


def focus_on_theme(rows: list[StatementRow], theme: str | None) -> list[StatementRow]:
    """With a theme, the statements in it when there are any, else all of them."""
    if theme is None:
        return rows
    return [r for r in rows if r[3] == theme] or rows


def peer_record(
    profile: PeerProfile,
    challenges: list[StatementRow],
    experiences: list[StatementRow],
    *,
    theme: str | None = None,
) -> Peer:
    """``profile`` as a matcher :class:`Peer`, from the statements the caller may use.

    The profile must come with ``user__organisation`` selected and ``languages`` and
    ``reform_areas`` prefetched. Its role follows what it states (``seeker`` with challenges
    only, ``provider`` with experiences only, ``both`` otherwise). Its theme is ``theme``
    when the pool has one, else the theme the peer wrote about most (challenges first on a
    tie), else their first reform area by slug."""
    role: Role
    if challenges and not experiences:
        role = "seeker"
    elif experiences and not challenges:
        role = "provider"
    else:
        role = "both"
    if theme is None:
        counts = Counter(r[3] for r in challenges + experiences)
        areas = sorted(t.slug for t in profile.reform_areas.all())
        theme = counts.most_common(1)[0][0] if counts else (areas[0] if areas else "")
    organisation = profile.user.organisation
    return Peer(
        id=peer_token(profile.id),
        name=profile.user.name,
        organisation=str(organisation.id) if organisation else "",
        organisation_type=organisation.type if organisation else "",
        country=(organisation.country_id or "") if organisation else "",
        languages=tuple(sorted(lang.code for lang in profile.languages.all())),
        gender=profile.gender.strip().casefold(),
        seniority=profile.seniority,
        reform_stage=profile.reform_stage,
        challenge=statement_text(challenges),
        experience=statement_text(experiences),
        role=role,
        theme=theme,
    )
