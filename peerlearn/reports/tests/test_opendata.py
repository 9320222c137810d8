from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from lxml import etree

from peerlearn.reports.opendata import results as results_module
from peerlearn.reports.opendata.iati import DAC_SECTORS, country_percentages
from peerlearn.reports.opendata.results import Indicator, Period, Result
from peerlearn.reports.opendata.tables import TABLES
from peerlearn.reports.tests.conftest import MEMBERS_ONLY_COMMENT

pytestmark = pytest.mark.django_db

IATI_DIR = Path(__file__).resolve().parents[1] / "data" / "iati-2.03"
NOT_PUBLIC = (
    "County Revenue Alliance",
    "Platform Alliance",
    "Draft Alliance",
    "Challenge public",
    "Challenge private",
    "Challenge alliance",
    "Challenge platform",
    "Raised in the alliance",
    "Behind a private profile",
    "Member Private",
    "Member Alliance",
    "Member Platform",
    "Mobile money for market fees",
    MEMBERS_ONLY_COMMENT,
)


def codelist(name: str) -> set[str]:
    tree = etree.parse(str(IATI_DIR / "codelists" / f"{name}.xml"))
    return {code.text.strip() for code in tree.iterfind(".//codelist-item/code") if code.text}


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(IATI_DIR / "iati-activities-schema.xsd")))


def _results(alliance: Any) -> list[Result]:
    return [
        Result(
            title="Counties raise more of their own revenue",
            type="2",
            indicators=[
                Indicator(
                    title="Own-source revenue collected (KES million)",
                    measure="1",
                    baseline_year=2025,
                    baseline_value="410",
                    periods=[Period(date(2026, 1, 1), date(2026, 6, 30), "450", "462")],
                ),
                Indicator(title="How traders see the bus-park ticket", measure=""),
            ],
        )
    ]


