"""``{% alliance_activities alliance as section %}`` for the alliance page's one include,
and ``get_item`` for the feedback tables."""

from __future__ import annotations

from typing import Any

from django import template

from peerlearn.activities.selectors import AllianceSection, alliance_section

register = template.Library()


@register.simple_tag(takes_context=True)
def alliance_activities(context: template.Context, alliance: Any) -> AllianceSection | None:
    request = context.get("request")
    if request is None or alliance is None:
        return None
    return alliance_section(user=request.user, alliance=alliance)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None
