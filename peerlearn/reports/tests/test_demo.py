"""The demo's Kenyan alliance: its members' report renders as HTML and PDF with charts and
the facilitator's assessments, and the demo's public alliance is in the IATI export."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree

from peerlearn.demo.data import kenya
from peerlearn.reports.models import PriorityAssessment
from peerlearn.reports.tests.conftest import has_drawing, pdf_text
from peerlearn.reports.tests.test_opendata import schema

pytestmark = pytest.mark.django_db


def test_the_demo_alliance_report_renders_with_its_charts(tmp_path: Path) -> None:
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())  # idempotent
    assert PriorityAssessment.objects.count() == 8
    out = tmp_path / "kenya.pdf"
    call_command(
        "report",
        "--alliance",
        kenya.ALLIANCE_SLUG,
        "--format",
        "pdf",
        "--out",
        str(out),
        "--for",
        "facilitator",
        stdout=io.StringIO(),
    )
    reader, pages = pdf_text(out.read_bytes())
    text = " ".join(pages).replace("\n", " ")
    assert kenya.ALLIANCE_NAME in text
    assert "Stage over time" in text and has_drawing(reader)
    assert "Four counties now sign performance contracts" in text
    html = tmp_path / "kenya.html"
    call_command(
        "report",
        "--alliance",
        kenya.ALLIANCE_SLUG,
        "--format",
        "html",
        "--out",
        str(html),
        "--for",
        "peer",
        stdout=io.StringIO(),
    )
    assert "Completion of the priority reform areas" in html.read_text()
    xml = tmp_path / "activities.xml"
    call_command("export", "iati", "--out", str(xml), stdout=io.StringIO())
    doc = etree.parse(str(xml))
    assert schema().validate(doc), schema().error_log
    assert doc.findall("iati-activity")
