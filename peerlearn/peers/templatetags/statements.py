"""How far a challenge or experience really reaches: never wider than its author's profile."""

from __future__ import annotations

from django import template

from peerlearn.access.visibility import Visibility, narrower

register = template.Library()


@register.filter
def reach(chosen: str, profile: str | None) -> Visibility:
    """The level a statement is shown at: the narrower of the one chosen for it and its
    author's profile's (``{{ s.visibility|reach:peer.visibility }}``)."""
    return narrower(chosen, profile) if profile else Visibility(chosen)
