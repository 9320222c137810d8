"""The evidence in the progress reports and the IATI export: public indicators only for
outsiders and in open data, alliance ones too in the members' report."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from lxml import etree

from peerlearn.evidence.services import indicator_create, indicator_period_save

pytestmark = pytest.mark.django_db

IATI = Path(__file__).resolve().parents[2] / "reports" / "data" / "iati-2.03"


@pytest.fixture
def chain(world: SimpleNamespace) -> SimpleNamespace:
    alliance = world.public_alliance
    public = indicator_create(
        alliance=alliance,
        created_by=world.facilitator,
        level=4,
        result="Counties collect more of their own revenue",
        name="Own-source revenue collected",
        unit="KES million",
        baseline_value=Decimal("410"),
        baseline_date=dt.date(2025, 6, 30),
        visibility="public",
    )
    indicator_period_save(
        indicator=public,
        saved_by=world.facilitator,
        starts_on=dt.date(2025, 7, 1),
        ends_on=dt.date(2026, 6, 30),
        target_value=Decimal("450"),
        actual_value=Decimal("462"),
    )
    indicator_create(
        alliance=alliance,
        created_by=world.facilitator,
        level=3,
        result="Collectors rotated",
        name="Zq internal indicator",
        unit="%",
        visibility="alliance",
    )
    return world


def test_the_iati_export_carries_the_public_results_and_validates(
    chain: SimpleNamespace, tmp_path: Path
) -> None:
    out = tmp_path / "iati.xml"
    call_command("export", "iati", "--out", str(out), stdout=io.StringIO())
    doc = etree.parse(str(out))
    schema = etree.XMLSchema(etree.parse(str(IATI / "iati-activities-schema.xsd")))
    assert schema.validate(doc), schema.error_log
    (activity,) = doc.findall("iati-activity")
    result = activity.find("result")
    assert result.get("type") == "2"  # outcome
    indicator = result.find("indicator")
    assert indicator.findtext("title/narrative") == "Own-source revenue collected"
    assert indicator.find("baseline").get("year") == "2025"
    assert indicator.find("baseline").get("value") == "410"
    assert indicator.find("period/target").get("value") == "450"
    assert indicator.find("period/actual").get("value") == "462"
    assert "Zq internal indicator" not in etree.tostring(doc, encoding="unicode")


def test_the_reports_show_the_results_chain_to_their_audience(chain: SimpleNamespace) -> None:
    slug = chain.public_alliance.slug
    public = Client().get(reverse("reports:alliance", args=[slug])).content.decode()
    assert "Results chain" in public and "Own-source revenue collected" in public
    assert "Zq internal indicator" not in public
    member = Client()
    member.force_login(chain.facilitator)
    inside = member.get(reverse("reports:alliance_members", args=[slug])).content.decode()
    assert "Zq internal indicator" in inside and "462 KES million" in inside
