"""The library's pages: the list and its filters, each item, downloads, adding, editing
and reviewing."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peerlearn.access.visibility import Visibility
from peerlearn.audit.models import AuditAction, AuditEvent
from peerlearn.library.annex import CASES, ensure_annex_cases
from peerlearn.library.models import Case, ItemStatus, Resource, ResourceType, Tag
from peerlearn.library.services import resource_create
from peerlearn.library.tests import files


def client_for(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


LIST = reverse("library:list")


def test_the_annex_cases_are_there_on_a_fresh_install(db: Any) -> None:
    assert set(Case.objects.values_list("key", flat=True)) >= {c.key for c in CASES}
    assert ensure_annex_cases() == 0  # idempotent
    page = client_for().get(LIST).content.decode()
    assert "Better Government Kyrgyzstan" in page
    assert "Open Government Partnership" in page
    zambia = Case.objects.get(key="zambia-hrm-reform")
    assert zambia.lessons.count() >= 4
    assert zambia.visibility == Visibility.PUBLIC and zambia.status == ItemStatus.PUBLISHED


def test_the_list_shows_what_the_reader_may_see(items: SimpleNamespace) -> None:
    anonymous = client_for().get(LIST).content.decode()
    assert "Public case on parking fees" in anonymous
    assert "Private case on tax amnesty" not in anonymous
    assert "Inner workshop notes" not in anonymous
    member = client_for(items.member_platform.user).get(LIST).content.decode()
    assert "Inner workshop notes" in member
    assert "Private case on tax amnesty" not in member
    assert "Private case on tax amnesty" in client_for(items.facilitator).get(LIST).content.decode()


def test_filters_and_htmx(items: SimpleNamespace) -> None:
    tag = Tag.objects.create(name="parking")
    items.public_case.tags.add(tag)
    client = client_for(items.member_platform.user)
    page = client.get(LIST, {"tag": "parking"}).content.decode()
    assert "Public case on parking fees" in page and "Inner workshop notes" not in page
    page = client.get(LIST, {"type": "report"}).content.decode()
    assert "Inner workshop notes" in page and "Public case on parking fees" not in page
    page = client.get(LIST, {"type": "case", "q": "parking"}).content.decode()
    assert "Public case on parking fees" in page and "Better Government Kyrgyzstan" not in page
    page = client.get(LIST, {"country": "KG"}).content.decode()
    assert "Better Government Kyrgyzstan" in page and "Public case on parking" not in page
    page = client.get(LIST, {"theme": "parliaments-evidence"}).content.decode()
    assert "Evidence in African Parliaments" in page and "management reform" not in page
    assert "management reform" in client.get(LIST).content.decode()
    fragment = client.get(LIST, {"q": "parking"}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section id="results"')
    assert "<html" not in fragment


def test_a_tag_only_on_hidden_items_is_not_offered(items: SimpleNamespace) -> None:
    items.private_case.tags.add(Tag.objects.create(name="amnesty secret"))
    assert "amnesty secret" not in client_for().get(LIST).content.decode()
    assert "amnesty secret" in client_for(items.facilitator).get(LIST).content.decode()


def _count_list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_reads_a_constant_number_of_queries(items: SimpleNamespace) -> None:
    client = client_for(items.member_platform.user)
    small = _count_list_queries(client)
    for n in range(15):
        case = Case.objects.create(title=f"More {n}", summary="x", author=items.facilitator)
        case.tags.add(Tag.objects.get_or_create(name=f"tag {n}")[0])
        case.themes.set([1, 2])
        Resource.objects.create(
            title=f"Res {n}",
            type=ResourceType.LINK,
            url="https://example.org/",
            author=items.facilitator,
        )
    assert _count_list_queries(client) == small


def test_a_case_page_renders_its_markdown_safely(items: SimpleNamespace) -> None:
    case = items.public_case
    case.body = "## What happened\n\n<script>alert('x')</script> **Revenue** rose."
    case.save()
    page = client_for().get(reverse("library:case", args=[case.id])).content.decode()
    assert "<h2>What happened</h2>" in page and "<strong>Revenue</strong>" in page
    assert "<script>alert" not in page
    private = reverse("library:case", args=[items.private_case.id])
    assert client_for(items.outsider.user).get(private).status_code == 404
    assert client_for(items.facilitator).get(private).status_code == 200


@pytest.fixture
def notes(items: SimpleNamespace) -> Resource:
    return resource_create(
        author=items.facilitator,
        title="Alliance file",
        type=ResourceType.REPORT,
        upload=files.upload("Notes d'atelier été.txt", b"Agreed actions.\n"),
        alliance=items.inner,
        visibility=Visibility.ALLIANCE,
    )


def test_download_checks_access_and_sends_an_attachment(
    items: SimpleNamespace, notes: Resource, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("library:download", args=[notes.id])
    assert client_for().get(url).status_code == 404
    assert client_for(items.outsider.user).get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(items.member_platform.user).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Agreed actions.\n"
    assert response["Content-Disposition"] == 'attachment; filename="Notes-d-atelier-ete.txt"'
    assert response["Content-Type"] == "text/plain"
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="library.resource")
    assert event.actor == items.member_platform.user
    assert event.detail == {
        "resource": notes.id,
        "alliance": items.inner.id,
        "visibility": "alliance",
    }
    page = client_for(items.member_platform.user).get(reverse("library:resource", args=[notes.id]))
    assert url in page.content.decode()
    # The media address is never how the file is served.
    assert notes.file.name not in page.content.decode()


def test_a_public_download_is_not_audited(items: SimpleNamespace, _media: Path) -> None:
    resource = resource_create(
        author=items.facilitator, title="Open guide", type=ResourceType.GUIDE, upload=files.pdf()
    )
    response = client_for().get(reverse("library:download", args=[resource.id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_peer_submits_a_resource_with_a_file(items: SimpleNamespace) -> None:
    client = client_for(items.outsider.user)
    assert client.get(reverse("library:resource_new")).status_code == 200
    response = client.post(
        reverse("library:resource_new"),
        {
            "title": "Budget template",
            "type": "template",
            "visibility": "public",
            "themes": ["revenue-pfm"],
            "tags": "budget, Template",
            "file": files.office("b.xlsx", "xl/workbook.xml"),
        },
    )
    resource = Resource.objects.get(title="Budget template")
    assert response.status_code == 302
    assert response["Location"] == reverse("library:resource", args=[resource.id])
    assert resource.status == ItemStatus.PROPOSED and resource.author == items.outsider.user
    assert sorted(t.name for t in resource.tags.all()) == ["budget", "template"]
    # Not in anyone else's list until reviewed.
    assert (
        "Budget template" not in client_for(items.member_platform.user).get(LIST).content.decode()
    )
    assert "Budget template" in client.get(LIST).content.decode()  # "Your submissions"
    # The facilitator reviews it.
    reviewer = client_for(items.facilitator)
    assert "Budget template" in reviewer.get(reverse("library:review")).content.decode()
    review = reverse("library:resource_review", args=[resource.id])
    # Declining without a reason is refused, with the page's status saying so.
    refused = reviewer.post(review, {"decision": "decline", "note": ""})
    assert refused.status_code == 400
    assert reviewer.post(review, {"decision": "publish"}).status_code == 302
    resource.refresh_from_db()
    assert resource.status == ItemStatus.PUBLISHED
    assert "Budget template" in client_for().get(LIST).content.decode()


def test_an_empty_resource_form_names_every_missing_field_at_once(
    items: SimpleNamespace,
) -> None:
    before = Resource.objects.count()
    response = client_for(items.outsider.user).post(
        reverse("library:resource_new"), {"type": "template", "visibility": "public"}
    )
    errors = response.context["form"].errors
    assert {"title", "file"} <= set(errors), errors
    assert "Upload a file, or give the address" in errors["file"][0]
    assert Resource.objects.count() == before


def test_a_bad_upload_is_shown_on_its_field(items: SimpleNamespace, settings: Any) -> None:
    settings.PEERLEARN_LIBRARY_MAX_UPLOAD_MB = 1
    client = client_for(items.facilitator)
    response = client.post(
        reverse("library:resource_new"),
        {
            "title": "Big",
            "type": "report",
            "visibility": "public",
            "file": files.pdf(size=2 * 1024 * 1024),
        },
    )
    assert response.status_code == 200
    assert "This file is 2 MB; the limit is 1 MB." in response.content.decode()
    assert 'id="id_file_error"' in response.content.decode()
    assert not Resource.objects.filter(title="Big").exists()


def test_a_form_sent_back_for_another_field_asks_for_the_file_again(
    items: SimpleNamespace,
) -> None:
    """The browser cannot keep a chosen file on a page sent back with errors: the file's
    field names it and asks for it again, rather than the next save saying "upload a file"."""
    client = client_for(items.outsider.user)
    response = client.post(
        reverse("library:resource_new"),
        {"title": "", "type": "report", "visibility": "public", "file": files.pdf()},
    )
    page = response.content.decode()
    assert "title" in response.context["form"].errors
    assert "choose it again before sending" in page
    # Nothing to say when the file itself is what was refused, or when none was sent.
    response = client.post(
        reverse("library:resource_new"),
        {
            "title": "Empty",
            "type": "report",
            "visibility": "public",
            "file": files.upload("e.pdf", b""),
        },
    )
    page = response.content.decode()
    assert "This file is empty. Choose the file again." in page
    assert "The submitted file is empty." not in page and "choose it again before" not in page
    assert not Resource.objects.filter(title__in=["", "Empty"]).exists()


def test_create_and_edit_a_case(items: SimpleNamespace) -> None:
    client = client_for(items.facilitator)
    response = client.post(
        reverse("library:case_new"),
        {
            "title": "Tax peers",
            "summary": "What counties learned.",
            "body": "Text",
            "lessons": "First lesson\nSecond lesson",
            "themes": ["revenue-pfm"],
            "countries": ["KE"],
            "tags": "tax",
            "visibility": "platform",
        },
    )
    case = Case.objects.get(title="Tax peers")
    assert response.status_code == 302 and case.status == ItemStatus.PUBLISHED
    edit = reverse("library:case_edit", args=[case.id])
    form = client.get(edit).content.decode()
    assert "First lesson\nSecond lesson" in form
    client.post(
        edit,
        {
            "title": "Tax peers",
            "summary": "Changed.",
            "lessons": "Only one",
            "visibility": "public",
        },
    )
    case.refresh_from_db()
    assert case.summary == "Changed." and [x.text for x in case.lessons.all()] == ["Only one"]
    # Another peer may read it but not edit it; a stranger to it gets 404 on a hidden one.
    assert client_for(items.outsider.user).get(edit).status_code == 403
    private_edit = reverse("library:case_edit", args=[items.private_case.id])
    assert client_for(items.outsider.user).get(private_edit).status_code == 404


def test_the_main_navigation_links_the_library(db: Any) -> None:
    assert f'href="{LIST}"' in client_for().get(reverse("initiatives:list")).content.decode()


def test_a_submission_is_on_its_reviewers_page_of_needs(items: SimpleNamespace) -> None:
    from peerlearn.notifications.needs import needs_for

    case = Case.objects.create(
        title="A peer's case", summary="x", status=ItemStatus.PROPOSED, author=items.outsider.user
    )
    needs = [n for n in needs_for(items.facilitator) if n.kind == "library"]
    assert [n.url for n in needs] == [reverse("library:case_review", args=[case.id])]
    assert not [n for n in needs_for(items.outsider.user) if n.kind == "library"]


def test_an_alliance_item_names_its_alliance_as_its_readers(
    items: SimpleNamespace, notes: Resource
) -> None:
    """Not "members of my learning alliances", which speaks as the author to everyone."""
    page = client_for(items.member_platform.user).get(reverse("library:resource", args=[notes.id]))
    html = page.content.decode()
    assert f"Members of {items.inner.name}" in html
    assert "members of my learning alliances" not in html
