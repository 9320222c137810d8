"""A run's pool filters by name wherever the run is listed (``matchmaking/_pool.html``)."""

from __future__ import annotations

from typing import Any

from django import template

from peerlearn.matchmaking.selectors import pool_filter_names

register = template.Library()


@register.filter
def pool_filters(filters: dict[str, Any] | None) -> list[str]:
    """``{{ run.filters|pool_filters }}``: "Kenya", "French", "reform stage: Piloting"."""
    return pool_filter_names(filters)
