"""Checking an uploaded file before it is stored: its extension, its size and what its
content really is (the first bytes, and for Office and OpenDocument files the parts inside
the ZIP), so a renamed executable or a web page is refused whatever it is called."""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    label: str


KINDS = {
    k.extension: k
    for k in (
        FileKind("pdf", "application/pdf", "PDF"),
        FileKind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word (DOCX)",
        ),
        FileKind(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel (XLSX)",
        ),
        FileKind(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint (PPTX)",
        ),
        FileKind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text (ODT)"),
        FileKind("csv", "text/csv", "CSV"),
        FileKind("txt", "text/plain", "text (TXT)"),
        FileKind("png", "image/png", "PNG"),
        FileKind("jpg", "image/jpeg", "JPEG"),
    )
}
ALIASES = {"jpeg": "jpg"}
#: The part an Office Open XML package of each kind holds.
OOXML_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
#: How much of a text file is read to tell it is text.
TEXT_SAMPLE = 64 * 1024


def max_upload_bytes() -> int:
    return int(settings.PEERLEARN_LIBRARY_MAX_UPLOAD_MB) * 1024 * 1024


def allowed_list() -> str:
    return ", ".join(k.upper() for k in KINDS)


def extension_of(name: str) -> str:
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    return ALIASES.get(ext, ext)


def _megabytes(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:.0f}" if mb >= 10 else f"{mb:.1f}".rstrip("0").rstrip(".")


def _head(upload: UploadedFile, n: int) -> bytes:
    upload.seek(0)
    data: bytes = upload.read(n)  # an upload is read in binary mode
    upload.seek(0)
    return data


def _content_matches(upload: UploadedFile, ext: str) -> bool:
    head = _head(upload, TEXT_SAMPLE)
    if ext == "pdf":
        return head.startswith(b"%PDF-")
    if ext == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext == "jpg":
        return head.startswith(b"\xff\xd8\xff")
    if ext in OOXML_PARTS or ext == "odt":
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if ext == "odt":
                    mimetype = archive.read("mimetype") if "mimetype" in names else b""
                    return mimetype.strip() == KINDS["odt"].content_type.encode()
                return "[Content_Types].xml" in names and OOXML_PARTS[ext] in names
        except (zipfile.BadZipFile, KeyError, OSError):
            return False
        finally:
            upload.seek(0)
    if ext in ("csv", "txt"):
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as e:
            # A multi-byte character cut at the end of the sample is still text.
            if e.start < len(head) - 4:
                try:
                    head.decode("cp1252")
                except UnicodeDecodeError:
                    return False
        return not re.match(rb"\s*<(!doctype|html|script|svg)", head, re.IGNORECASE)
    return False


def check_upload(upload: UploadedFile, *, field: str = "file") -> FileKind:
    """The kind of an acceptable upload, or a ValidationError keyed by ``field`` that says
    what to do."""
    ext = extension_of(upload.name or "")
    kind = KINDS.get(ext)
    if kind is None:
        raise ValidationError(
            {
                field: [
                    _("Files of this type cannot be uploaded. Upload one of: %(allowed)s.")
                    % {"allowed": allowed_list()}
                ]
            }
        )
    limit = max_upload_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {
                field: [
                    _(
                        "This file is %(size)s MB; the limit is %(limit)s MB. Upload a smaller "
                        "file, or share a link to it instead."
                    )
                    % {"size": _megabytes(upload.size or 0), "limit": _megabytes(limit)}
                ]
            }
        )
    if upload.size == 0:
        raise ValidationError({field: [_("This file is empty. Choose the file again.")]})
    if not _content_matches(upload, ext):
        raise ValidationError(
            {
                field: [
                    _(
                        "This file's content is not a %(label)s file, whatever its name says. "
                        "Save it again as %(label)s, or upload it in its real format."
                    )
                    % {"label": kind.label}
                ]
            }
        )
    return kind


def stored_name(ext: str) -> str:
    """A generated name for the storage: random, with the checked extension only."""
    return f"{secrets.token_hex(16)}.{ext}"


def safe_download_name(name: str, ext: str) -> str:
    """The uploader's file name made safe for a Content-Disposition header: ASCII letters,
    digits, dots, dashes and underscores, with the checked extension."""
    stem = os.path.splitext(os.path.basename(name.replace("\\", "/")))[0]
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-_")[:80] or "resource"
    return f"{stem}.{ext}"
