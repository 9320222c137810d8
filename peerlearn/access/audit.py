"""The audit trail: who may read it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from peerlearn.access.base import AccessDenied, Viewer, is_platform_admin


def can_read_audit_trail(user: Viewer) -> bool:
    """Only platform administrators read the trail: it says who read and changed what."""
    return is_platform_admin(user)


def require_audit_reader(user: Viewer) -> None:
    """Raise AccessDenied unless the user may browse and export the audit trail."""
    if can_read_audit_trail(user):
        return
    raise AccessDenied(_("Only platform administrators may read the audit trail."))
