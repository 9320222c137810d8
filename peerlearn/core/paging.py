"""Paging for list pages, keeping the current filters in the page links."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, items: Any, per_page: int | None = None) -> tuple[Page, str]:
    """The requested page of ``items`` and the query string of the other parameters."""
    paginator = Paginator(items, per_page or settings.PEERLEARN_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()
