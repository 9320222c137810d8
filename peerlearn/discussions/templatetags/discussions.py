"""``{% alliance_discussions alliance as section %}`` for the alliance page's one include."""

from __future__ import annotations

from typing import Any

from django import template

from peerlearn.discussions.selectors import AllianceSection, alliance_section

register = template.Library()


@register.simple_tag(takes_context=True)
def alliance_discussions(context: template.Context, alliance: Any) -> AllianceSection | None:
    request = context.get("request")
    if request is None or alliance is None:
        return None
    return alliance_section(user=request.user, alliance=alliance)
