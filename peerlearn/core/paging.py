"""Paging for list pages, keeping the current filters in the page links."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

_T = TypeVar("_T")


def paginate(
    request: HttpRequest, items: QuerySet[Any, _T] | Sequence[_T], per_page: int | None = None
) -> tuple[Page[_T], str]:
    """The requested page of ``items`` and the query string of the other parameters."""
    paginator = Paginator(items, per_page or settings.PEERLEARN_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()
