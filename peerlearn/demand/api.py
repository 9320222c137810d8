"""Supply and demand through the API: the page's figures, counted over what you may see."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from peerlearn.core.api import signed_in_user
from peerlearn.demand.selectors import balance_by, trend, unmet_demand

router = Router(tags=["supply and demand"])


class BalanceIn(Schema):
    by: Literal["theme", "country", "region", "language"] = Field(
        "theme", description="Count by the theme, or the author's country, region or language."
    )


class BalanceOut(Schema):
    key: str = Field(description="Theme slug, ISO country code, M49 region or language code.")
    label: str
    demand: int = Field(description="Challenges you may see.")
    supply: int = Field(description="Experiences you may see.")
    state: str = Field(description="undersupplied, oversubscribed, unasked or balanced.")


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM.")
    demand: int
    supply: int


class UnmetOut(Schema):
    challenge: int = Field(description="The challenge's id.")
    title: str
    peer: int
    best: float = Field(description="Similarity of the closest other peer's experience.")


class DemandOut(Schema):
    by: str
    balance: list[BalanceOut]
    months: list[MonthOut]
    unmet: list[UnmetOut] = Field(description="Challenges no other peer's experience answers.")
    encoder: str
    threshold: float
    unmet_pending: int = Field(
        description="Statements left out of `unmet` until the sentence model has read them "
        "(usually 0; after a bulk import, a few minutes)."
    )


@router.get("", response=DemandOut, summary="Supply and demand of peer learning")
def supply_and_demand(request: HttpRequest, params: Query[BalanceIn]) -> dict[str, Any]:
    user = signed_in_user(request)
    rows = balance_by(user=user, dimension=params.by)
    unmet = unmet_demand(user=user)
    return {
        "by": params.by,
        "balance": [
            {
                "key": r.key,
                "label": r.label,
                "demand": r.demand,
                "supply": r.supply,
                "state": r.state,
            }
            for r in rows
        ],
        "months": [
            {"month": m.month.strftime("%Y-%m"), "demand": m.demand, "supply": m.supply}
            for m in trend(user=user)
        ],
        "unmet": [
            {
                "challenge": u.challenge.id,
                "title": u.challenge.title,
                "peer": u.challenge.peer_id,
                "best": u.best,
            }
            for u in unmet.rows
        ],
        "encoder": unmet.encoder,
        "threshold": unmet.threshold,
        "unmet_pending": unmet.pending,
    }
