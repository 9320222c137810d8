"""The supply-and-demand page (charts drawn on the server) and its CSV."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from peerlearn.core.http import AuthenticatedHttpRequest
from peerlearn.demand.charts import bar_chart, line_chart
from peerlearn.demand.selectors import DIMENSIONS, balance_by, states_of, trend, unmet_demand


def _dimension(request: AuthenticatedHttpRequest) -> str:
    value = request.GET.get("by", "theme")
    return value if value in DIMENSIONS else "theme"


@login_required
def demand_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    dimension = _dimension(request)
    rows = balance_by(user=request.user, dimension=dimension)
    if request.GET.get("format") == "csv":
        return _csv(rows, dimension)
    unmet = unmet_demand(user=request.user)
    months = trend(user=request.user)
    return render(
        request,
        "demand/page.html",
        {
            "dimension": dimension,
            "dimensions": DIMENSIONS.items(),
            "rows": rows,
            "states": states_of(rows),
            "bars": bar_chart(rows),
            "months": months,
            "lines": line_chart(months),
            "unmet": unmet.rows[:50],
            "unmet_count": len(unmet.rows),
            "unmet_pending": unmet.pending,
            "encoder": unmet.encoder,
            "threshold": unmet.threshold,
        },
    )


def _csv(rows: list[Any], dimension: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="supply-and-demand-by-{dimension}.csv"'
    writer = csv.writer(response)
    writer.writerow([dimension, _("name"), _("challenges"), _("experiences"), _("state")])
    for r in rows:
        writer.writerow([r.key, r.label, r.demand, r.supply, r.state])
    return response
