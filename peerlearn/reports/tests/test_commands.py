from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from peerlearn.reports.tests.conftest import MEMBERS_ONLY_COMMENT, has_drawing, pdf_text

pytestmark = pytest.mark.django_db


def test_report_writes_the_public_pdf(rw: SimpleNamespace, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    stdout = io.StringIO()
    call_command(
        "report",
        "--alliance",
        rw.public_alliance.slug,
        "--format",
        "pdf",
        "--out",
        str(out),
        stdout=stdout,
    )
    assert "public report" in stdout.getvalue()
    reader, pages = pdf_text(out.read_bytes())
    text = "\n".join(pages)
    assert "Open Alliance" in text and "Completion of the priority reform areas" in text
    assert has_drawing(reader)
    assert MEMBERS_ONLY_COMMENT not in text.replace("\n", " ")


def test_report_for_a_member_writes_the_members_html(rw: SimpleNamespace, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    call_command(
        "report",
        "--alliance",
        rw.public_alliance.slug,
        "--format",
        "html",
        "--out",
        str(out),
        "--for",
        rw.member_alliance.user.username,
        stdout=io.StringIO(),
    )
    html = out.read_text()
    assert html.startswith("<!doctype html>")
    assert "Contains alliance-internal content — for members of Open Alliance" in html
    assert MEMBERS_ONLY_COMMENT in html and "<svg" in html


def test_report_for_an_outsider_is_the_public_version(rw: SimpleNamespace, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    call_command(
        "report",
        "--alliance",
        rw.public_alliance.slug,
        "--format",
        "html",
        "--out",
        str(out),
        "--for",
        rw.outsider.user.username,
        stdout=io.StringIO(),
    )
    html = out.read_text()
    assert "alliance-internal" not in html and MEMBERS_ONLY_COMMENT not in html


def test_report_refuses_what_the_reader_may_not_see(rw: SimpleNamespace, tmp_path: Path) -> None:
    out = str(tmp_path / "r.html")
    with pytest.raises(CommandError, match="only public alliances"):
        call_command("report", "--alliance", rw.inner.slug, "--format", "html", "--out", out)
    with pytest.raises(CommandError, match="may see"):
        call_command(
            "report",
            "--alliance",
            rw.inner.slug,
            "--format",
            "html",
            "--out",
            out,
            "--for",
            rw.outsider.user.username,
        )
    with pytest.raises(CommandError, match="No active user"):
        call_command("report", "--alliance", rw.inner.slug, "--out", out, "--for", "nobody")


def test_report_for_a_country(rw: SimpleNamespace, tmp_path: Path) -> None:
    out = tmp_path / "ke.html"
    call_command(
        "report", "--country", "ke", "--format", "html", "--out", str(out), stdout=io.StringIO()
    )
    assert "Open Alliance" in out.read_text()


def test_export_refuses_a_wrong_target(world: SimpleNamespace, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="directory"):
        call_command("export", "iati", "--out", str(tmp_path))
    (tmp_path / "file").write_text("x")
    with pytest.raises(CommandError, match="is a file"):
        call_command("export", "csv", "--out", str(tmp_path / "file"))
