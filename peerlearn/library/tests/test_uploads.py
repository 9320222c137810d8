"""Uploads are checked by extension, size and content; names are generated and made safe;
a case's Markdown is sanitised."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from peerlearn.library.rendering import render_markdown
from peerlearn.library.tests import files
from peerlearn.library.uploads import check_upload, safe_download_name, stored_name


@pytest.mark.parametrize(
    "upload",
    [
        files.pdf(),
        files.office("plan.docx", "word/document.xml"),
        files.office("budget.xlsx", "xl/workbook.xml"),
        files.office("slides.pptx", "ppt/presentation.xml"),
        files.odt(),
        files.upload("peers.csv", "name,pays\nAmina,Kenya\nÉlodie,France\n".encode()),
        files.upload("notes.TXT", b"Plain notes.\n"),
        files.upload("map.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        files.upload("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
    ],
    ids=lambda u: u.name,
)
def test_accepted_kinds(upload: Any) -> None:
    assert check_upload(upload).extension in upload.name.lower().replace("jpeg", "jpg")


def _refusal(upload: Any) -> str:
    with pytest.raises(ValidationError) as e:
        check_upload(upload)
    return str(e.value.message_dict["file"][0])


def test_a_type_outside_the_list_is_refused_naming_the_allowed_ones() -> None:
    message = _refusal(files.upload("setup.exe", b"MZ\x90\x00"))
    assert "Upload one of: PDF, DOCX, XLSX, PPTX, ODT, CSV, TXT, PNG, JPG." in message
    assert "Upload one of" in _refusal(files.upload("page.html", b"<html></html>"))
    assert "Upload one of" in _refusal(files.upload("noextension", b"%PDF-1.4"))


@pytest.mark.parametrize(
    ("upload", "label"),
    [
        (files.upload("report.pdf", b"MZ\x90\x00 an executable"), "PDF"),
        (files.upload("photo.png", b"\xff\xd8\xff\xe0 a JPEG"), "PNG"),
        (files.office("fake.docx", "xl/workbook.xml"), "Word (DOCX)"),
        (files.upload("zip.xlsx", b"PK\x03\x04 not really a zip"), "Excel (XLSX)"),
        (files.odt("fake.odt", mimetype="application/zip"), "OpenDocument text (ODT)"),
        (files.upload("page.txt", b"<!DOCTYPE html><script>alert(1)</script>"), "text (TXT)"),
        (files.upload("binary.csv", b"a,b\n\x00\x01\x02"), "CSV"),
    ],
    ids=lambda x: getattr(x, "name", x),
)
def test_content_that_is_not_what_its_name_says_is_refused(upload: Any, label: str) -> None:
    message = _refusal(upload)
    assert f"is not a {label} file" in message
    assert f"Save it again as {label}" in message


def test_a_file_over_the_limit_is_refused_with_both_sizes(settings: Any) -> None:
    settings.PEERLEARN_LIBRARY_MAX_UPLOAD_MB = 10
    message = _refusal(files.pdf(size=14 * 1024 * 1024))
    assert message.startswith("This file is 14 MB; the limit is 10 MB.")
    settings.PEERLEARN_LIBRARY_MAX_UPLOAD_MB = 1
    assert _refusal(files.pdf(size=1536 * 1024)).startswith(
        "This file is 1.5 MB; the limit is 1 MB."
    )
    check_upload(files.pdf(size=1024 * 1024))  # exactly the limit is accepted


def test_an_empty_file_is_refused() -> None:
    assert "empty" in _refusal(files.upload("empty.txt", b""))


def test_stored_names_are_generated_and_download_names_safe() -> None:
    name = stored_name("pdf")
    assert name.endswith(".pdf") and len(name) == 36 and "/" not in name
    assert stored_name("pdf") != name
    assert safe_download_name("../../etc/passwd.pdf", "pdf") == "passwd.pdf"
    assert safe_download_name('C:\\Users\\a\\Plan "final";.docx', "docx") == "Plan-final.docx"
    assert safe_download_name("Étude de cas.pdf", "pdf") == "Etude-de-cas.pdf"
    assert safe_download_name("évaluation.exe", "txt") == "evaluation.txt"
    assert safe_download_name("", "csv") == "resource.csv"


def test_markdown_is_rendered_and_sanitised() -> None:
    html = render_markdown(
        "# Title\n\nSome **bold** and [a link](https://example.org).\n\n"
        "<script>alert(1)</script>\n\n[bad](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n"
        "- one\n- two\n"
    )
    assert "<h2>Title</h2>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert "<ul>" in html and "<li>one</li>" in html
    assert "<script" not in html
    assert 'href="javascript' not in html  # the link is not made; its text stays text
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
