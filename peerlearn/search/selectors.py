"""Searching everything a user may see: by words, and by meaning.

*By words*: PostgreSQL's full-text search (the ``simple`` configuration, which works for
every language the platform's peers write in) ranked by ``ts_rank``; on SQLite, every word
must appear in one of the fields, and hits in the title count three times.

*By meaning*: the matching engine's sentence encoder (``matchmaking.embeddings``) embeds
the query and every visible text, and the closest ones above :data:`MEANING_THRESHOLD`
are shown — "cash leaking at bus parks" finds a text about seasonal parking tickets that
shares none of its words. Vectors are cached by text, so each text is encoded once. With
the TF-IDF fallback (no sentence model installed) there is no search by meaning.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from peerlearn.access.base import Viewer
from peerlearn.search.sources import Source, all_sources

logger = logging.getLogger(__name__)

#: Results per kind of content for a search by words.
WORD_HITS_PER_KIND = 20
#: Results in all for a search by meaning.
MEANING_HITS = 10
#: Cosine similarity below which a text is not "close in meaning" (MiniLM scale: unrelated
#: public-sector texts score 0.1–0.3, paraphrases 0.5 and above; moved to the encoder's own
#: scale by ``on_reference_scale``).
MEANING_THRESHOLD = 0.35
#: Texts read per kind for a search by meaning (the newest first).
MEANING_POOL_PER_KIND = 5_000
#: Words of the query used (the rest is ignored).
MAX_WORDS = 8

WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str
    subtitle: str
    url: str
    score: float
    snippet: str = ""


@dataclass
class SearchResult:
    query: str
    words: dict[str, list[Hit]] = field(default_factory=dict)  # by kind
    meaning: list[Hit] = field(default_factory=list)
    encoder: str = ""  # the encoder used for meaning, or "" when there was none
    meaning_pending: int = 0  # texts still being encoded in the background

    @property
    def total(self) -> int:
        return sum(len(h) for h in self.words.values()) + len(self.meaning)


def _snippet(text: str, words: list[str], width: int = 180) -> str:
    """The part of ``text`` around the first query word, about ``width`` characters, cut
    between words (a word longer than the whole piece is cut).

    >>> text = "Agnes Wambua. Head of Revenue, County Government of Makueni. I lead the unit"
    >>> _snippet(text, ["makueni"], 40)
    '… of Makueni. I lead the unit'
    """
    text = " ".join(text.split())
    lower = text.lower()
    at = min((i for w in words if (i := lower.find(w.lower())) >= 0), default=0)
    start = max(0, at - width // 3)
    end = start + width
    if start and text[start - 1] != " ":
        space = text.find(" ", start, at + 1)
        start = space + 1 if space >= 0 else start
    if end < len(text) and text[end] != " ":
        space = text.rfind(" ", start, end)
        end = space if space > max(start, at) else end
    piece = text[start:end].strip()
    return ("… " if start else "") + piece + (" …" if end < len(text) else "")


def _words_postgres(source: Source, qs: QuerySet[Any], query: str) -> list[tuple[Any, float]]:
    vector: Any = SearchVector(source.title_field, weight="A", config="simple")
    for f in source.text_fields:
        vector += SearchVector(f, weight="B", config="simple")
    search = SearchQuery(query, search_type="websearch", config="simple")
    # Only the rows the query matches (ts_rank gives every row a tiny positive rank).
    rows = (
        qs.annotate(_vector=vector, _rank=SearchRank(vector, search))
        .filter(_vector=search)
        .order_by("-_rank")[:WORD_HITS_PER_KIND]
    )
    return [(obj, float(obj._rank)) for obj in rows]


def _words_portable(source: Source, qs: QuerySet[Any], words: list[str]) -> list[tuple[Any, float]]:
    fields = [source.title_field, *source.text_fields]
    for word in words:
        match = Q()
        for f in fields:
            match |= Q(**{f"{f}__icontains": word})
        qs = qs.filter(match)
    scored = []
    for obj in qs[: WORD_HITS_PER_KIND * 5]:
        title = source.title(obj).lower()
        text = source.text(obj).lower()
        score = sum(3 * title.count(w.lower()) + text.count(w.lower()) for w in words)
        scored.append((obj, float(score)))
    scored.sort(key=lambda pair: -pair[1])
    return scored[:WORD_HITS_PER_KIND]


def search_words(
    *, user: Viewer, query: str, kinds: set[str] | None = None
) -> dict[str, list[Hit]]:
    """Hits by words, per kind, best first; only kinds with hits."""
    words = WORD.findall(query)[:MAX_WORDS]
    if not words:
        return {}
    out: dict[str, list[Hit]] = {}
    for source in all_sources():
        if kinds and source.kind not in kinds:
            continue
        qs = source.queryset(user)
        if connection.vendor == "postgresql":
            found = _words_postgres(source, qs, " ".join(words))
        else:
            found = _words_portable(source, qs, words)
        if found:
            out[source.kind] = [
                Hit(
                    kind=source.kind,
                    title=source.title(obj),
                    subtitle=source.subtitle(obj),
                    url=source.url(obj),
                    score=score,
                    snippet=_snippet(source.reading(obj), words),
                )
                for obj, score in found
            ]
    return out


def search_meaning(
    *, user: Viewer, query: str, kinds: set[str] | None = None
) -> tuple[list[Hit], str, int]:
    """Hits by meaning (best first), the encoder's name ("" when no sentence model is
    installed) and the number of texts left to encode in the background."""
    from peerlearn.matching.encoders import on_reference_scale
    from peerlearn.matchmaking.embeddings import texts_encoder
    from peerlearn.search.tasks import left_to_worker

    encoder = texts_encoder()
    if not encoder.cacheable or not query.strip():
        return [], "", 0
    candidates: list[tuple[Source, Any, str]] = []
    for source in all_sources():
        if kinds and source.kind not in kinds:
            continue
        qs = source.queryset(user).order_by("-pk")[:MEANING_POOL_PER_KIND]
        candidates.extend((source, obj, source.text(obj)) for obj in qs)
    if not candidates:
        return [], encoder.name, 0
    left = left_to_worker(encoder, [t for _, _, t in candidates])
    pending = 0
    if left:
        pending = sum(1 for c in candidates if c[2] in left)
        candidates = [c for c in candidates if c[2] not in left]
        if not candidates:
            return [], encoder.name, pending
    vectors = encoder.encode([t for _, _, t in candidates])
    q = encoder.encode([query.strip()])[0]
    scores = vectors @ q
    order = np.argsort(-scores)
    threshold = on_reference_scale(encoder, MEANING_THRESHOLD)
    hits = []
    for i in order[:MEANING_HITS]:
        if scores[i] < threshold:
            break
        source, obj, _ = candidates[int(i)]
        hits.append(
            Hit(
                kind=source.kind,
                title=source.title(obj),
                subtitle=source.subtitle(obj),
                url=source.url(obj),
                score=round(float(scores[i]), 3),
                snippet=_snippet(source.reading(obj), []),
            )
        )
    return hits, encoder.name, pending


def search(
    *, user: Viewer, query: str, kinds: set[str] | None = None, meaning: bool = True
) -> SearchResult:
    """Both searches: the hits by words per kind, then the hits by meaning that the words
    did not already find."""
    result = SearchResult(query=query.strip())
    if not result.query:
        return result
    result.words = search_words(user=user, query=result.query, kinds=kinds)
    if meaning:
        hits, result.encoder, result.meaning_pending = search_meaning(
            user=user, query=result.query, kinds=kinds
        )
        seen = {h.url for found in result.words.values() for h in found}
        result.meaning = [h for h in hits if h.url not in seen]
    return result
