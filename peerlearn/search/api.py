"""Search through the API: the same search as the page, the same access rules."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from peerlearn.core.api import signed_in_user
from peerlearn.search.selectors import search

router = Router(tags=["search"])


class SearchIn(Schema):
    q: str = Field(min_length=1, max_length=200, description="Words, or a question.")
    kind: str = Field(
        "",
        max_length=30,
        pattern=r"^[a-z_]*$",
        description="Only this kind: peer, challenge, experience, alliance, initiative, ….",
    )
    meaning: bool = Field(True, description="Also search by meaning (sentence model).")


class HitOut(Schema):
    kind: str
    title: str
    subtitle: str
    url: str
    snippet: str
    score: float


class SearchOut(Schema):
    query: str
    words: list[HitOut] = Field(description="Hits by words, grouped by kind, best first.")
    meaning: list[HitOut] = Field(description="Hits close in meaning the words did not find.")
    encoder: str = Field(description="The sentence model used; empty when none is installed.")
    meaning_pending: int = Field(description="Texts still being encoded in the background.")


@router.get("", response=SearchOut, summary="Search what you may see")
def search_everything(request: HttpRequest, params: Query[SearchIn]) -> dict[str, Any]:
    """Peers, challenges, experiences, learning alliances and initiatives — and what other
    parts of the platform add — by words and by meaning; only what you may see."""
    result = search(
        user=signed_in_user(request),
        query=params.q,
        kinds={params.kind} if params.kind else None,
        meaning=params.meaning,
    )
    return {
        "query": result.query,
        "words": [h for hits in result.words.values() for h in hits],
        "meaning": result.meaning,
        "encoder": result.encoder,
        "meaning_pending": result.meaning_pending,
    }
