"""The audit trail: one append-only row per thing that must be answerable later — who read
confidential content in bulk, who exported what, who changed an audited field, who signed
in and out and from where.

Rows are written only through :func:`peerlearn.audit.services.audit_record` and never
changed: ``save()`` refuses an existing row, ``delete()`` and the queryset's ``update()``
and ``delete()`` refuse always. The one way out is the retention purge
(:meth:`AuditEventQuerySet.purge_before`, run by ``peerlearn audit_purge``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An audit event may be added, never changed or removed (except by the retention
    purge)."""


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_OUT = "sign_out", _("Signed out")
    BULK_READ = "bulk_read", _("Read a list of confidential content")
    EXPORT = "export", _("Exported data")
    CREATE = "create", _("Created a record")
    UPDATE = "update", _("Changed a record")
    DELETE = "delete", _("Deleted a record")
    DATA_DOWNLOAD = "data_download", _("Downloaded their own data")
    ACCOUNT_ERASED = "account_erased", _("Erased their account")
    DEMO_LOADED = "demo_loaded", _("Loaded the demo data")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events are removed only by the retention purge.")

    def purge_before(self, cutoff: Any) -> int:
        """Remove the events older than ``cutoff``: the retention policy, nothing else."""
        deleted, _counts = models.QuerySet.delete(self.filter(created_at__lt=cutoff))
        return deleted


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    # The actor's id stays even if the user row goes (no database constraint); the key is a
    # keyed hash of that id, so the trail stays linkable after an account is erased without
    # storing who it was.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_key = models.CharField(_("pseudonymous key"), max_length=32, blank=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser or client"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects: ClassVar[models.Manager[AuditEvent]] = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["action", "created_at"], name="audit_action_when"),
            models.Index(fields=["actor_key", "created_at"], name="audit_actor_when"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events are removed only by the retention purge.")
