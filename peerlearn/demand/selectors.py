"""Supply and demand of peer learning (§3): what peers want to learn (challenges) against
what they can share (experiences), by theme, country, region and language; the challenges
nobody's experience answers yet; and how both grow month by month.

Everything is counted over what the reader may see (the access layer's querysets), so the
figures never tell of statements the reader could not open.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerlearn.access.base import Viewer
from peerlearn.access.peers import challenges_visible_to, experiences_visible_to
from peerlearn.core.geography import country_name, region_name
from peerlearn.core.models import Language, Theme

#: A category is *under-supplied* when peers want to learn about it and nobody offers
#: experience, and *oversubscribed* when at least OVERSUBSCRIBED_MIN_DEMAND challenges meet
#: fewer than one experience for every OVERSUBSCRIBED_RATIO of them.
OVERSUBSCRIBED_RATIO = 2
OVERSUBSCRIBED_MIN_DEMAND = 3

#: A challenge is *unmet* when no other peer's experience comes closer to it than this
#: cosine similarity: on the sentence model's scale (related texts about 0.4 and above)…
UNMET_THRESHOLD_MODEL = 0.4
#: …and on TF-IDF's, where texts sharing a few words already score 0.1.
UNMET_THRESHOLD_TFIDF = 0.1
#: Statements read for the unmet-demand figure (the newest first).
UNMET_POOL = 5_000

DIMENSIONS = {
    "theme": _("Theme"),
    "country": _("Country"),
    "region": _("Region"),
    "language": _("Working language"),
}


@dataclass(frozen=True)
class Balance:
    key: str
    label: str
    demand: int
    supply: int

    @property
    def state(self) -> str:
        if self.demand and not self.supply:
            return "undersupplied"
        if (
            self.demand >= OVERSUBSCRIBED_MIN_DEMAND
            and self.demand >= OVERSUBSCRIBED_RATIO * self.supply
        ):
            return "oversubscribed"
        if self.supply and not self.demand:
            return "unasked"
        return "balanced"


def _keys(qs: QuerySet[Any], dimension: str) -> Counter[str]:
    """How many statements of ``qs`` fall in each category of ``dimension``."""
    field = {
        "theme": "theme__slug",
        "country": "peer__user__organisation__country_id",
        "region": "peer__user__organisation__country__region",
        "language": "peer__languages__code",
    }[dimension]
    rows = qs.order_by().values_list(field).annotate(n=Count("id", distinct=True))
    return Counter({key: n for key, n in rows if key})


def _label(dimension: str, key: str, themes: dict[str, str], languages: dict[str, str]) -> str:
    if dimension == "theme":
        return themes.get(key, key)
    if dimension == "country":
        return country_name(key)
    if dimension == "region":
        return region_name(key)
    return languages.get(key, key)


def balance_by(*, user: Viewer, dimension: str) -> list[Balance]:
    """Demand and supply per category of ``dimension`` (theme, country, region or language
    of the author), busiest first. A statement counts once per language its author works
    in."""
    demand = _keys(challenges_visible_to(user), dimension)
    supply = _keys(experiences_visible_to(user), dimension)
    themes = {t.slug: t.display_name for t in Theme.objects.all()} if dimension == "theme" else {}
    languages = (
        {lang.code: str(lang) for lang in Language.objects.all()} if dimension == "language" else {}
    )
    rows = [
        Balance(k, _label(dimension, k, themes, languages), demand[k], supply[k])
        for k in set(demand) | set(supply)
    ]
    rows.sort(key=lambda b: (-(b.demand + b.supply), b.label))
    return rows


@dataclass(frozen=True)
class Unmet:
    challenge: Any  # peers.Challenge, with peer, user and theme
    best: float  # the closest experience's similarity
    closest: Any | None  # that experience


@dataclass(frozen=True)
class UnmetDemand:
    rows: list[Unmet]  # least met first
    encoder: str  # the encoder's name
    threshold: float  # the similarity below which a challenge is unmet
    pending: int = 0  # statements left out until the worker has encoded them


def unmet_demand(*, user: Viewer) -> UnmetDemand:
    """The challenges (newest first, at most UNMET_POOL) that no other peer's experience
    answers: their closest experience scores below the encoder's threshold.

    Statements are usually encoded when they are written. When more than
    ``search.tasks.ENCODE_IN_REQUEST`` are not (a bulk import, a worker not yet started), the answer
    leaves them out and says how many (``pending``), and the worker encodes them, rather than
    the page waiting for the sentence model."""
    from peerlearn.matching.encoders import on_reference_scale
    from peerlearn.matchmaking.embeddings import texts_encoder
    from peerlearn.search.tasks import left_to_worker

    challenges = list(
        challenges_visible_to(user)
        .select_related("peer__user", "theme")
        .order_by("-created_at")[:UNMET_POOL]
    )
    experiences = list(
        experiences_visible_to(user)
        .select_related("peer__user")
        .order_by("-created_at")[:UNMET_POOL]
    )
    encoder = texts_encoder()
    threshold = (
        on_reference_scale(encoder, UNMET_THRESHOLD_MODEL)
        if encoder.cacheable
        else UNMET_THRESHOLD_TFIDF
    )
    text_of = {s: s.meaning_text() for s in (*challenges, *experiences)}
    left = left_to_worker(encoder, text_of.values()) if encoder.cacheable else set()
    pending = sum(1 for text in text_of.values() if text in left)
    if left:
        challenges = [s for s in challenges if text_of[s] not in left]
        experiences = [s for s in experiences if text_of[s] not in left]
    if not challenges:
        return UnmetDemand([], encoder.name, threshold, pending)
    vectors = encoder.encode([text_of[s] for s in (*challenges, *experiences)])
    c, e = vectors[: len(challenges)], vectors[len(challenges) :]
    out = []
    if experiences:
        scores = c @ e.T
        # Nobody answers their own challenge.
        same = np.array([[x.peer_id == y.peer_id for y in experiences] for x in challenges])
        scores[same] = -1.0
        best = scores.argmax(axis=1)
        for i, challenge in enumerate(challenges):
            score = float(scores[i, best[i]])
            if score < threshold:
                closest = experiences[int(best[i])] if score > -1 else None
                out.append(Unmet(challenge, round(max(score, 0.0), 3), closest))
    else:
        out = [Unmet(ch, 0.0, None) for ch in challenges]
    out.sort(key=lambda u: (u.best, -u.challenge.id))
    return UnmetDemand(out, encoder.name, threshold, pending)


@dataclass(frozen=True)
class Month:
    month: date
    demand: int
    supply: int


def _monthly(qs: QuerySet[Any]) -> dict[date, int]:
    rows = (
        qs.order_by().annotate(m=TruncMonth("created_at")).values_list("m").annotate(n=Count("id"))
    )
    return {(m.date() if hasattr(m, "date") else m): n for m, n in rows}


def trend(*, user: Viewer, months: int = 12, today: date | None = None) -> list[Month]:
    """New challenges and experiences per month, the last ``months`` months (this one
    included), oldest first."""
    today = today or timezone.localdate()
    first = date(today.year, today.month, 1)
    starts = []
    y, m = first.year, first.month
    for _month in range(months):
        starts.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    starts.reverse()
    demand = _monthly(challenges_visible_to(user).filter(created_at__date__gte=starts[0]))
    supply = _monthly(experiences_visible_to(user).filter(created_at__date__gte=starts[0]))
    return [Month(s, demand.get(s, 0), supply.get(s, 0)) for s in starts]


def states_of(rows: Iterable[Balance]) -> dict[str, list[Balance]]:
    grouped: dict[str, list[Balance]] = defaultdict(list)
    for row in rows:
        grouped[row.state].append(row)
    return grouped
