"""How far an alliance's indicator or outcome really reaches: never wider than the
alliance itself."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from peerlearn.access.visibility import ALLIANCE_ITEM_VISIBILITY_CHOICES, alliance_item_reach

register = template.Library()


@register.filter
def within(chosen: str, alliance_visibility: str | None) -> SafeString:
    """The item's level in words as it is shown, with the level chosen for it when the
    alliance narrows it (``{{ i.visibility|within:alliance.visibility }}``)."""
    shown, label = alliance_item_reach(chosen, alliance_visibility)
    if shown == chosen:
        return format_html("{}", label)
    return format_html(
        '{} <small class="help">{}</small>',
        label,
        _("(chosen: %(chosen)s; no wider than its alliance)")
        % {"chosen": dict(ALLIANCE_ITEM_VISIBILITY_CHOICES)[chosen]},
    )
