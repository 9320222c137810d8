from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils.safestring import SafeString

from peerlearn.audit.models import AuditEvent
from peerlearn.reports import sections as sections_module
from peerlearn.reports.rendering import report_pdf
from peerlearn.reports.sections import Audience, Section
from peerlearn.reports.selectors import alliance_report
from peerlearn.reports.tests.conftest import (
    MEMBERS_ONLY_COMMENT,
    MEMBERS_ONLY_NOTE,
    has_drawing,
    pdf_text,
)

pytestmark = pytest.mark.django_db

NOTICE = "Contains alliance-internal content — for members of Open Alliance"


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_public_report_shows_the_alliance_to_anyone_with_public_content_only(
    rw: SimpleNamespace,
) -> None:
    response = _client().get(reverse("reports:alliance", args=[rw.public_alliance.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Open Alliance" in html
    assert "<svg" in html and "Stage over time" in html
    assert "Members by gender" in html
    assert "Revenue laws" in html and "Substantial" in html and "Major" in html
    # Only public profiles (and the facilitator) are named; nothing of the safe space.
    assert "Outsider Public" in html
    assert "Member Private" not in html and "Member Alliance" not in html
    assert MEMBERS_ONLY_COMMENT not in html and MEMBERS_ONLY_NOTE not in html
    assert "alliance-internal" not in html


@pytest.mark.parametrize("who", ["member_alliance", "facilitator", "funder_of_inner"])
def test_the_public_report_is_the_same_whoever_reads_it(rw: SimpleNamespace, who: str) -> None:
    user = rw.funder if who == "funder_of_inner" else getattr(rw, who)
    user = getattr(user, "user", user)
    html = _client(user).get(reverse("reports:alliance", args=[rw.public_alliance.slug]))
    text = html.content.decode()
    assert MEMBERS_ONLY_COMMENT not in text and MEMBERS_ONLY_NOTE not in text
    assert "Member Alliance" not in text.split("<main", 1)[1]


def test_the_members_report_holds_alliance_content_and_says_so(rw: SimpleNamespace) -> None:
    response = _client(rw.member_alliance.user).get(
        reverse("reports:alliance_members", args=[rw.public_alliance.slug])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(NOTICE) >= 2  # top and bottom of the page
    assert MEMBERS_ONLY_COMMENT in html and MEMBERS_ONLY_NOTE in html
    assert "Member Alliance" in html


def test_the_members_report_is_refused_to_outsiders(rw: SimpleNamespace) -> None:
    url = reverse("reports:alliance_members", args=[rw.public_alliance.slug])
    assert _client().get(url).status_code == 302  # to sign in
    assert _client(rw.outsider.user).get(url).status_code == 403
    pdf = reverse("reports:alliance_members_pdf", args=[rw.public_alliance.slug])
    assert _client(rw.outsider.user).get(pdf).status_code == 403


def test_the_public_report_follows_the_alliances_visibility(rw: SimpleNamespace) -> None:
    platform = reverse("reports:alliance", args=[rw.platform_alliance.slug])
    assert _client().get(platform).status_code == 404
    assert _client(rw.outsider.user).get(platform).status_code == 200
    inner = reverse("reports:alliance", args=[rw.inner.slug])
    assert _client(rw.outsider.user).get(inner).status_code == 404
    assert _client(rw.member_alliance.user).get(inner).status_code == 200


def test_the_outsiders_report_of_a_hidden_alliance_is_not_for_publication(
    rw: SimpleNamespace,
) -> None:
    """It names and describes an alliance the public may not see: it says so on the page
    and on every page of its PDF, and does not call itself public."""
    page = _client(rw.outsider.user).get(
        reverse("reports:alliance", args=[rw.platform_alliance.slug])
    )
    html = page.content.decode()
    notice = (
        "For signed-in users of peerlearn, not for publication: "
        "only they may see Platform Alliance."
    )
    assert notice in html and "Public version: holds only" not in html
    assert "Members&#x27; version" not in html and ">Public version</a>" not in html
    pdf = _client(rw.outsider.user).get(
        reverse("reports:alliance_pdf", args=[rw.platform_alliance.slug])
    )
    _reader, pages = pdf_text(pdf.content)
    for text in pages:
        assert "not for publication" in text.replace("\n", " ")
    inner = _client(rw.member_alliance.user).get(reverse("reports:alliance", args=[rw.inner.slug]))
    assert "Not for publication: only those inside it may see" in inner.content.decode()
    public = _client().get(reverse("reports:alliance", args=[rw.public_alliance.slug]))
    assert "Public version: holds only what anyone may see." in public.content.decode()


def test_the_public_pdf_has_the_alliances_name_and_its_charts(rw: SimpleNamespace) -> None:
    response = _client().get(reverse("reports:alliance_pdf", args=[rw.public_alliance.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    reader, pages = pdf_text(response.content)
    text = "\n".join(pages)
    assert "Open Alliance" in text
    assert "Stage over time" in text  # a chart's title, drawn inside the chart
    assert has_drawing(reader)
    assert MEMBERS_ONLY_COMMENT not in text and "alliance-internal" not in text


def test_every_page_of_the_members_pdf_carries_the_notice(
    rw: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(rw.member_alliance.user).get(
            reverse("reports:alliance_members_pdf", args=[rw.public_alliance.slug])
        )
    assert response.status_code == 200
    _reader, pages = pdf_text(response.content)
    assert len(pages) >= 2
    for page in pages:
        assert "Contains alliance-internal content" in page.replace("\n", " ")
    # Once at the head of every page, and in the first page's box; not again in its footer
    # or at the end of the text.
    said = [page.replace("\n", " ").count("Contains alliance-internal content") for page in pages]
    assert said == [2] + [1] * (len(pages) - 1)
    assert MEMBERS_ONLY_COMMENT in "".join(pages).replace("\n", " ")
    assert AuditEvent.objects.filter(object_type="reports.alliance_report").exists()


def test_a_country_report_lists_the_alliances_of_its_organisations(rw: SimpleNamespace) -> None:
    response = _client().get(reverse("reports:country", args=["KE"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Open Alliance" in html and "Nakuru County" in html
    assert "County Revenue Alliance" not in html  # at alliance level
    assert MEMBERS_ONLY_COMMENT not in html
    pdf = _client().get(reverse("reports:country_pdf", args=["KE"]))
    assert pdf.status_code == 200 and "Open Alliance" in "".join(pdf_text(pdf.content)[1])
    assert _client().get(reverse("reports:country", args=["XX"])).status_code == 404
    assert "Public version: holds only what anyone may see." in html


def test_a_country_report_naming_a_hidden_alliance_is_not_for_publication(
    rw: SimpleNamespace,
) -> None:
    html = _client(rw.member_alliance.user).get(reverse("reports:country", args=["KE"]))
    text = html.content.decode()
    assert "County Revenue Alliance" in text
    assert "Not for publication: only those inside it may see County Revenue Alliance" in text
    assert "Public version: holds only" not in text


def test_the_open_data_page_leads_to_each_country_report_the_reader_may_read(
    rw: SimpleNamespace,
) -> None:
    ke = reverse("reports:country", args=["KE"])
    anonymous = _client().get(reverse("reports:open_data")).content.decode()
    member = _client(rw.member_alliance.user).get(reverse("reports:open_data")).content.decode()
    assert f'href="{ke}"' in anonymous and f'href="{ke}"' in member
    # Counted as each reader may see: the alliance-level one only for its member.
    anonymous_count = anonymous.split(f'href="{ke}"', 1)[1].split("</li>", 1)[0]
    member_count = member.split(f'href="{ke}"', 1)[1].split("</li>", 1)[0]
    assert int(anonymous_count.split("(")[1].split()[0]) + 1 == int(
        member_count.split("(")[1].split()[0]
    )


def test_sections_come_from_every_apps_report_module_and_internal_ones_stay_inside(
    rw: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def contributed(alliance: Any, audience: Audience, reader: Any) -> list[Section]:
        calls.append((audience, reader))
        return [
            Section(key="activities", title="Activities and participation", order=40),
            Section(
                key="feedback",
                title="Feedback",
                order=50,
                html=SafeString("<p>Trust in the group: 4.5</p>"),
                internal=True,
            ),
        ]

    found = sections_module.section_providers()
    assert any(p.__module__ == "peerlearn.reports.report" for p in found)
    monkeypatch.setattr(sections_module, "section_providers", lambda: [*found, contributed])
    public = alliance_report(
        alliance=rw.public_alliance, audience=Audience.PUBLIC, reader=rw.member_alliance.user
    )
    assert [s.key for s in public.sections] == [
        "overview",
        "stage-history",
        "members",
        "priorities",
        "activities",
    ]
    # The public report is read with an anonymous visitor's rights, whoever asks.
    assert isinstance(calls[0][1], AnonymousUser)
    members = alliance_report(
        alliance=rw.public_alliance, audience=Audience.MEMBERS, reader=rw.member_alliance.user
    )
    assert "feedback" in [s.key for s in members.sections]
    assert calls[1][1] == rw.member_alliance.user
    assert b"%PDF" in report_pdf(members)[:8]


def test_the_facilitator_assesses_a_priority(rw: SimpleNamespace) -> None:
    url = reverse("reports:assess", args=[rw.public_alliance.slug])
    facilitator = _client(rw.facilitator)
    assert "Performance contracts" in facilitator.get(url).content.decode()
    refused = facilitator.post(url, {"priority": rw.priorities[1].id})
    assert refused.status_code == 400
    assert refused.content.decode().count("Please correct the following") == 1
    response = facilitator.post(
        url,
        {
            "priority": rw.priorities[1].id,
            "completion": 3,
            "early_results": 3,
            "assessed_on": "2026-04-01",
            "comment": "All seven counties sign them.",
        },
    )
    assert response.status_code == 302
    html = _client().get(reverse("reports:alliance", args=[rw.public_alliance.slug])).content
    assert "Outstanding" in html.decode() and "All seven counties" not in html.decode()
    assert _client(rw.member_alliance.user).get(url).status_code == 403


def test_the_api_returns_both_versions_of_the_report(rw: SimpleNamespace) -> None:
    slug = rw.public_alliance.slug
    public = _client(rw.member_alliance.user).get(f"/api/v1/reports/alliances/{slug}")
    assert public.status_code == 200
    body = public.json()
    assert body["audience"] == "public" and body["internal_notice"] is None
    assert MEMBERS_ONLY_COMMENT not in public.content.decode()
    members = _client(rw.member_alliance.user).get(f"/api/v1/reports/alliances/{slug}/members")
    assert members.status_code == 200
    assert members.json()["internal_notice"].startswith("Contains alliance-internal content")
    assert MEMBERS_ONLY_COMMENT in members.content.decode()
    refused = _client(rw.outsider.user).get(f"/api/v1/reports/alliances/{slug}/members")
    assert refused.status_code == 403
    hidden = _client(rw.outsider.user).get(f"/api/v1/reports/alliances/{rw.inner.slug}")
    assert hidden.status_code == 404


def test_one_unnamed_member_is_one_member(rw: SimpleNamespace) -> None:
    """The members' report said "1 members are not named"."""
    html = (
        _client(rw.member_alliance.user)
        .get(reverse("reports:alliance_members", args=[rw.public_alliance.slug]))
        .content.decode()
    )
    assert "1 member is not named: their profile is not shared with this report" in html
    assert "1 members" not in html
    public = _client().get(reverse("reports:alliance", args=[rw.public_alliance.slug]))
    assert "2 members are not named: their profiles are not shared" in public.content.decode()


def test_the_dates_show_as_far_as_they_are_set(rw: SimpleNamespace) -> None:
    """An alliance with no dates showed "Dates — – —"."""
    from datetime import date

    from peerlearn.alliances.models import LearningAlliance

    url = reverse("reports:alliance", args=[rw.public_alliance.slug])
    alliances = LearningAlliance.objects.filter(id=rw.public_alliance.id)
    alliances.update(starts_on=None, ends_on=None)
    html = _client().get(url).content.decode()
    assert "<dt>Dates</dt>" not in html and "— – —" not in html
    alliances.update(starts_on=date(2026, 2, 1))
    assert "<dt>Dates</dt><dd>From February 1, 2026</dd>" in _client().get(url).content.decode()
    alliances.update(ends_on=date(2027, 1, 31))
    html = _client().get(url).content.decode()
    assert "<dt>Dates</dt><dd>February 1, 2026 – January 31, 2027</dd>" in html
    alliances.update(starts_on=None)
    assert "<dt>Dates</dt><dd>Until January 31, 2027</dd>" in _client().get(url).content.decode()


def test_a_country_with_one_alliance_says_one_alliance(rw: SimpleNamespace) -> None:
    html = _client().get(reverse("reports:country", args=["FR"])).content.decode()
    assert "1 learning alliance with organisations from France." in html


def _zip_tables(content: bytes) -> dict[str, list[list[str]]]:
    import csv
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist() if name.endswith(".csv")}
    # Each file says it is UTF-8 with a byte-order mark, which spreadsheet programs read.
    assert all(data.startswith(b"\xef\xbb\xbf") for data in files.values())
    return {
        name: list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        for name, data in files.items()
    }


def _readme(content: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("README.txt").decode()


def test_the_report_tables_download_as_csv_with_the_pages_figures(rw: SimpleNamespace) -> None:
    slug = rw.public_alliance.slug
    page = _client().get(reverse("reports:alliance", args=[slug])).content.decode()
    url = reverse("reports:alliance_tables", args=[slug])
    assert f'href="{url}"' in page
    response = _client().get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    files = _zip_tables(response.content)
    # Every table of the page's read model, cell for cell, and each cell is on the page.
    report = alliance_report(
        alliance=rw.public_alliance, audience=Audience.PUBLIC, reader=AnonymousUser()
    )
    tables = [t for s in report.sections for t in s.tables]
    data_files = sorted(n for n in files if n not in {"facts.csv", "index.csv"})
    assert len(data_files) == len(tables)
    for name, table in zip(data_files, tables, strict=True):
        assert files[name][0] == [str(h) for h in table.headers]
        assert files[name][1:] == [[str(c) for c in row] for row in table.rows]
    priorities = next(rows for n, rows in files.items() if "priorities" in n)
    # A date is ISO 8601 in the file, which spreadsheets read as a date, and in the
    # reader's language on the page.
    assert ["Revenue laws", "Substantial", "Major", "2026-03-01"] in priorities
    assert ">March 1, 2026<" in page
    for row in priorities[1:]:
        for cell in row[:3]:
            assert f">{cell}<" in page
    facts = files["facts.csv"]
    assert ["Members and organisations", "Members", "4"] in facts
    assert "<dt>Members</dt><dd>4</dd>" in page
    assert MEMBERS_ONLY_COMMENT not in response.content.decode("latin-1")
    assert "Public version" in _readme(response.content)


def test_the_members_tables_are_the_members_reports_and_refused_to_outsiders(
    rw: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    slug = rw.public_alliance.slug
    url = reverse("reports:alliance_members_tables", args=[slug])
    assert _client().get(url).status_code == 302  # to sign in
    assert _client(rw.outsider.user).get(url).status_code == 403
    # A private alliance's public tables are as hidden as its page.
    hidden = reverse("reports:alliance_tables", args=[rw.private_alliance.slug])
    assert _client(rw.outsider.user).get(hidden).status_code == 404
    assert not AuditEvent.objects.filter(object_type="reports.alliance_report").exists()

    member = _client(rw.member_alliance.user)
    page = member.get(reverse("reports:alliance_members", args=[slug])).content.decode()
    assert f'href="{url}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = member.get(url)
    assert response.status_code == 200
    files = _zip_tables(response.content)
    priorities = next(rows for n, rows in files.items() if "priorities" in n)
    assert priorities[0][-1] == "Facilitator's comment"
    assert any(MEMBERS_ONLY_COMMENT in row for row in priorities)
    assert NOTICE in _readme(response.content)
    assert AuditEvent.objects.filter(
        object_type="reports.alliance_report", detail__format="csv"
    ).exists()


def test_a_cell_a_spreadsheet_would_run_is_written_as_text() -> None:
    from peerlearn.reports.rendering import _csv

    assert _csv(["A"], [["=HYPERLINK(1)"], ["-2"], ["plain"]]) == (
        "\ufeffA\n'=HYPERLINK(1)\n'-2\nplain\n".encode()
    )


def test_an_assessment_dated_in_the_future_is_refused(rw: SimpleNamespace) -> None:
    """An assessment dated 2031 was saved, and became the alliance's latest."""
    from datetime import date, timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from peerlearn.reports.models import Completion, PriorityAssessment
    from peerlearn.reports.services import priority_assessment_record

    url = reverse("reports:assess", args=[rw.public_alliance.slug])
    before = PriorityAssessment.objects.count()
    response = _client(rw.facilitator).post(
        url,
        {
            "priority": rw.priorities[1].id,
            "completion": 3,
            "early_results": 3,
            "assessed_on": "2031-01-05",
            "comment": "Done in the future.",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["assessed_on"]
    assert "is still to come. Give the day it happened" in errors["assessed_on"][0]
    assert PriorityAssessment.objects.count() == before
    # The service refuses it too, keyed by the field, and saves nothing.
    with pytest.raises(ValidationError) as refused:
        priority_assessment_record(
            priority=rw.priorities[1],
            completion=Completion.COMPLETE,
            early_results=None,
            assessed_on=date(2031, 1, 5),
            assessed_by=rw.facilitator,
        )
    assert list(refused.value.message_dict) == ["assessed_on"]
    assert PriorityAssessment.objects.count() == before
    # Today is the day it happened, as are tomorrow (a day that has turned in the east).
    tomorrow = timezone.localdate() + timedelta(days=1)
    priority_assessment_record(
        priority=rw.priorities[1],
        completion=Completion.COMPLETE,
        early_results=None,
        assessed_on=tomorrow,
        assessed_by=rw.facilitator,
    )
    assert PriorityAssessment.objects.count() == before + 1


def test_an_alliance_with_no_priority_says_so(rw: SimpleNamespace) -> None:
    """The section showed its heading and the IRM's scales, and nothing else."""
    page = _client(rw.outsider.user).get(
        reverse("reports:alliance", args=[rw.platform_alliance.slug])
    )
    section = page.content.decode().split('id="section-priorities"', 1)[1].split("</section>")[0]
    assert "No priority reform area yet." in section
    assert "Independent Reporting Mechanism" not in section
    public = _client().get(reverse("reports:alliance", args=[rw.public_alliance.slug]))
    assert "Independent Reporting Mechanism" in public.content.decode()


def test_the_pdfs_tables_break_lines_between_words(rw: SimpleNamespace) -> None:
    """A column shrank below its words: "Facilitat/or", "Completio/n"."""
    pdf = _client(rw.facilitator).get(
        reverse("reports:alliance_members_pdf", args=[rw.public_alliance.slug])
    )
    _reader, pages = pdf_text(pdf.content)
    words = set(" ".join(pages).split())
    assert {"Facilitator", "Completion"} <= words
    assert not {"Facilitat", "Completio"} & words
