"""Serving a resource's file: only after the access layer let the reader see it, as an
attachment with a safe name, and never from MEDIA_URL. Downloads of files that are not
public are recorded in the audit trail."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest

from peerlearn.access.visibility import Visibility
from peerlearn.audit.services import audit_export
from peerlearn.library.models import Resource
from peerlearn.library.uploads import KINDS, extension_of, safe_download_name


def resource_download(request: HttpRequest, resource: Resource) -> FileResponse:
    """The file of ``resource``, which the caller fetched through the access layer."""
    ext = extension_of(resource.file.name)
    kind = KINDS.get(ext)
    content_type = kind.content_type if kind else "application/octet-stream"
    if resource.alliance_id is not None or resource.visibility != Visibility.PUBLIC:
        audit_export(
            what="library.resource",
            request=request,
            detail={
                "resource": resource.id,
                "alliance": resource.alliance_id,
                "visibility": resource.visibility,
            },
            after_commit=True,
        )
    response = FileResponse(
        resource.file.open("rb"),
        as_attachment=True,
        filename=safe_download_name(resource.file_name or "resource", ext),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