@pytest.fixture
def with_results(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(results_module, "results_providers", lambda: [_results])
    from peerlearn.reports.opendata import iati, tables

    monkeypatch.setattr(iati, "results_providers", lambda: [_results])
    monkeypatch.setattr(tables, "results_providers", lambda: [_results])


def _iati(tmp_path: Path) -> etree._ElementTree:
    out = tmp_path / "activities.xml"
    call_command("export", "iati", "--out", str(out), stdout=io.StringIO())
    return etree.parse(str(out))


def test_the_iati_export_is_valid_and_uses_the_codelists(
    rw: SimpleNamespace, with_results: None, tmp_path: Path
) -> None:
    doc = _iati(tmp_path)
    xsd = schema()
    assert xsd.validate(doc), xsd.error_log
    activities = doc.findall("iati-activity")
    assert [a.findtext("title/narrative") for a in activities] == ["Open Alliance"]
    (activity,) = activities
    roles = codelist("OrganisationRole")
    org_types = codelist("OrganisationType")
    for org in activity.iterfind("participating-org"):
        assert org.get("role") in roles
        assert org.get("type") is None or org.get("type") in org_types
    assert activity.find("reporting-org").get("type") in org_types
    assert activity.find("activity-status").get("code") in codelist("ActivityStatus")
    date_types = codelist("ActivityDateType")
    assert all(d.get("type") in date_types for d in activity.iterfind("activity-date"))
    sector = activity.find("sector")
    assert sector.get("vocabulary") in codelist("SectorVocabulary")
    assert sector.get("code") in DAC_SECTORS and len(sector.get("code")) == 5
    assert sector.get("code") == "15112"  # decentralisation
    countries = activity.findall("recipient-country")
    assert {c.get("code") for c in countries} == {"KE", "FR"}
    assert sum(int(c.get("percentage")) for c in countries) == 100
    result_types, measures = codelist("ResultType"), codelist("IndicatorMeasure")
    results = activity.findall("result")
    assert results and all(r.get("type") in result_types for r in results)
    indicators = activity.findall("result/indicator")
    # The qualitative indicator has no code in the 2.03 IndicatorMeasure list: left out.
    assert [i.findtext("title/narrative") for i in indicators] == [
        "Own-source revenue collected (KES million)"
    ]
    assert all(i.get("measure") in measures for i in indicators)
    period = activity.find("result/indicator/period")
    assert period.find("target").get("value") == "450"
    assert period.find("actual").get("value") == "462"
    assert activity.find("result/indicator/baseline").get("year") == "2025"
    by_role: dict[str, set[str]] = {}
    for org in activity.iterfind("participating-org"):
        by_role.setdefault(org.get("role"), set()).add(org.findtext("narrative"))
    assert by_role["3"] == {"Centre for Economic Governance"}  # the facilitator's
    assert by_role["4"] == {"Nakuru County", "Kisumu County", "Ministère des Finances"}
    text = etree.tostring(doc, encoding="unicode")
    assert not [s for s in NOT_PUBLIC if s in text]


def test_a_closed_alliance_is_published_as_closed_on_its_day(
    rw: SimpleNamespace, tmp_path: Path
) -> None:
    """Closed on the platform, an alliance is no longer "in implementation" until its planned
    end: IATI says closed, with the actual end on the day it closed, and the tables have the
    day too."""
    import csv

    from peerlearn.alliances.closing import alliance_close

    alliance = rw.public_alliance
    alliance.ends_on = date(2030, 12, 31)
    alliance.save(update_fields=["ends_on"])
    alliance_close(alliance=alliance, by=rw.facilitator, note="Done early.")
    alliance.refresh_from_db()
    (activity,) = _iati(tmp_path).findall("iati-activity")
    assert activity.find("activity-status").get("code") == "4"  # Closed
    dates = {d.get("type"): d.get("iso-date") for d in activity.iterfind("activity-date")}
    assert dates["3"] == "2030-12-31"  # planned end
    assert dates["4"] == alliance.closed_on.isoformat()  # actual end
    call_command("export", "csv", "--out", str(tmp_path / "csv"), stdout=io.StringIO())
    with (tmp_path / "csv" / "alliances.csv").open(encoding="utf-8") as f:
        (row,) = list(csv.DictReader(f))
    assert row["closed_on"] == alliance.closed_on.isoformat()


def test_the_iati_export_is_valid_with_no_alliance_and_no_results(
    world: SimpleNamespace, tmp_path: Path
) -> None:
    world.public_alliance.delete()
    doc = _iati(tmp_path)
    assert doc.getroot().get("version") == "2.03"
    assert doc.findall("iati-activity") == []
    # The schema asks for one activity at least: an empty export is well-formed only.


def test_an_alliance_without_any_organisation_is_still_valid(
    world: SimpleNamespace, tmp_path: Path
) -> None:
    world.public_alliance.memberships.all().delete()
    doc = _iati(tmp_path)
    assert schema().validate(doc)
    assert doc.find("iati-activity/recipient-country") is None


def test_country_percentages_sum_to_a_hundred() -> None:
    assert country_percentages(["KE", "UG", "TZ"]) == [("KE", 34), ("TZ", 33), ("UG", 33)]
    assert sum(p for _, p in country_percentages(["A"] * 5 + ["B"] * 2 + ["C"] * 7)) == 100
    assert country_percentages([]) == []


def test_csv_and_json_exports_hold_public_content_only(
    rw: SimpleNamespace, with_results: None, tmp_path: Path
) -> None:
    call_command("export", "csv", "--out", str(tmp_path / "csv"), stdout=io.StringIO())
    call_command("export", "json", "--out", str(tmp_path / "json"), stdout=io.StringIO())
    for name, table in TABLES.items():
        with (tmp_path / "csv" / f"{name}.csv").open(encoding="utf-8") as f:
            csv_rows = list(csv.DictReader(f))
        json_rows = json.loads((tmp_path / "json" / f"{name}.json").read_text())
        assert len(csv_rows) == len(json_rows), name
        assert list(json_rows[0]) == list(table.columns) if json_rows else True
        text = (tmp_path / "csv" / f"{name}.csv").read_text()
        text += (tmp_path / "json" / f"{name}.json").read_text()
        assert not [s for s in NOT_PUBLIC if s in text], name
    alliances = json.loads((tmp_path / "json" / "alliances.json").read_text())
    assert [a["name"] for a in alliances] == ["Open Alliance"]
    peers = json.loads((tmp_path / "json" / "peers.json").read_text())
    assert [p["name"] for p in peers] == ["Outsider Public"]
    assert "gender" not in peers[0]
    challenges = json.loads((tmp_path / "json" / "challenges.json").read_text())
    # "Challenge public" is public, but its author's profile is not: never wider than it.
    assert {c["title"] for c in challenges} == {"Public challenge"}
    priorities = json.loads((tmp_path / "json" / "alliance_priorities.json").read_text())
    assert [(p["title"], p["completion"]) for p in priorities] == [
        ("Revenue laws", 2),
        ("Performance contracts", ""),
    ]
    results = json.loads((tmp_path / "json" / "results.json").read_text())
    assert {r["indicator"] for r in results} == {
        "Own-source revenue collected (KES million)",
        "How traders see the bus-park ticket",
    }


def test_the_open_data_page_offers_every_download_streamed(rw: SimpleNamespace) -> None:
    client = Client()
    page = client.get(reverse("reports:open_data"))
    assert page.status_code == 200
    html = page.content.decode()
    for name in TABLES:
        assert reverse("reports:open_data_csv", args=[name]) in html
        assert reverse("reports:open_data_json", args=[name]) in html
    assert reverse("reports:open_data_iati") in html
    response = client.get(reverse("reports:open_data_csv", args=["alliances"]))
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert "Open Alliance" in body and "County Revenue Alliance" not in body
    response = client.get(reverse("reports:open_data_json", args=["peers"]))
    assert response.streaming
    assert [p["name"] for p in json.loads(b"".join(response.streaming_content))] == [
        "Outsider Public"
    ]
    response = client.get(reverse("reports:open_data_iati"))
    assert response.streaming
    doc = etree.fromstring(b"".join(response.streaming_content))
    assert schema().validate(doc)
    assert client.get("/open-data/secrets.csv").status_code == 404


def test_streamed_csv_comes_in_pieces(rw: SimpleNamespace, monkeypatch: Any) -> None:
    from peerlearn.reports.opendata import tables

    monkeypatch.setattr(tables, "FLUSH_EVERY", 1)
    pieces = list(tables.stream_csv(TABLES["alliance_organisations"]))
    assert len(pieces) == 3  # the header with the first organisation, then one by one
    assert pieces[0].startswith("alliance,organisation,")
