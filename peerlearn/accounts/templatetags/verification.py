"""What the e-mail verification banner says about "Send the link again": how often the link
went again this hour, and when one may ask again once the limit is reached."""

from __future__ import annotations

from typing import Any

from django import template

from peerlearn.accounts.ratelimit import Usage, verification_email_usage

register = template.Library()


@register.simple_tag
def verification_resends(user: Any) -> Usage | None:
    """``{% verification_resends user as resends %}``: None when the limit is off."""
    return verification_email_usage(user)
