"""``{% alliance_activities alliance as section %}`` for the alliance page's one include,
``get_item`` for the feedback tables, and ``zone_label`` for a time zone as a person reads
it (``{{ activity.time_zone|zone_label }}``: "Kenya — Nairobi")."""

from __future__ import annotations

from typing import Any

from django import template

from peerlearn.activities.models import time_zone_label
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


@register.filter
def zone_label(zone: Any) -> str:
    """A zone (its IANA name, or the zone itself) as the zone picker names it, in the
    active language."""
    name = getattr(zone, "key", zone)
    return time_zone_label(str(name)) if name else ""
