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

from peerlearn.evidence.report import public_results
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


def test_the_report_shows_the_latest_actual_not_a_later_empty_period(
    chain: SimpleNamespace,
) -> None:
    """A later period with a target and no actual yet does not hide the actual recorded for
    the one before: the report names the period it shows, in the reader's dates."""
    indicator = chain.public_alliance.indicators.get(name="Own-source revenue collected")
    indicator_period_save(
        indicator=indicator,
        saved_by=chain.facilitator,
        starts_on=dt.date(2026, 7, 1),
        ends_on=dt.date(2027, 6, 30),
        target_value=Decimal("500"),
    )
    url = reverse("reports:alliance", args=[chain.public_alliance.slug])
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    row = english[english.index("Own-source revenue collected") :]
    row = row[: row.index("</tr>")]
    assert "July 1, 2025 – June 30, 2026" in row
    assert "450 KES million" in row and "462 KES million" in row and "500" not in row
    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get(url).content.decode()
    assert "1er juillet 2025 – 30 juin 2026" in french


def test_counts_show_without_decimals_and_thousands_grouped_by_language(
    world: SimpleNamespace,
) -> None:
    """A count's baseline of 0 reads "0", not "0.00"; 2140 reads "2,140" in English and
    "2 140" in French, on the pages and in the report alike; the open data keep plain
    digits."""
    indicator = indicator_create(
        alliance=world.public_alliance,
        created_by=world.facilitator,
        level=2,
        result="Peers reached",
        name="Officials reached",
        unit="people",
        baseline_value=Decimal("0"),
        baseline_date=dt.date(2025, 6, 30),
        visibility="public",
    )
    indicator_period_save(
        indicator=indicator,
        saved_by=world.facilitator,
        starts_on=dt.date(2025, 7, 1),
        ends_on=dt.date(2026, 6, 30),
        target_value=Decimal("2500"),
        actual_value=Decimal("2140"),
    )
    slug = world.public_alliance.slug
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    french = Client(HTTP_ACCEPT_LANGUAGE="fr")
    for url in (f"/evidence/alliances/{slug}/", f"/evidence/indicators/{indicator.id}/"):
        page = english.get(url).content.decode()
        assert "2,140" in page and "0.00" not in page and "2140.00" not in page, url
        assert "2\xa0140" in french.get(url).content.decode(), url
    indicator_page = english.get(f"/evidence/indicators/{indicator.id}/").content.decode()
    assert "0 people" in indicator_page and "2,500" in indicator_page
    report = english.get(reverse("reports:alliance", args=[slug])).content.decode()
    assert "0 people" in report and "2,140 people" in report and "2,500 people" in report
    rapport = french.get(reverse("reports:alliance", args=[slug])).content.decode()
    assert "2\xa0140 people" in rapport
    (result,) = [r for r in public_results(world.public_alliance) if "Officials" in r.title]
    assert result.indicators[0].baseline_value == "0"
    assert result.indicators[0].periods[0].actual == "2140"
